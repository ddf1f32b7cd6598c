"""The `Error` interface every typed mutation error implements, and the errors shared by domains."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="A typed, expected failure; `message` is for a person.")
class Error:
    message: str


@strawberry.type(description="The request carries no valid session or token.")
class NotAuthenticated(Error):
    pass


@strawberry.type(description="The acting member's role or ownership does not allow this.")
class NotAllowed(Error):
    pass


@strawberry.type(description="The object does not exist or is not visible to the viewer.")
class NotFound(Error):
    pass


@strawberry.type(description="An argument is malformed or out of bounds.")
class InvalidInput(Error):
    field: str


@strawberry.type(description="The payment provider refused or did not answer; nothing was charged.")
class PaymentUnavailable(Error):
    pass
