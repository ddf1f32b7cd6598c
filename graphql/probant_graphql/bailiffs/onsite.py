"""On-site constat requests: asked by a tenant's OWNER/ADMIN, quoted by the office."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs import errors as e
from probant_graphql.bailiffs.types import OnSiteRequest, OnSiteStatus, office_of
from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.ids import decode_id
from probant_graphql.core.mutations import authorise_mutation, in_savepoint, not_allowed
from probant_graphql.core.pagination import connection, encode_cursor, newest_first
from probant_graphql.permissions import may, require
from probant_platform.bailiffs import models as m
from probant_platform.bailiffs import onsite
from probant_platform.bailiffs.errors import OfficeNotFound, RequestNotFound
from probant_platform.bailiffs.review import Clerk
from probant_tenants.authz import Permission
from probant_tenants.models import Organisation


@strawberry.input
class SiteAddressInput:
    street: str
    postcode: str
    city: str
    details: str = ""


@strawberry.input
class OnSiteQuoteInput:
    request_id: strawberry.ID
    amount_ttc_cents: int
    valid_until: datetime
    appointment_at: datetime
    message: str = ""


@strawberry.type
class OnSiteRequestPayload:
    request: OnSiteRequest


Common = NotAuthenticated | NotAllowed | NotFound | InvalidInput
RequestResult = Annotated[OnSiteRequestPayload | Common, strawberry.union("OnSiteRequestResult")]
AnswerResult = Annotated[
    OnSiteRequestPayload | e.InvalidState | e.QuoteExpired | Common,
    strawberry.union("OnSiteAnswerResult"),
]


def _request_uuid(value: str) -> uuid.UUID:
    found = decode_id(value, "OnSiteRequest")
    if found is None:
        raise RequestNotFound()
    return found


async def _as_office(info: Info[Context, Any], run: Callable[[Clerk], Awaitable[Any]]) -> Any:
    actor = await authorise_mutation(info, Permission.REVIEW_DEPOSITS)
    if isinstance(actor, Error):
        return actor
    office = office_of(actor)
    if office is None:
        return not_allowed(actor.locale)
    clerk = Clerk(office, actor.user_id, actor.full_name)
    return await in_savepoint(info, lambda: run(clerk), locale=actor.locale, errors=e.to_error)


@strawberry.type
class OnSiteQuery:
    @strawberry.field(
        description="OWNER/ADMIN: the organisation's on-site requests. Clerks: those addressed "
        "to their office. Newest first."
    )
    async def on_site_requests(
        self,
        info: Info[Context, Any],
        status: OnSiteStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[OnSiteRequest]:
        actor = await require(info)
        office = office_of(actor)
        query = select(m.OnSiteRequest)
        if office is not None and await may(info, actor, Permission.REVIEW_DEPOSITS):
            query = query.where(m.OnSiteRequest.office_id == office)
        elif await may(info, actor, Permission.CONSTAT_ORDER):
            query = query.where(m.OnSiteRequest.organisation_id == actor.organisation_id)
        else:
            query = query.where(m.OnSiteRequest.id.is_(None))
        if status is not None:
            query = query.where(m.OnSiteRequest.status == status)
        rows = (
            (
                await info.context.session.execute(
                    newest_first(
                        query,
                        created=m.OnSiteRequest.created_at,
                        ident=m.OnSiteRequest.id,
                        after=after,
                        first=first,
                    )
                )
            )
            .scalars()
            .all()
        )
        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda r: encode_cursor(r.created_at, r.id),
            to_node=OnSiteRequest.from_model,
        )


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
        actor = await authorise_mutation(info, Permission.CONSTAT_ORDER)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> OnSiteRequestPayload:
            office_uuid = decode_id(office_id, "BailiffOffice")
            if office_uuid is None:
                raise OfficeNotFound()
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

        return await in_savepoint(info, run, locale=actor.locale, errors=e.to_error)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Clerks: quote a request (amount TTC, validity) with a proposed appointment."
    )
    async def quote_on_site_constat(
        self, info: Info[Context, Any], input: OnSiteQuoteInput
    ) -> AnswerResult:
        async def run(clerk: Clerk) -> OnSiteRequestPayload:
            request = await onsite.quote(
                session=info.context.session,
                clerk=clerk,
                request_id=_request_uuid(input.request_id),
                amount_ttc_cents=input.amount_ttc_cents,
                valid_until=input.valid_until,
                appointment_at=input.appointment_at,
                message=input.message,
            )
            return OnSiteRequestPayload(request=OnSiteRequest.from_model(request))

        return await _as_office(info, run)

    @strawberry.mutation(description="Clerks: decline a request, saying why.")
    async def refuse_on_site_constat(
        self, info: Info[Context, Any], request_id: strawberry.ID, message: str
    ) -> AnswerResult:
        async def run(clerk: Clerk) -> OnSiteRequestPayload:
            request = await onsite.refuse(
                session=info.context.session,
                clerk=clerk,
                request_id=_request_uuid(request_id),
                message=message,
            )
            return OnSiteRequestPayload(request=OnSiteRequest.from_model(request))

        return await _as_office(info, run)

    @strawberry.mutation(description="OWNER/ADMIN: accept (true) or decline the office's quote.")
    async def answer_on_site_quote(
        self, info: Info[Context, Any], request_id: strawberry.ID, accept: bool
    ) -> AnswerResult:
        actor = await authorise_mutation(info, Permission.CONSTAT_ORDER)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> OnSiteRequestPayload:
            request = await onsite.answer_quote(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                request_id=_request_uuid(request_id),
                accept=accept,
            )
            return OnSiteRequestPayload(request=OnSiteRequest.from_model(request))

        return await in_savepoint(info, run, locale=actor.locale, errors=e.to_error)  # type: ignore[return-value]
