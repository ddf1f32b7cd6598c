"""Ledger accounts, transactions and their entries (append-only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id


class AccountKind(StrEnum):
    ORGANISATION_WALLET = "ORGANISATION_WALLET"
    MEMBER_WALLET = "MEMBER_WALLET"
    ISSUANCE = "ISSUANCE"
    CONSUMPTION = "CONSUMPTION"
    EXPIRY = "EXPIRY"


WALLET_KINDS = (AccountKind.ORGANISATION_WALLET, AccountKind.MEMBER_WALLET)


class TransactionKind(StrEnum):
    PURCHASE = "PURCHASE"
    ALLOTMENT = "ALLOTMENT"
    TRANSFER = "TRANSFER"
    SPEND = "SPEND"
    REFUND = "REFUND"
    EXPIRY = "EXPIRY"
    ADJUSTMENT = "ADJUSTMENT"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


class LedgerAccount(TenantMixin, Base):
    """A wallet or a system account of one organisation; `balance` is the sum of its entries."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "kind", "membership_id", postgresql_nulls_not_distinct=True
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind, "ledger_account_kind"))
    membership_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class LedgerTransaction(TenantMixin, Base):
    """One movement of credits; its entries sum to zero. The idempotency key makes it once-only."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        UniqueConstraint("organisation_id", "idempotency_key"),
        Index("ix_ledger_transactions_org_created", "organisation_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[TransactionKind] = mapped_column(_enum(TransactionKind, "ledger_transaction_kind"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    credits: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    actor_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class LedgerEntry(TenantMixin, Base):
    """A signed amount on one account within one transaction, with the balance it left."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_account_created", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT")
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
