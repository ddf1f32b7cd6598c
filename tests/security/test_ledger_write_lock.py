"""The application role, even with its own tenant's settings, cannot write the ledger tables:
no balance edited, no transaction or entry written by hand, no entry or account removed.
Credits move only through the ledger's database functions, which check the tenant, the amount
and the accounts themselves (migration 0990)."""

from __future__ import annotations

import secrets
import uuid

import pytest
from sqlalchemy import text
from tests.factories import MemberInfo, Role, add_member, make_organisation
from tests.ledger_helpers import fund, ledger_snapshot
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, refused

from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services
from probant_platform.ledger.models import AccountKind, TransactionKind

INVALID_PARAMETER = "22023"


async def _funded(database: Database, credits: int = 10) -> MemberInfo:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, credits)
    return owner


def _scope(owner: MemberInfo) -> TenantScope:
    return TenantScope(organisation_id=owner.organisation_id, user_id=owner.user_id)


async def _ids(database: Database, owner: MemberInfo) -> dict[str, uuid.UUID]:
    async with database.unit_of_work(_scope(owner)) as s:
        rows = await s.execute(text("SELECT kind, id FROM ledger_accounts"))
        accounts = {kind: ident for kind, ident in rows}
        transaction = (
            await s.execute(text("SELECT id FROM ledger_transactions LIMIT 1"))
        ).scalar_one()
        entry = (await s.execute(text("SELECT min(id) FROM ledger_entries"))).scalar_one()
    return {
        "wallet": accounts["ORGANISATION_WALLET"],
        "issuance": accounts["ISSUANCE"],
        "transaction": transaction,
        "entry": entry,
    }


# Each statement would change what the tenant holds; `:org`, `:wallet`, `:issuance`,
# `:transaction` and `:entry` are the tenant's own rows.
STATEMENTS = {
    "update a balance": "UPDATE ledger_accounts SET balance = balance + 1000 WHERE id = :wallet",
    "insert a transaction": (
        "INSERT INTO ledger_transactions (id, organisation_id, kind, idempotency_key, credits,"
        " created_at) VALUES (gen_random_uuid(), :org, 'ADJUSTMENT', :key, 1000, now())"
    ),
    "insert balanced entries": (
        "INSERT INTO ledger_entries (organisation_id, transaction_id, account_id, amount,"
        " balance_after, created_at) VALUES (:org, :transaction, :wallet, 1000, 1010, now()),"
        " (:org, :transaction, :issuance, -1000, -1010, now())"
    ),
    "delete an entry": "DELETE FROM ledger_entries WHERE id = :entry",
    "insert an account": (
        "INSERT INTO ledger_accounts (id, organisation_id, kind, membership_id, balance)"
        " VALUES (gen_random_uuid(), :org, 'EXPIRY', NULL, 1000)"
    ),
    "delete an account": "DELETE FROM ledger_accounts WHERE id = :issuance",
    "rewrite a transaction": (
        "UPDATE ledger_transactions SET credits = 1000 WHERE id = :transaction"
    ),
}


@pytest.mark.parametrize("statement", sorted(STATEMENTS))
async def test_the_app_role_cannot_write_the_ledger_by_hand(
    database: Database, statement: str
) -> None:
    owner = await _funded(database)
    ids = await _ids(database, owner)
    before = await ledger_snapshot(database, owner.organisation_id)

    with refused(INSUFFICIENT_PRIVILEGE, match="permission denied for table ledger_"):
        async with database.unit_of_work(_scope(owner)) as s:
            await s.execute(
                text(STATEMENTS[statement]),
                {"org": owner.organisation_id, "key": f"mint-{secrets.token_hex(6)}", **ids},
            )

    assert await ledger_snapshot(database, owner.organisation_id) == before
    async with database.unit_of_work(_scope(owner)) as s:
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 10


RECORD = (
    "SELECT transaction_id FROM probant_ledger_record(:org, 'ADJUSTMENT', :key, :credits,"
    " :source, :source_member, :target, :target_member, '', 'probe', NULL)"
)


async def _call_record(
    database: Database,
    owner: MemberInfo,
    *,
    org: uuid.UUID,
    credits: int,
    source: str = "ISSUANCE",
    target: str = "ORGANISATION_WALLET",
    source_member: uuid.UUID | None = None,
    target_member: uuid.UUID | None = None,
) -> None:
    async with database.unit_of_work(_scope(owner)) as s:
        await s.execute(
            text(RECORD),
            {
                "org": org,
                "key": f"probe-{secrets.token_hex(6)}",
                "credits": credits,
                "source": source,
                "target": target,
                "source_member": source_member,
                "target_member": target_member,
            },
        )


async def test_the_ledger_function_refuses_another_tenant(database: Database) -> None:
    owner = await _funded(database)
    other = await _funded(database)
    before = await ledger_snapshot(database, other.organisation_id)

    with refused(INSUFFICIENT_PRIVILEGE, match="outside the current tenant"):
        await _call_record(database, owner, org=other.organisation_id, credits=5)

    assert await ledger_snapshot(database, other.organisation_id) == before


@pytest.mark.parametrize("credits", [0, -1000, 100_001])
async def test_the_ledger_function_refuses_an_amount_out_of_range(
    database: Database, credits: int
) -> None:
    """A negative amount would run the leg backwards (a spend that fills the wallet)."""
    owner = await _funded(database)
    before = await ledger_snapshot(database, owner.organisation_id)

    with refused(INVALID_PARAMETER, match="amount out of range"):
        await _call_record(
            database,
            owner,
            org=owner.organisation_id,
            credits=credits,
            source="ORGANISATION_WALLET",
            target="CONSUMPTION",
        )

    assert await ledger_snapshot(database, owner.organisation_id) == before


async def test_the_ledger_function_refuses_a_member_of_another_tenant(
    database: Database,
) -> None:
    owner = await _funded(database)
    other = await make_organisation(database)
    stranger = await add_member(database, other, role=Role.COLLABORATOR)
    before = await ledger_snapshot(database, owner.organisation_id)

    with refused(INVALID_PARAMETER, match="another tenant or malformed"):
        await _call_record(
            database,
            owner,
            org=owner.organisation_id,
            credits=5,
            source="ORGANISATION_WALLET",
            target="MEMBER_WALLET",
            target_member=stranger.membership_id,
        )

    assert await ledger_snapshot(database, owner.organisation_id) == before


async def test_the_ledger_function_refuses_a_transaction_to_the_same_account(
    database: Database,
) -> None:
    owner = await _funded(database)
    with refused(INVALID_PARAMETER, match="to itself"):
        await _call_record(
            database,
            owner,
            org=owner.organisation_id,
            credits=5,
            source="ORGANISATION_WALLET",
            target="ORGANISATION_WALLET",
        )


async def test_accounts_are_opened_by_the_ledger_function(database: Database) -> None:
    """The normal flows still write: an account opened, a spend and its refund recorded."""
    owner = await _funded(database)
    member = await add_member(database, owner, role=Role.COLLABORATOR)
    async with database.unit_of_work(_scope(owner)) as s:
        wallet = await services.account(
            session=s,
            organisation_id=owner.organisation_id,
            kind=AccountKind.MEMBER_WALLET,
            membership_id=member.membership_id,
        )
        again = await services.account(
            session=s,
            organisation_id=owner.organisation_id,
            kind=AccountKind.MEMBER_WALLET,
            membership_id=member.membership_id,
        )
        assert (wallet.id, wallet.balance) == (again.id, 0)
        await services.spend(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=owner.membership_id,
            role_is_admin=True,
            credits=4,
            idempotency_key="spend-1",
            reference="probe",
        )
        await services.refund(
            session=s,
            organisation_id=owner.organisation_id,
            original_idempotency_key="spend-1",
            idempotency_key="refund-1",
            reason="probe",
        )
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 10
        spent = await services.spend(
            session=s,
            organisation_id=owner.organisation_id,
            membership_id=owner.membership_id,
            role_is_admin=True,
            credits=3,
            idempotency_key="spend-2",
            reference="probe",
        )
        assert spent.kind is TransactionKind.SPEND
        assert await services.balance(session=s, organisation_id=owner.organisation_id) == 7
