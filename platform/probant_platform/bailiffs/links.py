"""Short-lived signed links to an office's documents (the link is the permission)."""

from __future__ import annotations

import uuid

from probant_platform.config import Settings
from probant_platform.storage.signing import sign_path, verify_path

TTL_SECONDS = 600


def _path(organisation_id: uuid.UUID, document_id: uuid.UUID) -> str:
    return f"/office-documents/{organisation_id}/{document_id}"


def document_url(settings: Settings, *, organisation_id: uuid.UUID, document_id: uuid.UUID) -> str:
    signed = sign_path(
        secret=settings.derived_secret("office-documents"),
        path=_path(organisation_id, document_id),
        ttl=TTL_SECONDS,
    )
    return f"{settings.base_url.rstrip('/')}{signed}"


def verify(
    settings: Settings,
    *,
    organisation_id: uuid.UUID,
    document_id: uuid.UUID,
    expires: int,
    signature: str,
) -> bool:
    return verify_path(
        secret=settings.derived_secret("office-documents"),
        path=_path(organisation_id, document_id),
        expires=expires,
        signature=signature,
    )
