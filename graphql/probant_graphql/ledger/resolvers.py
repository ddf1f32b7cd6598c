"""Credit queries and mutations."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import (
    Error,
    InvalidInput,
    NotFound,
    RoleOrAuthErrors,
    to_graphql_error,
)
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import not_allowed, run_mutation
from probant_graphql.core.pagination import connection, encode_cursor, newest_first
from probant_graphql.ledger.types import (
    CreditsMoved,
    DepositQuote,
    InsufficientCredits,
    SelfTransfer,
)
from probant_graphql.ledger.types import TransactionKind as TransactionKindEnum
from probant_graphql.permissions import require
from probant_platform.errors import DomainError
from probant_platform.ledger import adjustments, pricing, services
from probant_platform.ledger import errors as ledger_errors
from probant_platform.ledger import queries as ledger_queries
from probant_platform.ledger.models import (
    LedgerEntry,
    TransactionKind,
)
from probant_tenants import audit
from probant_tenants import queries as tenant_queries
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.errors import OrganisationNotFound
from probant_tenants.models import Membership, Role, User

CreditsResult = Annotated[
    CreditsMoved | InsufficientCredits | SelfTransfer | RoleOrAuthErrors | NotFound | InvalidInput,
    strawberry.union("CreditsResult"),
]
# The ledger's other refusals (amount, reason, idempotency key) name the amount.
LEDGER_FIELD = "amount"


def to_error(exc: DomainError, locale: str) -> Error:
    """For the modules not on the mutation runner yet (evidence): the registry's reading."""
    return to_graphql_error(exc, locale, default_field=LEDGER_FIELD)


async def _member_of(info: Info[Context, Any], actor: Actor, member_id: str) -> Membership:
    membership = await tenant_queries.active_membership(
        session=info.context.session,
        organisation_id=actor.organisation_id,
        membership_id=require_id(member_id, "Member", ledger_errors.MemberNotFound),
    )
    if membership is None:
        raise ledger_errors.MemberNotFound()
    return membership


async def _moved(
    info: Info[Context, Any],
    actor: Actor,
    moved: services.LedgerTransactionInfo,
    member: uuid.UUID | None,
) -> CreditsMoved:
    session = info.context.session
    return CreditsMoved(
        transaction_id=strawberry.ID(str(moved.id)),
        kind=moved.kind,
        credits=moved.credits,
        replayed=moved.replayed,
        organisation_balance=await services.balance(
            session=session, organisation_id=actor.organisation_id
        ),
        member_balance=await services.balance(
            session=session, organisation_id=actor.organisation_id, membership_id=member
        )
        if member
        else None,
    )


async def _transfer(
    info: Info[Context, Any], member_id: str, amount: int, idempotency_key: str, *, reclaim: bool
) -> Any:
    async def run(actor: Actor) -> CreditsMoved:
        member = await _member_of(info, actor, member_id)
        person = await info.context.session.get(User, member.user_id)
        moved = await services.transfer(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            membership_id=member.id,
            credits=amount,
            idempotency_key=idempotency_key,
            reclaim=reclaim,
            actor_user_id=actor.user_id,
            actor_membership_id=actor.membership_id,
            member_label=person.email if person else "",
        )
        return await _moved(info, actor, moved, member.id)

    return await run_mutation(info, Permission.CREDITS_TRANSFER, run, default_field=LEDGER_FIELD)


@strawberry.type
class LedgerQuery:
    @strawberry.field(
        description="Credits available to the viewer: their organisation's wallet "
        "for OWNER/ADMIN, their own wallet for other members."
    )
    async def credit_balance(self, info: Info[Context, Any]) -> int:
        actor = await require(info, Permission.ORGANISATION_READ)
        member = None if actor.is_admin else actor.membership_id
        return await services.balance(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            membership_id=member,
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
        member = None if actor.is_admin else actor.membership_id
        return DepositQuote(
            credits=quote.credits,
            rule=quote.rule,
            description=quote.description(actor.locale),
            balance=await services.balance(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                membership_id=member,
            ),
        )


@strawberry.type
class LedgerMutation:
    @strawberry.mutation(
        description="Allot credits from the organisation to a member (OWNER/ADMIN)."
    )
    async def transfer_credits(
        self, info: Info[Context, Any], member_id: strawberry.ID, amount: int, idempotency_key: str
    ) -> CreditsResult:
        return await _transfer(info, member_id, amount, idempotency_key, reclaim=False)

    @strawberry.mutation(description="Take back a member's unspent credits (OWNER/ADMIN).")
    async def reclaim_credits(
        self, info: Info[Context, Any], member_id: strawberry.ID, amount: int, idempotency_key: str
    ) -> CreditsResult:
        return await _transfer(info, member_id, amount, idempotency_key, reclaim=True)

    @strawberry.mutation(description="Operators: credit an organisation, with a written reason.")
    async def adjust_credits(
        self,
        info: Info[Context, Any],
        organisation_id: strawberry.ID,
        amount: int,
        reason: str,
        idempotency_key: str,
    ) -> CreditsResult:
        async def run(actor: Actor) -> CreditsMoved | Error:
            if actor.role is not Role.OPERATOR:
                return not_allowed(actor.locale)
            target = require_id(organisation_id, "Organisation", OrganisationNotFound)

            async def recorded(moved: services.LedgerTransactionInfo) -> None:
                await audit.record(
                    session=info.context.session,
                    organisation_id=target,
                    action=AuditAction.CREDITS_ADJUSTED,
                    actor_user_id=actor.user_id,
                    target=str(moved.id),
                    details={"credits": amount, "reason": reason.strip()},
                )

            moved, balance = await adjustments.adjust(
                session=info.context.session,
                organisation_id=target,
                credits=amount,
                idempotency_key=idempotency_key,
                reason=reason,
                operator_user_id=actor.user_id,
                recorded=recorded,
            )
            return CreditsMoved(
                transaction_id=strawberry.ID(str(moved.id)),
                kind=moved.kind,
                credits=moved.credits,
                replayed=moved.replayed,
                organisation_balance=balance,
                member_balance=None,
            )

        return await run_mutation(
            info, Permission.PLATFORM_OPERATE, run, default_field=LEDGER_FIELD
        )


@strawberry.type(name="LedgerEntry")
class LedgerEntryNode:
    id: strawberry.ID
    kind: TransactionKindEnum  # type: ignore[valid-type]
    amount: int
    balance_after: int = strawberry.field(description="The wallet's running balance after it.")
    reference: str
    reason: str
    created_at: datetime


def _wallet_entries(
    actor: Actor, kind: TransactionKind | None, from_: datetime | None, to: datetime | None
) -> Any:
    return ledger_queries.wallet_entries(
        organisation_id=actor.organisation_id,
        membership_id=None if actor.is_admin else actor.membership_id,
        kind=kind,
        from_=from_,
        to=to,
    )


def _entry(row: Any) -> LedgerEntryNode:
    entry, transaction = row
    return LedgerEntryNode(
        id=strawberry.ID(str(entry.id)),
        kind=transaction.kind,
        amount=entry.amount,
        balance_after=entry.balance_after,
        reference=transaction.reference,
        reason=transaction.reason,
        created_at=entry.created_at,
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
        query = newest_first(
            _wallet_entries(actor, TransactionKind(kind) if kind else None, from_, to),
            created=LedgerEntry.created_at,
            ident=LedgerEntry.id,
            after=after,
            first=first,
        )
        rows = (await info.context.session.execute(query)).all()
        return connection(
            rows,
            first=first,
            after=after,  # type: ignore[type-var]
            cursor_of=lambda r: encode_cursor(r[0].created_at, r[0].id),
            to_node=_entry,
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
        query = _wallet_entries(actor, TransactionKind(kind) if kind else None, from_, to)
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
