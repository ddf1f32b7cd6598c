"""A refund gives a spend back to the very wallet it came from, once, and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.factories import Role, add_member, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services
from probant_platform.ledger.errors import IdempotencyConflict
from probant_platform.ledger.models import LedgerTransaction, TransactionKind


async def test_a_collaborators_spend_goes_back_to_the_collaborators_wallet(
    database: Database,
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 7)
    await fund(database, owner.organisation_id, 2, membership_id=colleague.membership_id)
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        await services.spend(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=colleague.membership_id,
            role_is_admin=False,
            credits=2,
            idempotency_key="deposit-PRB-9",
            reference="PRB-9",
        )
        refund = await services.refund(
            session=s,
            organisation_id=owner.organisation_id,
            original_idempotency_key="deposit-PRB-9",
            idempotency_key="refund-PRB-9",
            reason="rejected by the office",
        )
        again = await services.refund(
            session=s,
            organisation_id=owner.organisation_id,
            original_idempotency_key="deposit-PRB-9",
            idempotency_key="refund-PRB-9",
            reason="rejected by the office",
        )
        member = await services.balance(
            session=s, organisation_id=owner.organisation_id, membership_id=colleague.membership_id
        )
        organisation = await services.balance(session=s, organisation_id=owner.organisation_id)
        row = (
            await s.execute(select(LedgerTransaction).where(LedgerTransaction.id == refund.id))
        ).scalar_one()
    # Back to the collaborator (2), not to the organisation (which keeps its 7).
    assert (member, organisation) == (2, 7)
    assert (refund.kind, refund.credits, refund.replayed) == (TransactionKind.REFUND, 2, False)
    assert (again.id, again.replayed) == (refund.id, True)
    # The statement line says which deposit was refunded and why.
    assert (row.reference, row.reason) == ("PRB-9", "rejected by the office")


@pytest.mark.parametrize("original", ["a purchase", "an unknown key"])
async def test_only_a_spend_can_be_refunded(database: Database, original: str) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        await services.issue(
            session=s,
            organisation_id=owner.organisation_id,
            kind=TransactionKind.PURCHASE,
            credits=4,
            idempotency_key="pack-1",
        )
    key = "pack-1" if original == "a purchase" else "never-recorded"
    with pytest.raises(IdempotencyConflict):
        async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
            await services.refund(
                session=s,
                organisation_id=owner.organisation_id,
                original_idempotency_key=key,
                idempotency_key="refund-pack-1",
                reason="try",
            )
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 7
        refunds = await s.execute(
            select(LedgerTransaction).where(LedgerTransaction.kind == TransactionKind.REFUND)
        )
        assert refunds.scalars().all() == []
