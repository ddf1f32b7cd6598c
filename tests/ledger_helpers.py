"""Funding wallets in tests through the real ledger services."""

from __future__ import annotations

import secrets
import uuid

from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services
from probant_platform.ledger.models import TransactionKind


async def fund(
    database: Database,
    organisation_id: uuid.UUID,
    credits: int,
    membership_id: uuid.UUID | None = None,
) -> None:
    """Issue `credits` to the organisation (as an operator adjustment) and, if asked, pass them
    on to a member's wallet."""
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        await services.issue(
            session=session,
            organisation_id=organisation_id,
            kind=TransactionKind.ADJUSTMENT,
            credits=credits,
            idempotency_key=f"test-fund-{secrets.token_hex(8)}",
            reason="test funding",
        )
        if membership_id is not None:
            await services.transfer(
                session=session,
                organisation_id=organisation_id,
                membership_id=membership_id,
                credits=credits,
                idempotency_key=f"test-transfer-{secrets.token_hex(8)}",
            )


async def ledger_snapshot(database: Database, organisation_id: uuid.UUID) -> dict[str, object]:
    """Every account's balance and the number of entries: equal before and after a refusal."""
    from sqlalchemy import func, select

    from probant_platform.ledger.models import LedgerAccount, LedgerEntry

    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        accounts = await session.execute(
            select(LedgerAccount.kind, LedgerAccount.membership_id, LedgerAccount.balance)
        )
        entries = await session.execute(select(func.count()).select_from(LedgerEntry))
        return {
            "accounts": sorted((str(k), str(m), b) for k, m, b in accounts),
            "entries": entries.scalar_one(),
        }


TRANSFER = """
mutation($member: ID!, $amount: Int!, $key: String!) {
  transferCredits(memberId: $member, amount: $amount, idempotencyKey: $key) {
    __typename
    ... on CreditsMoved { credits replayed organisationBalance memberBalance }
    ... on InsufficientCredits { needed balance message }
    ... on Error { message }
  }
}"""
