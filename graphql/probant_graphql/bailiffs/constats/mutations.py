"""PV de constat de dépôt: order, payment, cancellation, the office's preparation and the
commissaire's validation."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.bailiffs.constats.types import (
    ConstatOrderPayload,
    ConstatPaymentStarted,
    OrderConstatInput,
    OrderResult,
    OrderStateResult,
    PayResult,
)
from probant_graphql.bailiffs.types import ConstatOrder
from probant_graphql.context import Context
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.evidence.mutations import author_of
from probant_platform.bailiffs import constats, payment
from probant_platform.bailiffs import models as m
from probant_platform.bailiffs.errors import RequestNotFound
from probant_platform.bailiffs.review import clerk_of
from probant_platform.evidence.errors import DepositNotFound
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


def _order_uuid(value: str) -> uuid.UUID:
    return require_id(value, "ConstatOrder", RequestNotFound)


def _on_order(
    info: Info[Context, Any],
    order_id: str,
    step: Callable[..., Awaitable[m.ConstatOrder]],
    **arguments: Any,
) -> Callable[[Actor], Awaitable[ConstatOrderPayload]]:
    """The service an office's step on one paid order runs (for `run_mutation`)."""

    async def run(actor: Actor) -> ConstatOrderPayload:
        clerk = clerk_of(actor)
        order = await step(
            session=info.context.session,
            clerk=clerk,
            order_id=_order_uuid(order_id),
            **arguments,
        )
        return ConstatOrderPayload(order=ConstatOrder.from_model(order))

    return run


@strawberry.type
class ConstatMutation:
    @strawberry.mutation(
        description="OWNER/ADMIN: order the conversion of a sealed or accepted deposit into a "
        "PV de constat de dépôt. The legal identity is saved to the organisation for next "
        "time; the order then awaits payment."
    )
    async def order_constat(
        self, info: Info[Context, Any], input: OrderConstatInput
    ) -> OrderResult:
        async def run(actor: Actor) -> ConstatOrderPayload:
            deposit_uuid = require_id(input.deposit_id, "Deposit", DepositNotFound)
            order = await constats.order_constat(
                session=info.context.session,
                author=await author_of(info, actor),
                user_id=actor.user_id,
                deposit_id=deposit_uuid,
                identity=input.requester.to_identity(),
                expose=input.expose,
                settings=info.context.settings,
            )
            return ConstatOrderPayload(order=ConstatOrder.from_model(order))

        return await run_mutation(info, Permission.CONSTAT_ORDER, run)

    @strawberry.mutation(
        description="OWNER/ADMIN: pay the order through the payment provider; once paid, the "
        "office validates and signs the PV."
    )
    async def pay_constat_order(
        self, info: Info[Context, Any], order_id: strawberry.ID
    ) -> PayResult:
        async def run(actor: Actor) -> ConstatPaymentStarted:
            session = info.context.session
            order = await constats.get_order(
                session=session,
                organisation_id=actor.organisation_id,
                order_id=_order_uuid(order_id),
            )
            started = await payment.start_payment(
                session=session,
                settings=info.context.settings,
                order=order,
                actor_user_id=actor.user_id,
            )
            await session.refresh(order)
            return ConstatPaymentStarted(
                order=ConstatOrder.from_model(order),
                checkout_url=started.url,
                provider=started.provider,
                completed=started.completed,
            )

        return await run_mutation(info, Permission.CONSTAT_ORDER, run)

    @strawberry.mutation(description="OWNER/ADMIN: cancel an order not yet paid.")
    async def cancel_constat_order(
        self, info: Info[Context, Any], order_id: strawberry.ID
    ) -> OrderStateResult:
        async def run(actor: Actor) -> ConstatOrderPayload:
            order = await constats.cancel_order(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                order_id=_order_uuid(order_id),
            )
            return ConstatOrderPayload(order=ConstatOrder.from_model(order))

        return await run_mutation(info, Permission.CONSTAT_ORDER, run)

    @strawberry.mutation(
        description="Clerks and the commissaire: prepare a paid PV before it is validated "
        "(the exposé as the office will sign it)."
    )
    async def prepare_constat(
        self, info: Info[Context, Any], order_id: strawberry.ID, corrected_expose: str
    ) -> OrderStateResult:
        return await run_mutation(
            info,
            Permission.REVIEW_DEPOSITS,
            _on_order(info, order_id, constats.prepare_constat, corrected_expose=corrected_expose),
        )

    @strawberry.mutation(
        description="The office's commissaire de justice only (role COMMISSAIRE): validate a "
        "paid PV (optionally correcting the exposé); it is then drawn up, signed with their "
        "certificate and emailed to the requester. Clerks get NotAllowed."
    )
    async def validate_constat(
        self,
        info: Info[Context, Any],
        order_id: strawberry.ID,
        corrected_expose: str | None = None,
    ) -> OrderStateResult:
        return await run_mutation(
            info,
            Permission.CONSTAT_VALIDATE,
            _on_order(info, order_id, constats.validate_constat, corrected_expose=corrected_expose),
        )
