"""Each office signs with its own certificate.

Development: issued by the platform's development CA the first time the office signs, kept
in `office_certificates` with the key encrypted under a derived secret. Production: offices
bring their certificate, installed as `<PROBANT_OFFICE_CERTIFICATES_DIR>/<office id>.p12`
(password `PROBANT_OFFICE_CERTIFICATES_PASSWORD`); nothing is issued.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.models import OfficeCertificate
from probant_platform.config import Settings
from probant_platform.db import utcnow
from probant_platform.documents import pki


def _password(settings: Settings) -> bytes:
    return settings.derived_secret("office-signing").encode()


@dataclass(frozen=True)
class Holder:
    """The commissaire de justice a PV is signed by."""

    user_id: uuid.UUID
    name: str


async def office_signer(
    *,
    session: AsyncSession,
    settings: Settings,
    office_id: uuid.UUID,
    office_name: str,
    holder: Holder | None = None,
) -> pki.Signer:
    """The office's signer; the session must be scoped to the office (or a job acting for it).

    A PV passes its commissaire as `holder`: in development the certificate is (re)issued in
    their name when it was issued to nobody or to another commissaire."""
    if settings.office_certificates_dir is not None:
        path = settings.office_certificates_dir / f"{office_id}.p12"
        if not path.is_file():
            raise pki.SigningUnavailable(f"no certificate installed for office {office_id}")
        secret = settings.office_certificates_password
        return pki.load_pkcs12(
            path.read_bytes(), secret.get_secret_value().encode() if secret else None
        )
    if settings.is_production:
        raise pki.SigningUnavailable("set PROBANT_OFFICE_CERTIFICATES_DIR in production")
    stored = await session.get(OfficeCertificate, office_id)
    if stored is None or (holder is not None and stored.holder_user_id != holder.user_id):
        signer = await asyncio.to_thread(
            pki.issue_office_certificate,
            settings,
            office_name=office_name,
            email=None,
            holder_name=holder.name if holder else None,
        )
        values = {
            "pem": signer.to_pem(_password(settings)),
            "fingerprint": signer.fingerprint,
            "common_name": signer.common_name,
            "holder_user_id": holder.user_id if holder else None,
            "created_at": utcnow(),
        }
        statement = insert(OfficeCertificate).values(office_id=office_id, **values)
        await session.execute(
            statement.on_conflict_do_update(index_elements=["office_id"], set_=values)
            if holder is not None
            else statement.on_conflict_do_nothing()
        )
        stored = await session.get(OfficeCertificate, office_id, populate_existing=True)
        assert stored is not None
    return pki.Signer.from_pem(stored.pem, _password(settings))
