"""Short-lived signed links to an office's documents (the link is the permission)."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

from probant_platform.config import Settings

TTL_SECONDS = 600


def _signature(
    settings: Settings, organisation_id: uuid.UUID, document_id: uuid.UUID, expires: int
) -> str:
    message = f"{organisation_id}:{document_id}:{expires}".encode()
    secret = settings.derived_secret("office-documents").encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def document_url(settings: Settings, *, organisation_id: uuid.UUID, document_id: uuid.UUID) -> str:
    expires = int(time.time()) + TTL_SECONDS
    signature = _signature(settings, organisation_id, document_id, expires)
    return (
        f"{settings.base_url.rstrip('/')}/office-documents/{organisation_id}/{document_id}"
        f"?expires={expires}&signature={signature}"
    )


def verify(
    settings: Settings,
    *,
    organisation_id: uuid.UUID,
    document_id: uuid.UUID,
    expires: int,
    signature: str,
) -> bool:
    if expires < time.time():
        return False
    expected = _signature(settings, organisation_id, document_id, expires)
    return hmac.compare_digest(expected, signature)
