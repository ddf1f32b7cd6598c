"""The composition root installs every service a lower domain calls upwards; a process that
forgot it fails loudly instead of skipping the step."""

from __future__ import annotations

import uuid

import pytest

import probant_platform.wiring  # noqa: F401
from probant_platform.bailiffs.issuing import OfficeDocumentsOfDeposit
from probant_platform.evidence import hooks
from probant_platform.evidence.personal_data import deposits_authored
from probant_platform.integrity import issued_documents
from probant_platform.integrity.batches import forget_deposit
from probant_platform.integrity.tasks import join_sealed_deposit
from probant_tenants import deletion


def test_the_wiring_installs_integrity_bailiffs_and_evidence_services() -> None:
    assert hooks._installed.forget is forget_deposit
    assert hooks._installed.sealed is join_sealed_deposit
    assert isinstance(issued_documents.source(), OfficeDocumentsOfDeposit)
    assert list(deletion._SECTIONS) == ["deposits"]
    assert deletion._SECTIONS["deposits"] is deposits_authored


async def test_a_hook_never_installed_raises() -> None:
    saved = hooks._installed.sealed, issued_documents._installed[:]
    hooks._installed.sealed = None
    issued_documents._installed.clear()
    try:
        with pytest.raises(hooks.HooksNotInstalled):
            await hooks.deposit_sealed(organisation_id=uuid.uuid4(), deposit_id=uuid.uuid4())
        with pytest.raises(issued_documents.IssuedDocumentsNotInstalled):
            issued_documents.source()
    finally:
        hooks._installed.sealed = saved[0]
        issued_documents._installed[:] = saved[1]
