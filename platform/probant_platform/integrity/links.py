"""Short-lived signed links to a deposit's certified report and export (the link is the key)."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

from probant_platform.config import Settings

TTL_SECONDS = 300
PATHS = {
    "certificate": "/downloads/{org}/{deposit}/certificate.pdf",
    # The report in a language other than the one it was issued in (rendered on request).
    "certificate-fr": "/downloads/{org}/{deposit}/certificate.fr.pdf",
    "certificate-en": "/downloads/{org}/{deposit}/certificate.en.pdf",
    "export": "/downloads/{org}/{deposit}/export.zip",
}
KINDS = tuple(PATHS)


def _signature(
    settings: Settings, kind: str, org: uuid.UUID, deposit: uuid.UUID, expires: int
) -> str:
    message = f"{kind}:{org}:{deposit}:{expires}".encode()
    secret = settings.derived_secret("deposit-downloads").encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_link(
    settings: Settings, *, kind: str, organisation_id: uuid.UUID, deposit_id: uuid.UUID
) -> str:
    expires = int(time.time()) + TTL_SECONDS
    path = PATHS[kind].format(org=organisation_id, deposit=deposit_id)
    signature = _signature(settings, kind, organisation_id, deposit_id, expires)
    return f"{settings.base_url.rstrip('/')}{path}?expires={expires}&signature={signature}"


def link_is_valid(
    settings: Settings,
    *,
    kind: str,
    organisation_id: uuid.UUID,
    deposit_id: uuid.UUID,
    expires: int,
    signature: str,
) -> bool:
    if kind not in KINDS or expires < time.time():
        return False
    expected = _signature(settings, kind, organisation_id, deposit_id, expires)
    return hmac.compare_digest(expected, signature)
