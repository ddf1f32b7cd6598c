"""Credit types and errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from probant_graphql.core.errors import Error, invalid_input, register
from probant_platform.errors import DomainError
from probant_platform.ledger import models, pricing

TransactionKind = strawberry.enum(models.TransactionKind, name="TransactionKind")
PricingRule = strawberry.enum(pricing.PricingRule, name="PricingRule")


@strawberry.type(description="The wallet does not hold enough credits.")
class InsufficientCredits(Error):
    needed: int
    balance: int


@strawberry.type(description="An admin cannot transfer credits to (or reclaim from) themselves.")
class SelfTransfer(Error):
    pass


def _insufficient(exc: DomainError, locale: str) -> Error:
    return InsufficientCredits(
        message=exc.message(locale), needed=exc.params["needed"], balance=exc.params["balance"]
    )


register("INSUFFICIENT_CREDITS", _insufficient)
register("SELF_TRANSFER", SelfTransfer)
register("REASON_REQUIRED", invalid_input("reason"))


@strawberry.type
class CreditsMoved:
    transaction_id: strawberry.ID
    kind: TransactionKind  # type: ignore[valid-type]
    credits: int
    replayed: bool = strawberry.field(
        description="True when this idempotency key had already been used: nothing moved again."
    )
    organisation_balance: int
    member_balance: int | None


@strawberry.type(description="The price of a deposit before it is sealed.")
class DepositQuote:
    credits: int
    rule: PricingRule  # type: ignore[valid-type]
    description: str
    balance: int


@strawberry.type(name="LedgerEntry")
class LedgerEntryNode:
    id: strawberry.ID
    kind: TransactionKind  # type: ignore[valid-type]
    amount: int
    balance_after: int = strawberry.field(description="The wallet's running balance after it.")
    reference: str
    reason: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> LedgerEntryNode:
        """From an (entry, transaction) row of `ledger.queries.wallet_entries`."""
        entry, transaction = row
        return cls(
            id=strawberry.ID(str(entry.id)),
            kind=transaction.kind,
            amount=entry.amount,
            balance_after=entry.balance_after,
            reference=transaction.reference,
            reason=transaction.reason,
            created_at=entry.created_at,
        )
