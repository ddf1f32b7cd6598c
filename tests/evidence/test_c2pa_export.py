"""The deposit export carries a C2PA-credentialed copy of each sealed photo beside the original."""

from __future__ import annotations

import hashlib
import zipfile

import httpx
from tests.integrity.helpers import sealed_deposit

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.documents import pki
from probant_platform.evidence.credentials import read_credentials
from probant_platform.evidence.models import Deposit
from probant_platform.integrity.export import write_export
from probant_platform.storage import store_for


async def test_the_export_holds_valid_credentialed_copies_and_untouched_originals(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    sealed = await sealed_deposit(database, client, photos=2)
    scope = TenantScope(organisation_id=sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, sealed.deposit_id)
        assert deposit is not None
        spool = await write_export(
            session=session, settings=settings, store=store_for(settings), deposit=deposit
        )
        reference = deposit.reference
    with zipfile.ZipFile(spool) as archive:
        names = archive.namelist()
        originals = {n: archive.read(n) for n in names if n.startswith("media/")}
        copies = {n: archive.read(n) for n in names if n.startswith("credentials/")}
    spool.close()

    assert sorted(originals.values()) == sorted(sealed.photos)
    assert len(copies) == 2
    for name, copy in copies.items():
        original = originals[name.replace("credentials/", "media/")]
        check = read_credentials(copy, "image/jpeg", pki.trust_roots(settings))
        assert check.ok and check.state == "Trusted", check.failures
        assert check.capture is not None
        assert check.capture["original_sha256"] == hashlib.sha256(original).hexdigest()
        assert check.capture["deposit_reference"] == reference
