"""Credit mutations: transfers between the organisation and its members, operators'
adjustments."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotFound, RoleOrAuthErrors
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import not_allowed, run_mutation
from probant_graphql.ledger.types import CreditsMoved, InsufficientCredits, SelfTransfer
from probant_platform.ledger import adjustments, services
from probant_platform.ledger import errors as ledger_errors
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
