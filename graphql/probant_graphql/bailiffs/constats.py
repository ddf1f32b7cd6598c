"""PV de constat de dépôt: terms and legal identity, order, specimen, payment, validation."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs import errors as e
from probant_graphql.bailiffs.directory import office_node
from probant_graphql.bailiffs.types import (
    BailiffOffice,
    ConstatOrder,
    ConstatStatus,
    RequesterIdentity,
    viewer_of,
    visible_page,
)
from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors, PaymentUnavailable
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.evidence.resolvers import author_of
from probant_graphql.permissions import require
from probant_graphql.tenancy.errors import InvalidSiren
from probant_platform.bailiffs import constats, payment, queries
from probant_platform.bailiffs import models as m
from probant_platform.bailiffs.errors import RequestNotFound
from probant_platform.bailiffs.issuing import render_constat
from probant_platform.bailiffs.review import clerk_of
from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.evidence.errors import DepositNotFound
from probant_platform.evidence.models import Deposit
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import Organisation


@strawberry.type(description="A PDF returned inline (base64).")
class PdfFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    base64: str


@strawberry.type(description="What converting a deposit into a PV de constat would involve.")
class ConstatTerms:
    office: BailiffOffice
    price_ttc_cents: int
    price: str
    requester: RequesterIdentity = strawberry.field(
        description="Pre-filled from the organisation (what was given last time)."
    )
    open_order: ConstatOrder | None


@strawberry.input
class RequesterIdentityInput:
    legal_form: str
    company_name: str
    rcs_city: str
    street: str
    postcode: str
    city: str
    representative_first_name: str
    representative_last_name: str
    siren: str | None = strawberry.field(
        default=None,
        description="The company's SIREN (9 digits), registered at the RCS of `rcsCity`; the "
        "same name as on the organisation's `legalIdentity`.",
    )
    rcs_number: str | None = strawberry.field(
        default=None, deprecation_reason="Use `siren` (the same 9 digits)."
    )

    def to_identity(self) -> constats.LegalIdentity:
        values = {k: v for k, v in vars(self).items() if k not in ("siren", "rcs_number")}
        return constats.LegalIdentity(**values, rcs_number=self.siren or self.rcs_number or "")


@strawberry.input
class OrderConstatInput:
    deposit_id: strawberry.ID
    requester: RequesterIdentityInput
    expose: str = strawberry.field(
        description="The exposé: why the requester needs the constat (the facts, the dispute)."
    )


@strawberry.type
class ConstatOrderPayload:
    order: ConstatOrder


@strawberry.type
class ConstatPaymentStarted:
    order: ConstatOrder
    checkout_url: str
    provider: str
    completed: bool


OrderResult = Annotated[
    ConstatOrderPayload
    | e.NotConvertible
    | e.LegalIdentityIncomplete
    | InvalidSiren
    | e.InvalidState
    | e.NoOfficeAvailable
    | e.OfficeNotAccepting
    | CommonErrors,
    strawberry.union("OrderConstatResult"),
]
PayResult = Annotated[
    ConstatPaymentStarted | PaymentUnavailable | e.InvalidState | CommonErrors,
    strawberry.union("PayConstatResult"),
]
OrderStateResult = Annotated[
    ConstatOrderPayload | e.InvalidState | CommonErrors, strawberry.union("ConstatOrderResult")
]


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
class ConstatQuery:
    @strawberry.field(
        description="OWNER/ADMIN: the office, price and pre-filled legal identity for turning "
        "a sealed or accepted deposit into a PV de constat (null when it cannot be)."
    )
    async def constat_terms(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> ConstatTerms | None:
        actor = await require(info, Permission.CONSTAT_ORDER)
        author = author_of(actor, True)
        deposit_uuid = decode_id(deposit_id, "Deposit")
        if deposit_uuid is None:
            return None
        session = info.context.session
        try:
            office, price = await constats.constat_terms(
                session=session,
                author=author,
                deposit_id=deposit_uuid,
                settings=info.context.settings,
            )
        except DomainError:
            return None
        organisation = await session.get(Organisation, actor.organisation_id)
        assert organisation is not None
        identity = constats.prefilled_identity(organisation)
        open_order = await queries.open_order(session=session, deposit_id=deposit_uuid)
        return ConstatTerms(
            office=office_node(info, office),
            price_ttc_cents=price,
            price=office_node(info, office).constat_price,
            requester=RequesterIdentity(**vars(identity)),
            open_order=ConstatOrder.from_model(open_order) if open_order else None,
        )

    @strawberry.field(
        description="The PV as it will read, watermarked SPECIMEN and unsigned (the requester "
        "before paying; the office before validating)."
    )
    async def constat_specimen(
        self, info: Info[Context, Any], order_id: strawberry.ID
    ) -> PdfFile | None:
        await require(info)
        viewer = await viewer_of(info)
        order_uuid = decode_id(order_id, "ConstatOrder")
        if viewer is None or order_uuid is None:
            return None
        found = await queries.visible_orders(
            session=info.context.session, viewer=viewer, ids=[order_uuid]
        )
        order = found.get(order_uuid)
        if order is None:
            return None
        deposit = await info.context.session.get(Deposit, order.deposit_id)
        if deposit is None:
            return None
        pdf = await render_constat(
            session=info.context.session,
            settings=info.context.settings,
            order=order,
            deposit=deposit,
            specimen=True,
            when=utcnow(),
        )
        return PdfFile(
            filename=f"specimen-pv-{deposit.reference}.pdf",
            content_type="application/pdf",
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            base64=base64.b64encode(pdf).decode(),
        )

    @strawberry.field(
        description="OWNER/ADMIN: the organisation's PV orders. Clerks: the paid orders "
        "addressed to their office. Newest first."
    )
    async def constat_orders(
        self,
        info: Info[Context, Any],
        status: ConstatStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[ConstatOrder]:
        return await visible_page(
            info,
            lambda viewer: queries.constat_orders(viewer, status),
            m.ConstatOrder,
            first=first,
            after=after,
            to_node=ConstatOrder.from_model,
        )


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
                author=author_of(actor, True),
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
