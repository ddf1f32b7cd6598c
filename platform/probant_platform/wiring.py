"""The composition root's wiring: where a lower domain calls a higher one's service.

Domains import only downwards (the layers in pyproject's `[tool.importlinter]`, checked by
`make lint` and tests/unit/test_layers.py). Where a lower domain needs something only a
higher one knows, it declares an interface and this module, imported by every process's
entry point (the ASGI app, the worker's task registry, the CLI), installs the
implementation. Importing it twice installs the same thing twice.
"""

from __future__ import annotations

from probant_platform.bailiffs.issuing import OfficeDocumentsOfDeposit
from probant_platform.evidence import hooks as evidence_hooks
from probant_platform.evidence.personal_data import deposits_authored
from probant_platform.integrity import issued_documents
from probant_platform.integrity.batches import forget_deposit
from probant_platform.integrity.tasks import join_sealed_deposit
from probant_tenants import deletion


def wire() -> None:
    # A deleted deposit's sealed records go; a sealed deposit joins the anchoring batch.
    evidence_hooks.install(forget=forget_deposit, sealed=join_sealed_deposit)
    # The proof bundle and the export list the bailiff offices' documents of a deposit.
    issued_documents.install(OfficeDocumentsOfDeposit())
    # The account export carries the person's deposits.
    deletion.add_export_section("deposits", deposits_authored)


wire()
