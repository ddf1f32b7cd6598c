"""Profile and account: inputs, payloads and result unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from probant_graphql.core.errors import AuthErrors as Guards
from probant_graphql.core.errors import InvalidInput
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.accounts.types import OkPayload
from probant_graphql.tenancy.types import Organisation

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


DeleteAccountResult = Annotated[
    OkPayload | e.InvalidCredentials | e.LastOwnerError | Guards,
    strawberry.union("DeleteAccountResult"),
]
