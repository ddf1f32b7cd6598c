"""inviteMember and activateAccount; members' roles, removal and ownership."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import invalid_input
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.mutations import run_anonymous, run_mutation
from probant_graphql.tenancy.accounts.mutations import logged_in, set_session_cookies
from probant_graphql.tenancy.accounts.types import LogInPayload
from probant_graphql.tenancy.members.types import (
    ActivateResult,
    InvitationPayload,
    InviteResult,
    MemberPayload,
    MemberResult,
)
from probant_graphql.tenancy.types import Member, Role
from probant_platform.billing import invitations as billing_invitations
from probant_tenants import invitations, members
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import Membership, User
from probant_tenants.models import Role as RoleModel
from probant_tenants.sessions import open_session


async def _member_payload(info: Info[Context, Any], membership: Any) -> MemberPayload:
    user = await info.context.session.get(User, membership.user_id)
    assert user is not None
    return MemberPayload(member=Member.from_row(membership, user))


@strawberry.type
class MembersMutation:
    @strawberry.mutation(description="OWNER/ADMIN: change a member's role (never to OWNER).")
    async def update_member_role(
        self,
        info: Info[Context, Any],
        member_id: strawberry.ID,
        role: Role,  # type: ignore[valid-type]
    ) -> MemberResult:
        async def run(actor: Actor) -> MemberPayload:
            membership = await members.update_member_role(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                actor_user_id=actor.user_id,
                membership_id=require_id(member_id, "Member", members.MemberNotFound),
                role=RoleModel(role),
            )
            return await _member_payload(info, membership)

        return await run_mutation(info, Permission.MEMBERS_MANAGE, run)

    @strawberry.mutation(description="OWNER/ADMIN: remove a member; their sessions end at once.")
    async def remove_member(
        self, info: Info[Context, Any], member_id: strawberry.ID
    ) -> MemberResult:
        async def run(actor: Actor) -> MemberPayload:
            membership_id = require_id(member_id, "Member", members.MemberNotFound)
            await members.remove_member(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                actor_user_id=actor.user_id,
                membership_id=membership_id,
            )
            membership = await info.context.session.get(Membership, membership_id)
            return await _member_payload(info, membership)

        return await run_mutation(info, Permission.MEMBERS_MANAGE, run)

    @strawberry.mutation(
        description="OWNER only: hand ownership to another member (you stay ADMIN)."
    )
    async def transfer_ownership(
        self, info: Info[Context, Any], member_id: strawberry.ID
    ) -> MemberResult:
        async def run(actor: Actor) -> MemberPayload:
            membership = await members.transfer_ownership(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                owner_membership_id=actor.membership_id,
                owner_role=actor.role,
                actor_user_id=actor.user_id,
                to_membership_id=decode_id(member_id, "Member"),
            )
            return await _member_payload(info, membership)

        return await run_mutation(info, Permission.MEMBERS_MANAGE, run)

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
        async def run(actor: Actor) -> InvitationPayload:
            issued = await billing_invitations.invite_member(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                inviter_user_id=actor.user_id,
                email=email,
                role=RoleModel(role),
                credits=credits,
            )
            user = await info.context.session.get(User, issued.membership.user_id)
            assert user is not None
            return InvitationPayload(
                member=Member.from_row(issued.membership, user),
                expires_at=issued.invitation.expires_at.isoformat(),
                previous_code_invalidated=issued.replaced_pending,
                notice=invitations.replaced_notice(actor.locale)
                if issued.replaced_pending
                else None,
            )

        return await run_mutation(
            info,
            Permission.MEMBERS_INVITE,
            run,
            overrides={"INVALID_AMOUNT": invalid_input("credits")},
        )

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

        async def run() -> LogInPayload:
            membership = await invitations.activate_account(
                session=info.context.session,
                database=info.context.runtime.database,
                code=code[:40],
                password=password,
                accept_terms=accept_terms,
                ip=ip,
                full_name=full_name,
            )
            issued = await open_session(
                session=info.context.session,
                user_id=membership.user_id,
                membership_id=membership.id,
                ip=ip,
                user_agent=info.context.request.headers.get("user-agent"),
            )
            set_session_cookies(info, issued)
            return await logged_in(info, membership.organisation_id, issued)

        # No savepoint: what activation wrote before failing (a counted attempt) stays.
        return await run_anonymous(info, run, savepoint=False)
