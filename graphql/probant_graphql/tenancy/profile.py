"""changePassword, updateNotificationPreferences, updateOrganisationProfile."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.permissions import locale_of
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.errors import to_graphql_error
from probant_graphql.tenancy.mutations import OkPayload
from probant_graphql.tenancy.types import Organisation
from probant_platform.errors import DomainError
from probant_tenants import deletion, profile
from probant_tenants.authz import Permission
from probant_tenants.sessions import SESSION_COOKIE

Guards = NotAuthenticated | NotAllowed
ChangePasswordResult = Annotated[
    OkPayload | e.InvalidCredentials | e.AccountLocked | e.WeakPassword | Guards,
    strawberry.union("ChangePasswordResult"),
]


@strawberry.type
class NotificationPreferences:
    email: bool
    push: bool


@strawberry.type
class OrganisationPayload:
    organisation: Organisation


@strawberry.type
class PersonPayload:
    full_name: str
    locale: str


PersonResult = Annotated[
    PersonPayload | InvalidInput | Guards, strawberry.union("UpdateMyProfileResult")
]
PreferencesResult = Annotated[
    NotificationPreferences | Guards, strawberry.union("NotificationPreferencesResult")
]
ProfileResult = Annotated[
    OrganisationPayload | e.InvalidSiren | InvalidInput | Guards,
    strawberry.union("OrganisationProfileResult"),
]


@strawberry.input
class LegalIdentityInput:
    legal_form: str | None = None
    company_name: str | None = None
    siren: str | None = None
    rcs_city: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    representative_first_name: str | None = None
    representative_last_name: str | None = None


ResetResult = Annotated[
    OkPayload | e.InvalidToken | e.WeakPassword, strawberry.union("ResetPasswordResult")
]


@strawberry.type
class LastOwnerError(Error):
    pass


DeleteAccountResult = Annotated[
    OkPayload | e.InvalidCredentials | LastOwnerError | Guards,
    strawberry.union("DeleteAccountResult"),
]


def _deletion_errors(exc: DomainError, locale: str) -> Error:
    if exc.code == "LAST_OWNER":
        return LastOwnerError(message=exc.message(locale))
    return to_graphql_error(exc, locale)


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(
        description="Delete your account: your data export is emailed first. The last owner of an "
        "organisation must transfer ownership, or pass deleteOrganisations: true."
    )
    async def delete_account(
        self, info: Info[Context, Any], password: str, delete_organisations: bool = False
    ) -> DeleteAccountResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> OkPayload:
            await deletion.delete_account(
                session=info.context.session,
                user_id=actor.user_id,
                password=password,
                delete_organisations=delete_organisations,
            )
            info.context.response.delete_cookie(SESSION_COOKIE)
            return OkPayload(ok=True)

        return await in_savepoint(info, run, locale=actor.locale, errors=_deletion_errors)  # type: ignore[return-value]

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

        return await in_savepoint(  # type: ignore[return-value]
            info, run, locale=locale_of(info), errors=to_graphql_error
        )

    @strawberry.mutation(description="Change your password (ends your other sessions).")
    async def change_password(
        self, info: Info[Context, Any], current_password: str, new_password: str
    ) -> ChangePasswordResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> OkPayload:
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

        return await in_savepoint(info, run, locale=actor.locale, errors=to_graphql_error)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Email notifications (on by default) and push (off by default)."
    )
    async def update_notification_preferences(
        self, info: Info[Context, Any], email: bool | None = None, push: bool | None = None
    ) -> PreferencesResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        user = await profile.update_notifications(
            session=info.context.session, user_id=actor.user_id, email=email, push=push
        )
        return NotificationPreferences(email=user.notify_email, push=user.notify_push)

    @strawberry.mutation(description="Your own name and language (emails follow the language).")
    async def update_my_profile(
        self, info: Info[Context, Any], full_name: str | None = None, locale: str | None = None
    ) -> PersonResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> PersonPayload:
            user = await profile.update_person(
                session=info.context.session,
                user_id=actor.user_id,
                full_name=full_name,
                locale=locale,
            )
            return PersonPayload(full_name=user.full_name, locale=user.locale)

        def errors(exc: DomainError, locale_: str) -> Error:
            if isinstance(exc, profile.UnsupportedLocale):
                return InvalidInput(message=exc.message(locale_), field="locale")
            return to_graphql_error(exc, locale_)

        return await in_savepoint(info, run, locale=actor.locale, errors=errors)  # type: ignore[return-value]

    @strawberry.mutation(description="OWNER/ADMIN: the organisation's name and legal identity.")
    async def update_organisation_profile(
        self,
        info: Info[Context, Any],
        name: str | None = None,
        legal_identity: LegalIdentityInput | None = None,
    ) -> ProfileResult:
        actor = await authorise_mutation(info, Permission.ORGANISATION_UPDATE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> OrganisationPayload:
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

        return await in_savepoint(info, run, locale=actor.locale, errors=to_graphql_error)  # type: ignore[return-value]
