"""Random secrets handed to people (cookies, emailed links, codes); only their hashes are stored."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def new_code(digits: int = 8) -> str:
    """A code a person can type from an email (activation)."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def digest(secret: str) -> str:
    """The stored form of a secret: SHA-256 is enough for high-entropy random values."""
    return hashlib.sha256(secret.encode()).hexdigest()
