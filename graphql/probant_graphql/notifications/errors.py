"""The typed errors of the inbox and push subscriptions, registered for their domain codes."""

from __future__ import annotations

import strawberry

from probant_graphql.core.errors import Error, InvalidInput, invalid_input, register
from probant_platform.errors import DomainError


@strawberry.type(description="Push notifications are not configured on this server.")
class PushUnavailable(Error):
    pass


def _invalid_subscription(exc: DomainError, locale: str) -> Error:
    """The argument at fault, from the part of the subscription the service refused."""
    field = {"p256dh": "p256dh", "auth": "auth", "keys": "p256dh"}.get(
        str(exc.params.get("reason")), "endpoint"
    )
    return InvalidInput(message=exc.message(locale), field=field)


# `probant_platform.notifications.inbox.NotificationNotFound` is a NOT_FOUND: `NotFound`
# (core/errors.py) with the inbox's message.
register("UNKNOWN_NOTIFICATION_KIND", invalid_input("kind"))
register("INVALID_PUSH_SUBSCRIPTION", _invalid_subscription)
register("PUSH_UNAVAILABLE", PushUnavailable)
