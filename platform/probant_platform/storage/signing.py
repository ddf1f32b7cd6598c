"""Short-lived signed URLs for media: the URL itself is the permission, for a few minutes."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

DEFAULT_TTL_SECONDS = 300


def _signature(
    secret: str, organisation_id: uuid.UUID, item_id: uuid.UUID, expires: int, variant: str
) -> str:
    message = f"{organisation_id}:{item_id}:{expires}:{variant}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_media_path(
    *,
    secret: str,
    organisation_id: uuid.UUID,
    item_id: uuid.UUID,
    variant: str = "original",
    ttl: int = DEFAULT_TTL_SECONDS,
) -> str:
    """`variant` is "original" or "thumbnail"; it is part of what is signed."""
    expires = int(time.time()) + ttl
    signature = _signature(secret, organisation_id, item_id, expires, variant)
    return (
        f"/media/{organisation_id}/{item_id}?variant={variant}"
        f"&expires={expires}&signature={signature}"
    )


def verify(
    *,
    secret: str,
    organisation_id: uuid.UUID,
    item_id: uuid.UUID,
    expires: int,
    variant: str,
    signature: str,
) -> bool:
    """True for an unexpired URL signed by us (constant-time comparison)."""
    if expires < time.time():
        return False
    expected = _signature(secret, organisation_id, item_id, expires, variant)
    return hmac.compare_digest(expected, signature)


def sign_path(*, secret: str, path: str, ttl: int = DEFAULT_TTL_SECONDS) -> str:
    """`path` with `expires` and `signature` query parameters: the link is the permission."""
    expires = int(time.time()) + ttl
    signature = hmac.new(secret.encode(), f"{path}:{expires}".encode(), hashlib.sha256)
    return f"{path}?expires={expires}&signature={signature.hexdigest()}"


def verify_path(*, secret: str, path: str, expires: int, signature: str) -> bool:
    """True for an unexpired link to `path` signed by `sign_path` with `secret`."""
    if expires < time.time():
        return False
    expected = hmac.new(secret.encode(), f"{path}:{expires}".encode(), hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), signature)
