"""Sign up, verify email, log in and out; the session a log-in opens (also for activation)."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import NotAuthenticated
from probant_graphql.core.ids import decode_id
from probant_graphql.core.mutations import not_authenticated, run_anonymous, run_mutation
from probant_graphql.permissions import locale_of
from probant_graphql.tenancy.accounts.types import (
    LogInPayload,
    LogInResult,
    LogOutResult,
    OkPayload,
    SignUpInput,
    SignUpPayload,
    SignUpResult,
    VerifyEmailResult,
)
from probant_graphql.tenancy.types import Organisation
from probant_tenants import accounts
from probant_tenants.context import Actor
from probant_tenants.models import Membership
from probant_tenants.models import Organisation as OrgModel
from probant_tenants.models import OrganisationKind as Kind
from probant_tenants.sessions import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_LIFETIME,
    IssuedSession,
    revoke_session,
)


async def logged_in(
    info: Info[Context, Any], organisation_id: uuid.UUID, issued: IssuedSession
) -> LogInPayload:
    """The payload of a session just opened (log-in, account activation)."""
    organisation = await info.context.session.get(OrgModel, organisation_id)
    assert organisation is not None
    return LogInPayload(
        organisation=Organisation.from_model(organisation), csrf_token=issued.csrf_token
    )


def set_session_cookies(info: Info[Context, Any], issued: IssuedSession) -> None:
    # Production is served over HTTPS only: the flag must not depend on a header a client
    # could send (or a proxy forget).
    secure = info.context.settings.is_production or info.context.request.url.scheme == "https"
    age = int(SESSION_LIFETIME.total_seconds())
    response = info.context.response
    response.set_cookie(
        SESSION_COOKIE, issued.token, max_age=age, httponly=True, secure=secure, samesite="lax"
    )
    # Readable by our own scripts (double-submit); useless to another origin.
    response.set_cookie(
        CSRF_COOKIE, issued.csrf_token, max_age=age, httponly=False, secure=secure, samesite="lax"
    )


@strawberry.type
class TenancyMutation:
    @strawberry.mutation(
        description="Create an organisation and its owner; emails a verification link."
    )
    async def sign_up(self, info: Info[Context, Any], input: SignUpInput) -> SignUpResult:
        locale = input.locale if input.locale in ("fr", "en") else locale_of(info)

        async def run() -> SignUpPayload:
            result = await accounts.sign_up(
                session=info.context.session,
                kind=Kind(input.kind),
                email=input.email,
                password=input.password,
                full_name=input.full_name,
                organisation_name=input.organisation_name,
                siren=input.siren,
                accept_terms=input.accept_terms,
                locale=locale,
                ip=info.context.client_ip,
            )
            return SignUpPayload(
                organisation=Organisation.from_model(result.organisation),
                email_verification_sent=True,
            )

        return await run_anonymous(info, run, locale=locale)

    @strawberry.mutation(description="Confirm an email address with the emailed token.")
    async def verify_email(self, info: Info[Context, Any], token: str) -> VerifyEmailResult:
        async def run() -> OkPayload:
            await accounts.verify_email(session=info.context.session, token=token)
            return OkPayload(ok=True)

        return await run_anonymous(info, run)

    @strawberry.mutation(description="Open a session (HttpOnly cookie) for an email and password.")
    async def log_in(
        self,
        info: Info[Context, Any],
        email: str,
        password: str,
        organisation_id: strawberry.ID | None = None,
    ) -> LogInResult:
        async def run() -> LogInPayload:
            issued = await accounts.log_in(
                session=info.context.session,
                database=info.context.runtime.database,
                email=email,
                password=password,
                organisation_id=decode_id(organisation_id, "Organisation"),
                ip=info.context.client_ip,
                user_agent=info.context.request.headers.get("user-agent"),
            )
            set_session_cookies(info, issued)
            membership = await info.context.session.get(Membership, issued.record.membership_id)
            assert membership is not None
            return await logged_in(info, membership.organisation_id, issued)

        # No savepoint: a failed attempt must still count towards the lockout.
        return await run_anonymous(info, run, savepoint=False)

    @strawberry.mutation(description="End the current session.")
    async def log_out(self, info: Info[Context, Any]) -> LogOutResult:
        async def run(actor: Actor) -> OkPayload | NotAuthenticated:
            if actor.session_id is None:
                return not_authenticated(actor.locale)
            await revoke_session(session=info.context.session, session_id=actor.session_id)
            info.context.response.delete_cookie(SESSION_COOKIE)
            info.context.response.delete_cookie(CSRF_COOKIE)
            return OkPayload(ok=True)

        return await run_mutation(info, None, run)
