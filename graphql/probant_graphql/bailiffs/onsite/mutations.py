"""On-site constat requests: asked by a tenant's OWNER/ADMIN, quoted or refused by the office,
the quote answered by the tenant."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.bailiffs.onsite.types import (
    AnswerResult,
    OnSiteQuoteInput,
    OnSiteRequestPayload,
    RequestResult,
    SiteAddressInput,
)
from probant_graphql.bailiffs.types import OnSiteRequest
from probant_graphql.context import Context
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_platform.bailiffs import models as m
from probant_platform.bailiffs import onsite
from probant_platform.bailiffs.errors import OfficeNotFound, RequestNotFound
from probant_platform.bailiffs.review import clerk_of
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import Organisation


def _request_uuid(value: str) -> uuid.UUID:
    return require_id(value, "OnSiteRequest", RequestNotFound)


def _on_request(
    info: Info[Context, Any],
    request_id: str,
    step: Callable[..., Awaitable[m.OnSiteRequest]],
    **arguments: Any,
) -> Callable[[Actor], Awaitable[OnSiteRequestPayload]]:
    """The service an office's answer to one request runs (for `run_mutation`)."""

    async def run(actor: Actor) -> OnSiteRequestPayload:
        clerk = clerk_of(actor)
        request = await step(
            session=info.context.session,
            clerk=clerk,
            request_id=_request_uuid(request_id),
            **arguments,
        )
        return OnSiteRequestPayload(request=OnSiteRequest.from_model(request))

    return run


@strawberry.type
class OnSiteMutation:
    @strawberry.mutation(
        description="OWNER/ADMIN: ask an office for an on-site constat (no credit is spent); "
        "the office answers with a quote and an appointment."
    )
    async def request_on_site_constat(
        self,
        info: Info[Context, Any],
        office_id: strawberry.ID,
        address: SiteAddressInput,
        description: str,
        preferred_dates: list[date] | None = None,
    ) -> RequestResult:
        async def run(actor: Actor) -> OnSiteRequestPayload:
            office_uuid = require_id(office_id, "BailiffOffice", OfficeNotFound)
            organisation = await info.context.session.get(Organisation, actor.organisation_id)
            request = await onsite.request_constat(
                session=info.context.session,
                requester=onsite.Requester(
                    organisation_id=actor.organisation_id,
                    user_id=actor.user_id,
                    name=f"{actor.full_name} ({organisation.name if organisation else ''})",
                    email=actor.email,
                ),
                office_id=office_uuid,
                address=onsite.SiteAddress(**vars(address)),
                description=description,
                preferred_dates=list(preferred_dates or []),
            )
            return OnSiteRequestPayload(request=OnSiteRequest.from_model(request))

        return await run_mutation(info, Permission.CONSTAT_ORDER, run)

    @strawberry.mutation(
        description="Clerks: quote a request (amount TTC, validity) with a proposed appointment."
    )
    async def quote_on_site_constat(
        self, info: Info[Context, Any], input: OnSiteQuoteInput
    ) -> AnswerResult:
        step = _on_request(
            info,
            input.request_id,
            onsite.quote,
            amount_ttc_cents=input.amount_ttc_cents,
            valid_until=input.valid_until,
            appointment_at=input.appointment_at,
            message=input.message,
        )
        return await run_mutation(info, Permission.REVIEW_DEPOSITS, step)

    @strawberry.mutation(description="Clerks: decline a request, saying why.")
    async def refuse_on_site_constat(
        self, info: Info[Context, Any], request_id: strawberry.ID, message: str
    ) -> AnswerResult:
        step = _on_request(info, request_id, onsite.refuse, message=message)
        return await run_mutation(info, Permission.REVIEW_DEPOSITS, step)

    @strawberry.mutation(description="OWNER/ADMIN: accept (true) or decline the office's quote.")
    async def answer_on_site_quote(
        self, info: Info[Context, Any], request_id: strawberry.ID, accept: bool
    ) -> AnswerResult:
        async def run(actor: Actor) -> OnSiteRequestPayload:
            request = await onsite.answer_quote(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                request_id=_request_uuid(request_id),
                accept=accept,
            )
            return OnSiteRequestPayload(request=OnSiteRequest.from_model(request))

        return await run_mutation(info, Permission.CONSTAT_ORDER, run)
