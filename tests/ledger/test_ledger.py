"""The ledger never loses, duplicates or overdraws a credit."""

from __future__ import annotations

import asyncio
import secrets
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from tests.factories import Role, add_member, make_organisation
from tests.ledger_helpers import fund
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, refused

from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services
from probant_platform.ledger.errors import IdempotencyConflict, InsufficientCredits, InvalidAmount
from probant_platform.ledger.models import LedgerAccount, LedgerEntry, TransactionKind
from probant_platform.ledger.pricing import PricingRule, price


def scope(org: uuid.UUID) -> TenantScope:
    return TenantScope(organisation_id=org)


async def test_spending_debits_the_organisation_wallet_for_admins(database: Database) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 5)
    async with database.unit_of_work(scope(owner.organisation_id)) as s:
        await services.spend(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=owner.membership_id,
            role_is_admin=True,
            credits=2,
            idempotency_key="deposit-1",
            reference="PRB-1",
        )
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 3


async def test_a_collaborator_spends_only_from_their_own_wallet(database: Database) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 10)
    with pytest.raises(InsufficientCredits):
        async with database.unit_of_work(scope(owner.organisation_id)) as s:
            await services.spend(
                session=s,
                organisation_id=owner.organisation_id,
                membership_id=colleague.membership_id,
                role_is_admin=False,
                credits=1,
                idempotency_key="c-1",
                reference="PRB-2",
            )
    await fund(database, owner.organisation_id, 3, membership_id=colleague.membership_id)
    async with database.unit_of_work(scope(owner.organisation_id)) as s:
        await services.spend(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=colleague.membership_id,
            role_is_admin=False,
            credits=1,
            idempotency_key="c-2",
            reference="PRB-2",
        )
        member_balance = await services.balance(
            session=s, organisation_id=owner.organisation_id, membership_id=colleague.membership_id
        )
        org_balance = await services.balance(session=s, organisation_id=owner.organisation_id)
    assert (member_balance, org_balance) == (2, 10)


async def test_the_same_idempotency_key_twice_has_one_effect(database: Database) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 5)
    async with database.unit_of_work(scope(owner.organisation_id)) as s:
        kwargs = dict(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=owner.membership_id,
            role_is_admin=True,
            credits=1,
            idempotency_key="same",
            reference="PRB-3",
        )
        first = await services.spend(**kwargs)  # type: ignore[arg-type]
        second = await services.spend(**kwargs)  # type: ignore[arg-type]
        assert first.id == second.id and second.replayed
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 4
        with pytest.raises(IdempotencyConflict):
            await services.spend(**{**kwargs, "credits": 2})  # type: ignore[arg-type]


@pytest.mark.parametrize("credits", [0, -1, 100_001])
async def test_bad_amounts_are_refused(database: Database, credits: int) -> None:
    owner = await make_organisation(database)
    with pytest.raises(InvalidAmount):
        async with database.unit_of_work(scope(owner.organisation_id)) as s:
            await services.issue(
                session=s,
                organisation_id=owner.organisation_id,
                kind=TransactionKind.PURCHASE,
                credits=credits,
                idempotency_key="bad",
            )


async def test_refund_returns_credits_to_the_wallet_they_came_from(database: Database) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 1)
    async with database.unit_of_work(scope(owner.organisation_id)) as s:
        await services.spend(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=owner.membership_id,
            role_is_admin=True,
            credits=1,
            idempotency_key="d",
            reference="PRB-4",
        )
        await services.refund(
            session=s,
            organisation_id=owner.organisation_id,
            original_idempotency_key="d",
            idempotency_key="d-refund",
            reason="rejected",
        )
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 1


async def test_fifty_concurrent_spends_on_twenty_credits(committed_database: Database) -> None:
    owner = await make_organisation(committed_database)
    await fund(committed_database, owner.organisation_id, 20)

    async def one(i: int) -> str:
        try:
            async with committed_database.unit_of_work(scope(owner.organisation_id)) as s:
                await services.spend(
                    session=s,
                    organisation_id=owner.organisation_id,
                    membership_id=owner.membership_id,
                    role_is_admin=True,
                    credits=1,
                    idempotency_key=f"spend-{i}",
                    reference=f"PRB-{i}",
                )
        except InsufficientCredits:
            return "refused"
        return "ok"

    results = await asyncio.gather(*(one(i) for i in range(50)))
    assert results.count("ok") == 20
    assert results.count("refused") == 30
    async with committed_database.unit_of_work(scope(owner.organisation_id)) as s:
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 0


async def test_the_database_refuses_unbalanced_or_edited_history(database: Database) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 2)
    with refused(INSUFFICIENT_PRIVILEGE, match="permission denied for table ledger_entries"):
        async with database.unit_of_work(scope(owner.organisation_id)) as s:
            await s.execute(text("UPDATE ledger_entries SET amount = amount * 2"))
    async with database.unit_of_work(scope(owner.organisation_id)) as s:
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 2
        amounts = await s.execute(select(LedgerEntry.amount).order_by(LedgerEntry.amount))
        assert list(amounts.scalars()) == [-2, 2]


def test_both_pricing_rules_are_expressible() -> None:
    assert price(rule=PricingRule.PER_DEPOSIT, photos=20, video_seconds=None).credits == 1
    assert price(rule=PricingRule.PER_ITEM, photos=3, video_seconds=None).credits == 3
    assert price(rule=PricingRule.PER_ITEM, photos=0, video_seconds=15).credits == 3
    assert price(rule=PricingRule.PER_ITEM, photos=0, video_seconds=15.5).credits == 6
    assert price(rule=PricingRule.PER_ITEM, photos=0, video_seconds=30).credits == 6


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["purchase", "allot", "transfer", "reclaim", "spend", "member_spend", "replay"]
        ),
        st.integers(min_value=1, max_value=7),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
async def test_random_sequences_keep_the_books_balanced(
    database: Database, operations: list[tuple[str, int]]
) -> None:
    owner = await make_organisation(database)
    member = await add_member(database, owner, role=Role.CLIENT)
    org = owner.organisation_id
    last_key = "none"
    for index, (operation, credits) in enumerate(operations):
        key = f"op-{index}-{secrets.token_hex(4)}"
        try:
            async with database.unit_of_work(scope(org)) as s:
                if operation in ("purchase", "allot"):
                    kind = (
                        TransactionKind.PURCHASE
                        if operation == "purchase"
                        else TransactionKind.ALLOTMENT
                    )
                    await services.issue(
                        session=s,
                        organisation_id=org,
                        kind=kind,
                        credits=credits,
                        idempotency_key=key,
                    )
                elif operation in ("transfer", "reclaim"):
                    await services.transfer(
                        session=s,
                        organisation_id=org,
                        membership_id=member.membership_id,
                        credits=credits,
                        idempotency_key=key,
                        reclaim=operation == "reclaim",
                    )
                elif operation in ("spend", "member_spend"):
                    admin = operation == "spend"
                    await services.spend(
                        session=s,
                        organisation_id=org,
                        membership_id=owner.membership_id if admin else member.membership_id,
                        role_is_admin=admin,
                        credits=credits,
                        idempotency_key=key,
                        reference="x",
                    )
                else:
                    await services.spend(
                        session=s,
                        organisation_id=org,
                        membership_id=owner.membership_id,
                        role_is_admin=True,
                        credits=credits,
                        idempotency_key=last_key,
                        reference="x",
                    )
                last_key = key
        except (InsufficientCredits, IdempotencyConflict):
            pass
    async with database.unit_of_work(scope(org)) as s:
        sums = await s.execute(
            select(func.sum(LedgerEntry.amount)).group_by(LedgerEntry.transaction_id)
        )
        assert all(total == 0 for (total,) in sums)
        for account in (await s.execute(select(LedgerAccount))).scalars():
            entries_total = (
                await s.execute(
                    select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                        LedgerEntry.account_id == account.id
                    )
                )
            ).scalar_one()
            assert account.balance == entries_total
            if account.kind.name.endswith("WALLET"):
                assert account.balance >= 0
