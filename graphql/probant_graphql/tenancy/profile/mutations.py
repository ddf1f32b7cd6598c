"""changePassword, resetPassword, updateNotificationPreferences, updateMyProfile,
updateOrganisationProfile, deleteAccount."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.mutations import run_anonymous, run_mutation
from probant_graphql.tenancy.accounts.types import OkPayload
from probant_graphql.tenancy.errors import DELETION_ERRORS
from probant_graphql.tenancy.profile.types import (
    ChangePasswordResult,
    DeleteAccountResult,
    LegalIdentityInput,
    NotificationPreferences,
    OrganisationPayload,
    PersonPayload,
    PersonResult,
    PreferencesResult,
    ProfileResult,
    ResetResult,
)
from probant_graphql.tenancy.types import Organisation
from probant_tenants import deletion, profile
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.sessions import SESSION_COOKIE


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(
        description="Delete your account: your data export is emailed first. The last owner of an "
        "organisation must transfer ownership, or pass deleteOrganisations: true."
    )
    async def delete_account(
        self, info: Info[Context, Any], password: str, delete_organisations: bool = False
    ) -> DeleteAccountResult:
        async def run(actor: Actor) -> OkPayload:
            await deletion.delete_account(
                session=info.context.session,
                user_id=actor.user_id,
                password=password,
                delete_organisations=delete_organisations,
            )
            info.context.response.delete_cookie(SESSION_COOKIE)
            return OkPayload(ok=True)

        return await run_mutation(info, None, run, overrides=DELETION_ERRORS)

    @strawberry.mutation(description="Email a reset link; the answer is the same for any address.")
    async def request_password_reset(self, info: Info[Context, Any], email: str) -> OkPayload:
        await profile.request_password_reset(session=info.context.session, email=email[:320])
        return OkPayload(ok=True)

    @strawberry.mutation(description="Choose a new password with the emailed token (1 h, once).")
    async def reset_password(
        self, info: Info[Context, Any], token: str, new_password: str
    ) -> ResetResult:
        async def run() -> OkPayload:
            await profile.reset_password(
                session=info.context.session, token=token, new_password=new_password
            )
            return OkPayload(ok=True)

        return await run_anonymous(info, run)

    @strawberry.mutation(description="Change your password (ends your other sessions).")
    async def change_password(
        self, info: Info[Context, Any], current_password: str, new_password: str
    ) -> ChangePasswordResult:
        async def run(actor: Actor) -> OkPayload:
            await profile.change_password(
                session=info.context.session,
                user_id=actor.user_id,
                organisation_id=actor.organisation_id,
                current_password=current_password,
                new_password=new_password,
                database=info.context.runtime.database,
                keep_session_id=actor.session_id,
                ip=info.context.client_ip,
            )
            return OkPayload(ok=True)

        return await run_mutation(info, None, run)

    @strawberry.mutation(
        description="Email notifications (on by default) and push (off by default)."
    )
    async def update_notification_preferences(
        self, info: Info[Context, Any], email: bool | None = None, push: bool | None = None
    ) -> PreferencesResult:
        async def run(actor: Actor) -> NotificationPreferences:
            user = await profile.update_notifications(
                session=info.context.session, user_id=actor.user_id, email=email, push=push
            )
            return NotificationPreferences(email=user.notify_email, push=user.notify_push)

        return await run_mutation(info, None, run)

    @strawberry.mutation(description="Your own name and language (emails follow the language).")
    async def update_my_profile(
        self, info: Info[Context, Any], full_name: str | None = None, locale: str | None = None
    ) -> PersonResult:
        async def run(actor: Actor) -> PersonPayload:
            user = await profile.update_person(
                session=info.context.session,
                user_id=actor.user_id,
                full_name=full_name,
                locale=locale,
            )
            return PersonPayload(full_name=user.full_name, locale=user.locale)

        return await run_mutation(info, None, run)

    @strawberry.mutation(description="OWNER/ADMIN: the organisation's name and legal identity.")
    async def update_organisation_profile(
        self,
        info: Info[Context, Any],
        name: str | None = None,
        legal_identity: LegalIdentityInput | None = None,
    ) -> ProfileResult:
        async def run(actor: Actor) -> OrganisationPayload:
            identity = (
                profile.LegalIdentityInput(**vars(legal_identity))
                if legal_identity
                else profile.LegalIdentityInput()
            )
            organisation = await profile.update_organisation_profile(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                actor_user_id=actor.user_id,
                name=name,
                identity=identity,
            )
            return OrganisationPayload(organisation=Organisation.from_model(organisation))

        return await run_mutation(info, Permission.ORGANISATION_UPDATE, run)
