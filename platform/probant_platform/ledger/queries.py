"""The read side of the ledger: a wallet's movements, as a statement the API pages through."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select

from probant_platform.ledger.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    TransactionKind,
)
from probant_platform.ledger.services import wallet_kind


def wallet_entries(
    *,
    organisation_id: uuid.UUID,
    membership_id: uuid.UUID | None,
    kind: TransactionKind | None = None,
    from_: datetime | None = None,
    to: datetime | None = None,
) -> Select[LedgerEntry, LedgerTransaction]:
    """(entry, transaction) rows of the organisation's wallet (`membership_id` None) or of a
    member's, of one kind and within [from_, to) when given; unordered."""
    query = (
        select(LedgerEntry, LedgerTransaction)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(
            LedgerAccount.organisation_id == organisation_id,
            LedgerAccount.kind == wallet_kind(membership_id),
            LedgerAccount.membership_id.is_(None)
            if membership_id is None
            else LedgerAccount.membership_id == membership_id,
        )
    )
    if kind is not None:
        query = query.where(LedgerTransaction.kind == kind)
    if from_ is not None:
        query = query.where(LedgerEntry.created_at >= from_)
    if to is not None:
        query = query.where(LedgerEntry.created_at < to)
    return query
