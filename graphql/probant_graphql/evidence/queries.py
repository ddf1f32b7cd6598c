"""The archive and a draft's quote (the contract in docs/capture-api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.actors import wallet_of
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.pagination import page
from probant_graphql.evidence import types as t
from probant_graphql.evidence.loaders import reader_for
from probant_graphql.evidence.mutations import author_of
from probant_graphql.ledger.types import DepositQuote
from probant_graphql.permissions import require
from probant_platform.evidence import deposits, queries
from probant_platform.evidence import errors as e
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.ledger import services as ledger
from probant_tenants.authz import Permission


@strawberry.input
class DepositFilter:
    status: t.DepositStatus | None = None  # type: ignore[valid-type]
    author: strawberry.ID | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
    search: str | None = None

    def to_filter(self) -> queries.ArchiveFilter:
        return queries.ArchiveFilter(
            status=DepositStatus(self.status) if self.status is not None else None,
            author_membership_id=require_id(self.author, "Member", e.DepositNotFound)
            if self.author is not None
            else None,
            from_=self.from_,
            to=self.to,
            search=self.search,
        )


@strawberry.type
class EvidenceQuery:
    @strawberry.field(
        description="The price of sealing this deposit now, and the viewer's balance."
    )
    async def deposit_quote(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> DepositQuote | None:
        actor = await require(info, Permission.DEPOSITS_CREATE)
        found = decode_id(deposit_id, "Deposit")
        if found is None:
            return None
        try:
            deposit = await deposits.get_deposit(
                session=info.context.session,
                author=await author_of(info, actor),
                deposit_id=found,
            )
        except e.DepositNotFound:
            return None
        quote = await deposits.quote(session=info.context.session, deposit=deposit)
        return DepositQuote(
            credits=quote.credits,
            rule=quote.rule,
            description=quote.description(actor.locale),
            balance=await ledger.balance(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                membership_id=await wallet_of(info, actor),
            ),
        )

    @strawberry.field(
        description="The archive, newest first: the organisation's for OWNER/ADMIN, else your own."
    )
    async def deposits(
        self,
        info: Info[Context, Any],
        filter: DepositFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[t.Deposit]:
        actor = await require(info, Permission.DEPOSITS_READ_OWN)
        query = queries.archive(
            await reader_for(info, actor), filter.to_filter() if filter is not None else None
        )
        return await page(
            info.context.session,
            query,
            created=Deposit.created_at,
            ident=Deposit.id,
            first=first,
            after=after,
            to_node=t.Deposit.from_model,
            rows=True,
        )
