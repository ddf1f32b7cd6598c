"""Credit queries: the viewer's balance, a deposit's price, and the wallet's history."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.actors import wallet_of
from probant_graphql.core.pagination import encode_cursor, page
from probant_graphql.ledger.types import DepositQuote, LedgerEntryNode
from probant_graphql.ledger.types import TransactionKind as TransactionKindEnum
from probant_graphql.permissions import require
from probant_platform.ledger import pricing, services
from probant_platform.ledger import queries as ledger_queries
from probant_platform.ledger.models import LedgerEntry, TransactionKind
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


@strawberry.type
class LedgerQuery:
    @strawberry.field(
        description="Credits available to the viewer: their organisation's wallet "
        "for OWNER/ADMIN, their own wallet for other members."
    )
    async def credit_balance(self, info: Info[Context, Any]) -> int:
        actor = await require(info, Permission.ORGANISATION_READ)
        return await services.balance(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            membership_id=await wallet_of(info, actor),
        )

    @strawberry.field(
        description="The price of a deposit of this content, and the viewer's balance."
    )
    async def deposit_quote_for(
        self, info: Info[Context, Any], photos: int = 0, video_seconds: float | None = None
    ) -> DepositQuote:
        actor = await require(info, Permission.DEPOSITS_CREATE)
        if not 0 <= photos <= 1000 or (
            video_seconds is not None and not 0 <= video_seconds <= 3600
        ):
            raise ValueError("photos or videoSeconds out of range")
        quote = await pricing.quote_deposit(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            photos=photos,
            video_seconds=video_seconds,
        )
        return DepositQuote(
            credits=quote.credits,
            rule=quote.rule,
            description=quote.description(actor.locale),
            balance=await services.balance(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                membership_id=await wallet_of(info, actor),
            ),
        )


async def _wallet_entries(
    info: Info[Context, Any],
    actor: Actor,
    kind: TransactionKind | None,
    from_: datetime | None,
    to: datetime | None,
) -> Any:
    return ledger_queries.wallet_entries(
        organisation_id=actor.organisation_id,
        membership_id=await wallet_of(info, actor),
        kind=kind,
        from_=from_,
        to=to,
    )


@strawberry.type
class LedgerHistoryQuery:
    @strawberry.field(
        description="Movements of the viewer's wallet (the organisation's for admins), newest first"
    )
    async def ledger_entries(
        self,
        info: Info[Context, Any],
        kind: TransactionKindEnum | None = None,  # type: ignore[valid-type]
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[LedgerEntryNode]:  # type: ignore[type-var]
        actor = await require(info, Permission.ORGANISATION_READ)
        return await page(
            info.context.session,
            await _wallet_entries(info, actor, TransactionKind(kind) if kind else None, from_, to),
            created=LedgerEntry.created_at,
            ident=LedgerEntry.id,
            first=first,
            after=after,
            to_node=LedgerEntryNode.from_row,  # type: ignore[type-var]
            rows=True,
            cursor_of=lambda r: encode_cursor(r[0].created_at, r[0].id),
        )

    @strawberry.field(
        description="The same history as CSV (date, kind, amount, balance, reference, reason)."
    )
    async def ledger_entries_csv(
        self,
        info: Info[Context, Any],
        kind: TransactionKindEnum | None = None,  # type: ignore[valid-type]
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> str:
        actor = await require(info, Permission.ORGANISATION_READ)
        query = await _wallet_entries(
            info, actor, TransactionKind(kind) if kind else None, from_, to
        )
        rows = (
            await info.context.session.execute(
                query.order_by(LedgerEntry.created_at, LedgerEntry.id).limit(50_000)
            )
        ).all()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["date", "kind", "amount", "balance", "reference", "reason"])
        for entry, transaction in rows:
            writer.writerow(
                [
                    entry.created_at.isoformat(),
                    transaction.kind.value,
                    entry.amount,
                    entry.balance_after,
                    transaction.reference,
                    transaction.reason,
                ]
            )
        return out.getvalue()
