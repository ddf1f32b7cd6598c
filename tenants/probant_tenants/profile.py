"""What a person or an admin changes about themselves or their organisation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import Database, TenantScope
from probant_platform.db.session import acting_as
from probant_platform.errors import DomainError
from probant_platform.jobs import enqueue
from probant_platform.text import clean_line
from probant_tenants import audit, throttle
from probant_tenants.accounts import check_password, consume_token, memberships_of, normalise_email
from probant_tenants.audit import AuditAction
from probant_tenants.errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidEmail,
    InvalidName,
    InvalidSiren,
)
from probant_tenants.models import Organisation, TokenPurpose, User
from probant_tenants.passwords import hash_password, verify_password
from probant_tenants.sessions import revoke_user_sessions
from probant_tenants.siren import is_valid_siren, normalise_siren


async def change_password(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    organisation_id: uuid.UUID,
    current_password: str,
    new_password: str,
    database: Database,
    keep_session_id: uuid.UUID | None,
    ip: str | None,
) -> None:
    """Needs the current password; every other session of the person ends.

    Wrong current passwords count towards the account's sign-in lockout (committed apart,
    like sign-in failures): a stolen session must not become a way to guess the password.
    """
    user = await session.get(User, user_id)
    assert user is not None
    key = throttle.account_key(user.email)
    if await throttle.locked(session=session, keys=[key]):
        raise AccountLocked()
    if not verify_password(user.password_hash, current_password):
        await throttle.register_failure(
            database=database, key=key, limit=throttle.ACCOUNT_MAX_FAILURES
        )
        raise InvalidCredentials()
    check_password(new_password)
    user.password_hash = hash_password(new_password)
    await revoke_user_sessions(session=session, user_id=user_id, except_session_id=keep_session_id)
    await audit.record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.PASSWORD_CHANGED,
        actor_user_id=user_id,
        ip=ip,
    )


async def update_notifications(
    *, session: AsyncSession, user_id: uuid.UUID, email: bool | None, push: bool | None
) -> User:
    user = await session.get(User, user_id)
    assert user is not None
    if email is not None:
        user.notify_email = email
    if push is not None:
        user.notify_push = push
    await session.flush()
    return user


SUPPORTED_LOCALES = ("fr", "en")


class UnsupportedLocale(DomainError):
    code = "UNSUPPORTED_LOCALE"
    message_fr = "Langue non prise en charge : choisissez fr ou en."
    message_en = "Unsupported language: choose fr or en."


async def update_person(
    *, session: AsyncSession, user_id: uuid.UUID, full_name: str | None, locale: str | None
) -> User:
    """A person's own name and language (emails and PDFs follow the language)."""
    user = await session.get(User, user_id)
    assert user is not None
    if full_name is not None:
        name = clean_line(full_name, max_length=200)
        if name is None:
            raise InvalidName()
        user.full_name = name
    if locale is not None:
        if locale not in SUPPORTED_LOCALES:
            raise UnsupportedLocale()
        user.locale = locale
    await session.flush()
    return user


@dataclass(frozen=True)
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


LIMITS = {
    "legal_form": 80,
    "company_name": 200,
    "rcs_city": 100,
    "street": 200,
    "postcode": 10,
    "city": 100,
    "representative_first_name": 100,
    "representative_last_name": 100,
}


async def update_organisation_profile(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    name: str | None,
    identity: LegalIdentityInput,
) -> Organisation:
    """Check every field first, then write: the legal identity reused on constats and invoices."""
    values: dict[str, str] = {}
    if name is not None:
        cleaned = clean_line(name, max_length=200)
        if cleaned is None:
            raise InvalidName()
        values["name"] = cleaned
    for field, limit in LIMITS.items():
        raw = getattr(identity, field)
        if raw is not None:
            cleaned = clean_line(raw, max_length=limit) if raw.strip() else ""
            if cleaned is None:
                raise InvalidName(field=field)
            values[field] = cleaned
    if identity.siren is not None:
        digits = normalise_siren(identity.siren)
        if not is_valid_siren(digits):
            raise InvalidSiren()
        values["siren"] = digits
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None
    for field, value in values.items():
        setattr(organisation, field, value if field == "name" else (value or None))
    await audit.record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.ORGANISATION_UPDATED,
        actor_user_id=actor_user_id,
        details={"fields": sorted(values)},
    )
    return organisation


async def update_capture_settings(
    *, session: AsyncSession, organisation_id: uuid.UUID, location_required: bool
) -> Organisation:
    """Whether the organisation's captures must carry a location (blocked without one) or
    are only flagged; the caller holds ORGANISATION_UPDATE."""
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None
    organisation.capture_location_required = location_required
    return organisation


RESET_LIFETIME = timedelta(hours=1)


async def request_password_reset(*, session: AsyncSession, email: str) -> None:
    """Email a reset link if the address is known; the caller answers the same either way.

    The job mints the link when it sends it: no secret waits in the job queue.
    """
    try:
        address = normalise_email(email)
    except InvalidEmail:
        return
    user = (await session.execute(select(User).where(User.email == address))).scalar_one_or_none()
    if user is None or user.deleted_at is not None:
        return
    await enqueue(session, "accounts.email_reset_link", to=user.email, user_id=str(user.id))


async def reset_password(*, session: AsyncSession, token: str, new_password: str) -> None:
    """A new password from an emailed token (1 h, single use); every session ends."""
    check_password(new_password)
    record = await consume_token(session=session, token=token, purpose=TokenPurpose.RESET_PASSWORD)
    user = await session.get(User, record.user_id)
    assert user is not None
    user.password_hash = hash_password(new_password)
    await revoke_user_sessions(session=session, user_id=user.id)
    for membership in await memberships_of(session=session, user_id=user.id):
        async with acting_as(
            session, TenantScope(organisation_id=membership.organisation_id, user_id=user.id)
        ):
            await audit.record(
                session=session,
                organisation_id=membership.organisation_id,
                action=AuditAction.PASSWORD_RESET,
                actor_user_id=user.id,
            )
