"""Signing up and logging in: inputs, payloads and result unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from probant_graphql.core.errors import AuthErrors, InvalidInput
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.types import Organisation, OrganisationKind


@strawberry.input
class SignUpInput:
    kind: OrganisationKind  # type: ignore[valid-type]
    email: str
    password: str
    full_name: str
    organisation_name: str | None = None
    siren: str | None = None
    accept_terms: bool = False
    locale: str = "fr"


@strawberry.type
class SignUpPayload:
    organisation: Organisation
    email_verification_sent: bool


@strawberry.type
class LogInPayload:
    organisation: Organisation
    csrf_token: str


@strawberry.type
class OkPayload:
    ok: bool


SignUpResult = Annotated[
    SignUpPayload
    | e.WeakPassword
    | e.InvalidSiren
    | e.SirenRequired
    | e.EmailTaken
    | e.InvalidEmail
    | e.TermsNotAccepted
    | InvalidInput,
    strawberry.union("SignUpResult"),
]
LogInResult = Annotated[
    LogInPayload | e.InvalidCredentials | e.AccountLocked, strawberry.union("LogInResult")
]
VerifyEmailResult = Annotated[OkPayload | e.InvalidToken, strawberry.union("VerifyEmailResult")]
LogOutResult = Annotated[OkPayload | AuthErrors, strawberry.union("LogOutResult")]
