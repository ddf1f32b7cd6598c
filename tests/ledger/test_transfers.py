"""An admin allots credits to a colleague and takes unspent ones back; the statement says
who did it and for whom."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.factories import Role, add_member, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services
from probant_platform.ledger.errors import InsufficientCredits
from probant_platform.ledger.models import LedgerTransaction


async def test_an_admin_allots_to_a_colleague_then_takes_the_unspent_part_back(
    database: Database,
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 10)
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:

        async def balances() -> tuple[int, int]:
            member = await services.balance(
                session=s,
                organisation_id=owner.organisation_id,
                membership_id=colleague.membership_id,
            )
            organisation = await services.balance(session=s, organisation_id=owner.organisation_id)
            return member, organisation

        allotted = await services.transfer(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=colleague.membership_id,
            credits=4,
            idempotency_key="allot-1",
            actor_user_id=owner.user_id,
            actor_membership_id=owner.membership_id,
            member_label="camille@example.com",
        )
        assert await balances() == (4, 6)
        reclaimed = await services.transfer(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=colleague.membership_id,
            credits=3,
            idempotency_key="reclaim-1",
            reclaim=True,
            actor_user_id=owner.user_id,
            actor_membership_id=owner.membership_id,
            member_label="camille@example.com",
        )
        assert await balances() == (1, 9)
        rows = {
            row.idempotency_key: row
            for row in (
                await s.execute(
                    select(LedgerTransaction).where(
                        LedgerTransaction.id.in_([allotted.id, reclaimed.id])
                    )
                )
            ).scalars()
        }
    # The statement names the member and remembers who moved the credits.
    assert [
        (r.reference, r.actor_user_id, r.credits) for r in (rows["allot-1"], rows["reclaim-1"])
    ] == [
        ("camille@example.com", owner.user_id, 4),
        ("camille@example.com", owner.user_id, 3),
    ]


async def test_more_than_the_member_holds_cannot_be_taken_back(database: Database) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 5, membership_id=colleague.membership_id)
    with pytest.raises(InsufficientCredits):
        async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
            await services.transfer(
                session=s,
                organisation_id=owner.organisation_id,
                membership_id=colleague.membership_id,
                credits=6,
                idempotency_key="reclaim-too-much",
                reclaim=True,
            )
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        member = await services.balance(
            session=s, organisation_id=owner.organisation_id, membership_id=colleague.membership_id
        )
        organisation = await services.balance(session=s, organisation_id=owner.organisation_id)
    assert (member, organisation) == (5, 0)
