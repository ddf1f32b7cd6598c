"""The password policy from the product rules, and argon2id hashing."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 copes with more, but nobody types it and it bounds the work per attempt

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


class PasswordRule(StrEnum):
    MIN_LENGTH = "MIN_LENGTH"
    MAX_LENGTH = "MAX_LENGTH"
    UPPERCASE = "UPPERCASE"
    LOWERCASE = "LOWERCASE"
    DIGIT = "DIGIT"
    SPECIAL = "SPECIAL"
    NOT_COMMON = "NOT_COMMON"


@lru_cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("probant_tenants").joinpath("common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def unmet_rules(password: str) -> list[PasswordRule]:
    """The rules `password` breaks, in a stable order (empty when it is acceptable)."""
    unmet: list[PasswordRule] = []
    if len(password) < MIN_LENGTH:
        unmet.append(PasswordRule.MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        unmet.append(PasswordRule.MAX_LENGTH)
    if not any(c.isupper() for c in password):
        unmet.append(PasswordRule.UPPERCASE)
    if not any(c.islower() for c in password):
        unmet.append(PasswordRule.LOWERCASE)
    if not any(c.isdigit() for c in password):
        unmet.append(PasswordRule.DIGIT)
    if all(c.isalnum() for c in password):
        unmet.append(PasswordRule.SPECIAL)
    if password.lower() in _common_passwords() or _is_common_with_suffix(password):
        unmet.append(PasswordRule.NOT_COMMON)
    return unmet


def _is_common_with_suffix(password: str) -> bool:
    # "Password123!" passes every character rule yet is among the first guesses of any attacker.
    core = password.lower().rstrip("0123456789!@#$%^&*?.-_+=")
    return core in _common_passwords()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing hash never matches (but still costs a hash)."""
    if password_hash is None:
        _hasher.hash(password)  # keep timing similar to a real check: no account enumeration
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
