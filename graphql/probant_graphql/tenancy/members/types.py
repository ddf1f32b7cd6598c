"""Members: payloads and result unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from probant_graphql.core.errors import InvalidInput, NotFound, RoleOrAuthErrors
from probant_graphql.ledger.types import InsufficientCredits
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.accounts.types import LogInPayload
from probant_graphql.tenancy.types import Member


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
    | e.AlreadyMember
    | e.SeatLimitReached
    | InsufficientCredits
    | e.InvalidEmail
    | InvalidInput
    | RoleOrAuthErrors,
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


@strawberry.type
class MemberPayload:
    member: Member


MemberResult = Annotated[
    MemberPayload | e.LastOwner | NotFound | RoleOrAuthErrors, strawberry.union("MemberResult")
]
