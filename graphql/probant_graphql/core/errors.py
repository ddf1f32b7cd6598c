"""The `Error` interface every typed mutation error implements, and the errors shared by domains."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.interface(description="A typed, expected failure; `message` is for a person.")
class Error:
    message: str


@strawberry.type(description="The request carries no valid session or token.")
class NotAuthenticated(Error):
    pass


@strawberry.enum(description="Why an action is not allowed.")
class NotAllowedCode(Enum):
    ROLE = "ROLE"
    CSRF_MISSING = "CSRF_MISSING"
    CSRF_INVALID = "CSRF_INVALID"
    TOKEN_SCOPE = "TOKEN_SCOPE"


@strawberry.type(description="The acting member's role or ownership does not allow this.")
class NotAllowed(Error):
    code: NotAllowedCode = strawberry.field(
        default=NotAllowedCode.ROLE,
        description=(
            "ROLE: the role or ownership; CSRF_MISSING: a cookie-session mutation without the "
            "x-probant-csrf header; CSRF_INVALID: a header that does not match the session; "
            "TOKEN_SCOPE: the token was not minted for this operation."
        ),
    )


@strawberry.type(description="The object does not exist or is not visible to the viewer.")
class NotFound(Error):
    pass


@strawberry.type(description="An argument is malformed or out of bounds.")
class InvalidInput(Error):
    field: str


@strawberry.type(description="The payment provider refused or did not answer; nothing was charged.")
class PaymentUnavailable(Error):
    pass
