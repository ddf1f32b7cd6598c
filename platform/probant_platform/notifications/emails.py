"""Notification emails: sent only when the person wants this kind by email, each with its
one-click unsubscribe link. Account emails (verification, password, invitations) are not
notifications and always go out."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.notifications import preferences
from probant_platform.notifications import unsubscribe as links
from probant_platform.notifications.models import Channel
from probant_tenants.models import User

# The templates that notify about an event, by the kind a person may switch off.
TEMPLATE_KINDS = {
    "deposit_accepted": "submission.accepted",
    "deposit_rejected": "submission.rejected",
    "certificate": "certificate.issued",
    "constat_issued": "constat.issued",
    "onsite_quoted": "onsite.quoted",
    "office_new_submission": "submission.received",
    "office_constat_paid": "constat.awaiting_validation",
    "onsite_accepted": "onsite.answered",
    "onsite_declined": "onsite.answered",
    "notification": "",  # the generic one: its kind comes with it
}


async def wanted(
    session: AsyncSession, user: User | None, template: str, kind: str | None = None
) -> bool:
    """Whether `user` gets this email (any email at all when it is not a notification)."""
    if user is None or user.deleted_at is not None:
        return False
    kind = kind or TEMPLATE_KINDS.get(template)
    if kind is None:
        return user.notify_email
    return await preferences.enabled(session, user, kind, Channel.EMAIL)


def unsubscribe_for(
    user: User | None, template: str, kind: str | None = None
) -> dict[str, Any] | None:
    """The job argument naming whose subscription the email's link ends (None: no link)."""
    kind = kind or TEMPLATE_KINDS.get(template)
    if user is None or kind is None:
        return None
    return {"user_id": str(user.id), "kind": kind}


link_of = links.link_of  # the job's argument back into a URL (see unsubscribe.link_of)
