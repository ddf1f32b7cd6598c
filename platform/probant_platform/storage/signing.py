"""Short-lived signed URLs for media: the URL itself is the permission, for a few minutes."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

DEFAULT_TTL_SECONDS = 300


def _signature(secret: str, organisation_id: uuid.UUID, item_id: uuid.UUID, expires: int) -> str:
    message = f"{organisation_id}:{item_id}:{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_media_path(
    *, secret: str, organisation_id: uuid.UUID, item_id: uuid.UUID, ttl: int = DEFAULT_TTL_SECONDS
) -> str:
    expires = int(time.time()) + ttl
    signature = _signature(secret, organisation_id, item_id, expires)
    return f"/media/{organisation_id}/{item_id}?expires={expires}&signature={signature}"


def verify(
    *, secret: str, organisation_id: uuid.UUID, item_id: uuid.UUID, expires: int, signature: str
) -> bool:
    """True for an unexpired URL signed by us (constant-time comparison)."""
    if expires < time.time():
        return False
    expected = _signature(secret, organisation_id, item_id, expires)
    return hmac.compare_digest(expected, signature)
