"""Operators credit an organisation by hand (a goodwill gesture, a correction), with a reason."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import TenantScope
from probant_platform.db.session import acting_as
from probant_platform.ledger.models import TransactionKind
from probant_platform.ledger.services import LedgerTransactionInfo, balance, issue


async def adjust(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    credits: int,
    idempotency_key: str,
    reason: str,
    operator_user_id: uuid.UUID,
    recorded: Callable[[LedgerTransactionInfo], Awaitable[None]] | None = None,
) -> tuple[LedgerTransactionInfo, int]:
    """The adjustment, written in the organisation's scope, and its wallet's new balance.

    `recorded` runs in that scope after a new (not replayed) adjustment: the caller's audit
    record, written in the same transaction."""
    scope = TenantScope(organisation_id=organisation_id, user_id=operator_user_id)
    async with acting_as(session, scope):
        moved = await issue(
            session=session,
            organisation_id=organisation_id,
            kind=TransactionKind.ADJUSTMENT,
            credits=credits,
            idempotency_key=idempotency_key,
            reason=reason,
            actor_user_id=operator_user_id,
        )
        if recorded is not None and not moved.replayed:
            await recorded(moved)
        return moved, await balance(session=session, organisation_id=organisation_id)
