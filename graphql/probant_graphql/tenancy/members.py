"""inviteMember and activateAccount."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.ledger.resolvers import membership_id_from
from probant_graphql.ledger.resolvers import to_error as ledger_error
from probant_graphql.ledger.types import InsufficientCredits
from probant_graphql.permissions import locale_of
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.errors import to_graphql_error
from probant_graphql.tenancy.mutations import LogInPayload, set_session_cookies
from probant_graphql.tenancy.types import Member, Organisation, Role
from probant_platform.errors import DomainError
from probant_platform.ledger import errors as ledger_errors
from probant_platform.ledger import services as ledger
from probant_tenants import invitations, members, seats
from probant_tenants.authz import Permission
from probant_tenants.models import Membership, User
from probant_tenants.models import Organisation as OrganisationModel
from probant_tenants.models import Role as RoleModel
from probant_tenants.sessions import open_session


@strawberry.type
class AlreadyMember(Error):
    pass


@strawberry.type
class SeatLimitReached(Error):
    limit: int


REPLACED_NOTICE = {
    "fr": "Une invitation était déjà en attente pour cette adresse : son code ne fonctionne "
    "plus. Seul le code du nouvel e-mail est valable.",
    "en": "An invitation was already pending for this address: its code no longer works. "
    "Only the code in the new email is valid.",
}


@strawberry.type
class InvitationPayload:
    member: Member
    expires_at: str
    previous_code_invalidated: bool = strawberry.field(
        default=False,
        description="True when this replaced a pending invitation, whose code no longer works.",
    )
    notice: str | None = strawberry.field(
        default=None, description="What the inviter should know (e.g. the earlier code is void)."
    )


InviteResult = Annotated[
    InvitationPayload
    | AlreadyMember
    | SeatLimitReached
    | InsufficientCredits
    | e.InvalidEmail
    | InvalidInput
    | NotAllowed
    | NotAuthenticated,
    strawberry.union("InviteMemberResult"),
]
ActivateResult = Annotated[
    LogInPayload
    | e.InvalidToken
    | e.WeakPassword
    | e.TermsNotAccepted
    | e.InvalidCredentials
    | e.AccountLocked
    | InvalidInput,
    strawberry.union("ActivateAccountResult"),
]


def _errors(exc: DomainError, locale: str) -> Error:
    if isinstance(exc, invitations.AlreadyMember):
        return AlreadyMember(message=exc.message(locale))
    if isinstance(exc, seats.SeatLimitReached):
        return SeatLimitReached(message=exc.message(locale), limit=exc.params["limit"])
    if isinstance(exc, invitations.RoleNotInvitable):
        return NotAllowed(message=exc.message(locale))
    if isinstance(exc, ledger_errors.InsufficientCredits):
        return ledger_error(exc, locale)
    if isinstance(exc, ledger_errors.InvalidAmount):
        return InvalidInput(message=exc.message(locale), field="credits")
    return to_graphql_error(exc, locale)


@strawberry.type
class LastOwner(Error):
    pass


@strawberry.type
class MemberPayload:
    member: Member


MemberResult = Annotated[
    MemberPayload | LastOwner | NotFound | NotAllowed | NotAuthenticated,
    strawberry.union("MemberResult"),
]


def _member_errors(exc: DomainError, locale: str) -> Error:
    if isinstance(exc, members.LastOwner):
        return LastOwner(message=exc.message(locale))
    if isinstance(exc, members.MemberNotFound):
        return NotFound(message=exc.message(locale))
    return NotAllowed(message=exc.message(locale))


async def _member_payload(info: Info[Context, Any], membership: Any) -> MemberPayload:
    user = await info.context.session.get(User, membership.user_id)
    assert user is not None
    return MemberPayload(member=Member.from_row(membership, user))


def _membership_id(member_id: str) -> uuid.UUID:
    found = membership_id_from(member_id)
    if found is None:
        raise members.MemberNotFound()
    return found


@strawberry.type
class MembersMutation:
    @strawberry.mutation(description="OWNER/ADMIN: change a member's role (never to OWNER).")
    async def update_member_role(
        self,
        info: Info[Context, Any],
        member_id: strawberry.ID,
        role: Role,  # type: ignore[valid-type]
    ) -> MemberResult:
        actor = await authorise_mutation(info, Permission.MEMBERS_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> MemberPayload:
            membership = await members.update_member_role(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                actor_user_id=actor.user_id,
                membership_id=_membership_id(member_id),
                role=RoleModel(role),
            )
            return await _member_payload(info, membership)

        return await in_savepoint(info, run, locale=actor.locale, errors=_member_errors)  # type: ignore[return-value]

    @strawberry.mutation(description="OWNER/ADMIN: remove a member; their sessions end at once.")
    async def remove_member(
        self, info: Info[Context, Any], member_id: strawberry.ID
    ) -> MemberResult:
        actor = await authorise_mutation(info, Permission.MEMBERS_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> MemberPayload:
            membership_id = _membership_id(member_id)
            await members.remove_member(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                actor_user_id=actor.user_id,
                membership_id=membership_id,
            )
            membership = await info.context.session.get(Membership, membership_id)
            return await _member_payload(info, membership)

        return await in_savepoint(info, run, locale=actor.locale, errors=_member_errors)  # type: ignore[return-value]

    @strawberry.mutation(
        description="OWNER only: hand ownership to another member (you stay ADMIN)."
    )
    async def transfer_ownership(
        self, info: Info[Context, Any], member_id: strawberry.ID
    ) -> MemberResult:
        actor = await authorise_mutation(info, Permission.MEMBERS_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        if actor.role is not RoleModel.OWNER:
            return NotAllowed(message=members.RoleNotAssignable().message(actor.locale))

        async def run() -> MemberPayload:
            membership = await members.transfer_ownership(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                owner_membership_id=actor.membership_id,
                actor_user_id=actor.user_id,
                to_membership_id=_membership_id(member_id),
            )
            return await _member_payload(info, membership)

        return await in_savepoint(info, run, locale=actor.locale, errors=_member_errors)  # type: ignore[return-value]

    @strawberry.mutation(
        description="OWNER/ADMIN: invite someone with a role, optionally allotting credits."
    )
    async def invite_member(
        self,
        info: Info[Context, Any],
        email: str,
        role: Role,  # type: ignore[valid-type]
        credits: int = 0,
    ) -> InviteResult:
        actor = await authorise_mutation(info, Permission.MEMBERS_INVITE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> InvitationPayload:
            if not 0 <= credits <= ledger.MAX_CREDITS:
                raise ledger_errors.InvalidAmount()
            issued = await invitations.invite_member(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                inviter_user_id=actor.user_id,
                email=email,
                role=RoleModel(role),
                credits=credits,
            )
            if credits:
                await ledger.transfer(
                    session=info.context.session,
                    organisation_id=actor.organisation_id,
                    membership_id=issued.membership.id,
                    credits=credits,
                    idempotency_key=f"invitation:{issued.invitation.id}",
                    actor_user_id=actor.user_id,
                )
            user = await info.context.session.get(User, issued.membership.user_id)
            assert user is not None
            return InvitationPayload(
                member=Member.from_row(issued.membership, user),
                expires_at=issued.invitation.expires_at.isoformat(),
                previous_code_invalidated=issued.replaced_pending,
                notice=REPLACED_NOTICE["en" if actor.locale == "en" else "fr"]
                if issued.replaced_pending
                else None,
            )

        return await in_savepoint(info, run, locale=actor.locale, errors=_errors)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Join with the emailed code: sets your password and logs you in."
    )
    async def activate_account(
        self,
        info: Info[Context, Any],
        code: str,
        password: str,
        accept_terms: bool,
        full_name: Annotated[
            str | None,
            strawberry.argument(description="Your name as colleagues see it (new accounts)."),
        ] = None,
    ) -> ActivateResult:
        ip = info.context.client_ip
        try:
            membership = await invitations.activate_account(
                session=info.context.session,
                database=info.context.runtime.database,
                code=code[:40],
                password=password,
                accept_terms=accept_terms,
                ip=ip,
                full_name=full_name,
            )
        except DomainError as exc:
            return to_graphql_error(exc, locale_of(info))  # type: ignore[return-value]
        issued = await open_session(
            session=info.context.session,
            user_id=membership.user_id,
            membership_id=membership.id,
            ip=ip,
            user_agent=info.context.request.headers.get("user-agent"),
        )
        set_session_cookies(info, issued)
        organisation = await info.context.session.get(OrganisationModel, membership.organisation_id)
        assert organisation is not None
        return LogInPayload(
            organisation=Organisation.from_model(organisation), csrf_token=issued.csrf_token
        )
