"""Emails that carry a secret: verification and reset links, invitation codes.

Each job mints its secret when it sends the message, so the secret exists only as a hash
in the database and in the email itself, never in the job queue's arguments (which
operators, logs and database backups see). A retried job mints a new one.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from probant_platform import runtime, urls
from probant_platform.db import TenantScope, utcnow
from probant_platform.jobs import task
from probant_platform.notifications.tasks import send_email
from probant_tenants.accounts import VERIFY_EMAIL_LIFETIME, issue_token
from probant_tenants.invitations import new_code
from probant_tenants.models import Invitation, Organisation, TokenPurpose, User
from probant_tenants.profile import RESET_LIFETIME
from probant_tenants.tokens import digest


@task(name="accounts.email_verification_link", queue="email")
async def email_verification_link(*, to: str, user_id: str) -> None:
    """Mint a verification link for the user and email it (unless already verified)."""
    await _email_link(
        to=to,
        user_id=user_id,
        purpose=TokenPurpose.VERIFY_EMAIL,
        lifetime=VERIFY_EMAIL_LIFETIME,
        path="/verify-email",
        template="verify_email",
    )


@task(name="accounts.email_reset_link", queue="email")
async def email_reset_link(*, to: str, user_id: str) -> None:
    """Mint a password-reset link (1 h, single use) and email it."""
    await _email_link(
        to=to,
        user_id=user_id,
        purpose=TokenPurpose.RESET_PASSWORD,
        lifetime=RESET_LIFETIME,
        path="/reset-password",
        template="reset_password",
    )


async def _email_link(
    *,
    to: str,
    user_id: str,
    purpose: TokenPurpose,
    lifetime: timedelta,
    path: str,
    template: str,
) -> None:
    rt = runtime.current()
    async with rt.database.unit_of_work() as session:
        user = await session.get(User, uuid.UUID(user_id))
        if user is None or user.deleted_at is not None:
            return
        if purpose is TokenPurpose.VERIFY_EMAIL and user.email_verified_at is not None:
            return
        token = await issue_token(
            session=session, user_id=user.id, purpose=purpose, lifetime=lifetime
        )
        context = {
            "name": user.full_name,
            "link": urls.app_url(rt.settings.base_url, path, token=token),
        }
        locale = user.locale
    await send_email(to=to, template=template, locale=locale, context=context)


@task(name="invitations.email_code", queue="email")
async def email_invitation_code(
    *, to: str, organisation_id: str, invitation_id: str, replaces_earlier: bool = False
) -> None:
    """Mint the activation code of a still-open invitation and email it."""
    rt = runtime.current()
    scope = TenantScope(organisation_id=uuid.UUID(organisation_id))
    async with rt.database.unit_of_work(scope) as session:
        invitation = await session.get(Invitation, uuid.UUID(invitation_id), with_for_update=True)
        if (
            invitation is None
            or invitation.used_at is not None
            or invitation.revoked_at is not None
            or invitation.expires_at <= utcnow()
        ):
            return
        organisation = await session.get(Organisation, invitation.organisation_id)
        assert organisation is not None
        code = new_code()
        invitation.code_hash = digest(code)
        context = {
            "organisation": organisation.name,
            "code": code,
            "link": urls.app_url(
                rt.settings.base_url, "/activate", email=invitation.email, code=code
            ),
            "role": invitation.role.value,
            "replaces_earlier": replaces_earlier,
        }
        locale = organisation.locale
    await send_email(to=to, template="invitation", locale=locale, context=context)
