"""Moving credits: every write is one balanced transaction, once per idempotency key.

A wallet's balance never goes negative: the debit is a conditional UPDATE
(`balance >= amount`) in the same database transaction as the entries, so concurrent
spends serialise on the wallet's row and the loser sees the new balance. The whole write is
one call to the `probant_ledger_record` database function (migrations 0640, 0820), which
locks both accounts in one global order; a deadlock or serialisation failure that still
happens (with other tables' locks held by the caller) is retried a bounded number of times.

The application role has no INSERT, UPDATE or DELETE on the ledger tables (migration 0990):
both database functions run with the owner's rights and check the tenant, the amount and the
accounts themselves, so no other statement can mint or remove credits.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.ledger.errors import (
    IdempotencyConflict,
    InsufficientCredits,
    InvalidAmount,
    ReasonRequired,
    SelfTransfer,
)
from probant_platform.ledger.models import (
    AccountKind,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    TransactionKind,
)
from probant_platform.observability_metrics import observe_ledger

MAX_CREDITS = 100_000
RECORD_ATTEMPTS = 4
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


@dataclass(frozen=True)
class LedgerTransactionInfo:
    id: uuid.UUID
    kind: TransactionKind
    credits: int
    idempotency_key: str
    replayed: bool


@dataclass(frozen=True)
class Leg:
    """One side of a transaction: `amount` credits leave `source` for `target`."""

    source: AccountKind
    target: AccountKind
    source_member: uuid.UUID | None = None
    target_member: uuid.UUID | None = None


def _check_amount(credits: int) -> None:
    if not isinstance(credits, int) or credits <= 0 or credits > MAX_CREDITS:
        raise InvalidAmount()


async def account(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    kind: AccountKind,
    membership_id: uuid.UUID | None = None,
) -> LedgerAccount:
    """The organisation's account of `kind` (a member's wallet when `membership_id` is given).

    Opened, when missing, by the `probant_ledger_account` database function (migration 0990):
    the application role may not write the ledger tables itself.
    """
    await session.execute(
        text("SELECT probant_ledger_account(:org, :kind, :member)"),
        {"org": organisation_id, "kind": kind.value, "member": membership_id},
    )
    found = await session.execute(
        select(LedgerAccount).where(
            LedgerAccount.organisation_id == organisation_id,
            LedgerAccount.kind == kind,
            LedgerAccount.membership_id.is_(None)
            if membership_id is None
            else LedgerAccount.membership_id == membership_id,
        )
    )
    return found.scalar_one()


def wallet_kind(membership_id: uuid.UUID | None) -> AccountKind:
    return AccountKind.ORGANISATION_WALLET if membership_id is None else AccountKind.MEMBER_WALLET


async def balance(
    *, session: AsyncSession, organisation_id: uuid.UUID, membership_id: uuid.UUID | None = None
) -> int:
    """Credits in the organisation's wallet, or in a member's wallet."""
    found = await session.execute(
        select(LedgerAccount.balance).where(
            LedgerAccount.organisation_id == organisation_id,
            LedgerAccount.kind == wallet_kind(membership_id),
            LedgerAccount.membership_id.is_(None)
            if membership_id is None
            else LedgerAccount.membership_id == membership_id,
        )
    )
    return int(found.scalar_one_or_none() or 0)


async def member_balances(
    *, session: AsyncSession, organisation_id: uuid.UUID, membership_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each member's wallet balance, in one query (members without a wallet hold 0)."""
    found = await session.execute(
        select(LedgerAccount.membership_id, LedgerAccount.balance).where(
            LedgerAccount.organisation_id == organisation_id,
            LedgerAccount.kind == AccountKind.MEMBER_WALLET,
            LedgerAccount.membership_id.in_(membership_ids),
        )
    )
    balances = {member: int(amount) for member, amount in found.all() if member is not None}
    return {member: balances.get(member, 0) for member in membership_ids}


RECORD = text(
    "SELECT transaction_id, replayed, existing_kind, existing_credits, short_balance "
    "FROM probant_ledger_record(:org, :kind, :key, :credits, :source_kind, :source_member, "
    ":target_kind, :target_member, :reference, :reason, :actor)"
)


async def record(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    kind: TransactionKind,
    credits: int,
    leg: Leg,
    idempotency_key: str,
    reference: str = "",
    reason: str = "",
    actor_user_id: uuid.UUID | None = None,
) -> LedgerTransactionInfo:
    """Move `credits` along `leg` once: replaying the key returns the first result.

    One statement (the `probant_ledger_record` database function, migrations 0640 and 0820)
    checks the key, locks both accounts in their global order, debits the source
    conditionally, writes the transaction, credits the target and writes both entries; when
    the source wallet is short it writes nothing and this raises `InsufficientCredits`. The
    wallet's row lock is thus held for one round trip and the commit.
    """
    _check_amount(credits)
    if not idempotency_key or len(idempotency_key) > 200:
        raise InvalidAmount()
    row = await _record_with_retry(
        session,
        {
            "org": organisation_id,
            "kind": kind.value,
            "key": idempotency_key,
            "credits": credits,
            "source_kind": leg.source.value,
            "source_member": leg.source_member,
            "target_kind": leg.target.value,
            "target_member": leg.target_member,
            "reference": reference,
            "reason": reason,
            "actor": actor_user_id,
        },
    )
    if row.replayed:
        if row.existing_kind != kind.value or row.existing_credits != credits:
            raise IdempotencyConflict()
        return LedgerTransactionInfo(
            row.transaction_id, kind, credits, idempotency_key, replayed=True
        )
    if row.transaction_id is None:
        raise InsufficientCredits(needed=credits, balance=int(row.short_balance))
    observe_ledger(kind.value)
    return LedgerTransactionInfo(row.transaction_id, kind, credits, idempotency_key, False)


async def _record_with_retry(session: AsyncSession, parameters: dict[str, Any]) -> Row[Any]:
    """Run the function in a SAVEPOINT: a deadlock victim rolls back only this write (and its
    locks) and tries again after a short random pause, keeping the caller's transaction."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            async with session.begin_nested():
                return (await session.execute(RECORD, parameters)).one()
        except DBAPIError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None)
            if sqlstate not in RETRYABLE_SQLSTATES or attempt == RECORD_ATTEMPTS:
                raise
        await asyncio.sleep(random.uniform(0.005, 0.02) * attempt)
    raise AssertionError("unreachable")


async def _existing(
    session: AsyncSession, organisation_id: uuid.UUID, key: str
) -> LedgerTransaction | None:
    found = await session.execute(
        select(LedgerTransaction).where(
            LedgerTransaction.organisation_id == organisation_id,
            LedgerTransaction.idempotency_key == key,
        )
    )
    return found.scalar_one_or_none()


def _info(row: LedgerTransaction, *, replayed: bool) -> LedgerTransactionInfo:
    return LedgerTransactionInfo(row.id, row.kind, row.credits, row.idempotency_key, replayed)


async def spend(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    membership_id: uuid.UUID,
    role_is_admin: bool,
    credits: int,
    idempotency_key: str,
    reference: str,
    kind: TransactionKind = TransactionKind.SPEND,
) -> LedgerTransactionInfo:
    """Debit a deposit or a submission: admins from the organisation, others from their wallet."""
    member = None if role_is_admin else membership_id
    leg = Leg(source=wallet_kind(member), target=AccountKind.CONSUMPTION, source_member=member)
    return await record(
        session=session,
        organisation_id=organisation_id,
        kind=kind,
        credits=credits,
        leg=leg,
        idempotency_key=idempotency_key,
        reference=reference,
    )


async def refund(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    original_idempotency_key: str,
    idempotency_key: str,
    reason: str,
) -> LedgerTransactionInfo:
    """Give back what a spend took, to the wallet it came from."""
    original = await _existing(session, organisation_id, original_idempotency_key)
    if original is None or original.kind is not TransactionKind.SPEND:
        raise IdempotencyConflict()
    source_entry = (
        await session.execute(
            select(LedgerAccount)
            .join(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
            .where(LedgerEntry.transaction_id == original.id, LedgerEntry.amount < 0)
        )
    ).scalar_one()
    leg = Leg(
        source=AccountKind.CONSUMPTION,
        target=source_entry.kind,
        target_member=source_entry.membership_id,
    )
    return await record(
        session=session,
        organisation_id=organisation_id,
        kind=TransactionKind.REFUND,
        credits=original.credits,
        leg=leg,
        idempotency_key=idempotency_key,
        reference=original.reference,
        reason=reason,
    )


async def issue(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    kind: TransactionKind,
    credits: int,
    idempotency_key: str,
    reference: str = "",
    reason: str = "",
    actor_user_id: uuid.UUID | None = None,
) -> LedgerTransactionInfo:
    """Credit the organisation's wallet from issuance (purchase, allotment, adjustment)."""
    if kind is TransactionKind.ADJUSTMENT and not reason.strip():
        raise ReasonRequired()
    leg = Leg(source=AccountKind.ISSUANCE, target=AccountKind.ORGANISATION_WALLET)
    return await record(
        session=session,
        organisation_id=organisation_id,
        kind=kind,
        credits=credits,
        leg=leg,
        idempotency_key=idempotency_key,
        reference=reference,
        reason=reason,
        actor_user_id=actor_user_id,
    )


async def transfer(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    membership_id: uuid.UUID,
    credits: int,
    idempotency_key: str,
    reclaim: bool = False,
    actor_user_id: uuid.UUID | None = None,
    actor_membership_id: uuid.UUID | None = None,
    member_label: str = "",
) -> LedgerTransactionInfo:
    """Allot credits from the organisation to a member (or take unspent ones back); never to
    the acting admin, who spends the organisation's wallet already. The entries' reference
    names the member (`member_label`, e.g. their email)."""
    if actor_membership_id is not None and actor_membership_id == membership_id:
        raise SelfTransfer()
    org, member = AccountKind.ORGANISATION_WALLET, AccountKind.MEMBER_WALLET
    leg = (
        Leg(source=member, target=org, source_member=membership_id)
        if reclaim
        else Leg(source=org, target=member, target_member=membership_id)
    )
    return await record(
        session=session,
        organisation_id=organisation_id,
        kind=TransactionKind.TRANSFER,
        credits=credits,
        leg=leg,
        idempotency_key=idempotency_key,
        reference=member_label,
        actor_user_id=actor_user_id,
    )
