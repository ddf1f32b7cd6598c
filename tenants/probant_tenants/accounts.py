"""Signing up, verifying an email address, logging in and out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.db.session import acting_as, rescope
from probant_platform.jobs import enqueue
from probant_platform.text import clean_line
from probant_tenants import audit, throttle
from probant_tenants.audit import AuditAction
from probant_tenants.authz import grant_role
from probant_tenants.errors import (
    AccountLocked,
    EmailTaken,
    InvalidCredentials,
    InvalidEmail,
    InvalidName,
    InvalidSiren,
    InvalidToken,
    SirenRequired,
    TermsNotAccepted,
    WeakPassword,
)
from probant_tenants.models import (
    Membership,
    MembershipStatus,
    OneTimeToken,
    Organisation,
    OrganisationKind,
    Role,
    TokenPurpose,
    User,
)
from probant_tenants.passwords import hash_password, unmet_rules, verify_password
from probant_tenants.sessions import IssuedSession, open_session
from probant_tenants.siren import is_valid_siren, normalise_siren
from probant_tenants.tokens import digest, new_secret

VERIFY_EMAIL_LIFETIME = timedelta(days=3)
SIGN_UP_KINDS = (OrganisationKind.LAW_FIRM, OrganisationKind.COMPANY, OrganisationKind.INDIVIDUAL)


def normalise_email(value: str) -> str:
    """The canonical form of an address (domain lower-cased), or InvalidEmail."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail() from exc
    return result.normalized.lower()


def check_password(password: str) -> None:
    rules = unmet_rules(password)
    if rules:
        raise WeakPassword(rules=rules)


@dataclass(frozen=True)
class SignUpResult:
    user: User
    organisation: Organisation
    membership: Membership


async def email_exists(*, session: AsyncSession, email: str) -> bool:
    found = await session.execute(select(User.id).where(func.lower(User.email) == email))
    return found.first() is not None


async def sign_up(
    *,
    session: AsyncSession,
    kind: OrganisationKind,
    email: str,
    password: str,
    full_name: str,
    organisation_name: str | None,
    siren: str | None,
    accept_terms: bool,
    locale: str,
    ip: str | None = None,
) -> SignUpResult:
    """Create an organisation and its OWNER; email a verification link."""
    if kind not in SIGN_UP_KINDS:
        raise InvalidName()
    if not accept_terms:
        raise TermsNotAccepted()
    address = normalise_email(email)
    check_password(password)
    name = clean_line(full_name, max_length=200)
    if name is None:
        raise InvalidName()
    org_name = clean_line(organisation_name or name, max_length=200)
    if org_name is None:
        raise InvalidName()
    siren_digits = None
    if kind is not OrganisationKind.INDIVIDUAL:
        if not siren:
            raise SirenRequired()
        siren_digits = normalise_siren(siren)
        if not is_valid_siren(siren_digits):
            raise InvalidSiren()
    if await email_exists(session=session, email=address):
        raise EmailTaken()

    now = utcnow()
    user = User(
        id=uuid.uuid4(),
        email=address,
        password_hash=hash_password(password),
        full_name=name,
        locale=locale if locale in ("fr", "en") else "fr",
        terms_accepted_at=now,
    )
    organisation = Organisation(
        id=uuid.uuid4(),
        kind=kind,
        name=org_name,
        locale=user.locale,
        siren=siren_digits,
        company_name=org_name if kind is not OrganisationKind.INDIVIDUAL else None,
    )
    session.add(user)
    await session.flush()
    await rescope(session, TenantScope(organisation_id=organisation.id, user_id=user.id))
    session.add(organisation)
    await session.flush()
    membership = await add_member(
        session=session, organisation_id=organisation.id, user_id=user.id, role=Role.OWNER
    )
    await audit.record(
        session=session,
        organisation_id=organisation.id,
        action=AuditAction.SIGN_UP,
        actor_user_id=user.id,
        ip=ip,
    )
    await send_verification(session=session, user=user)
    return SignUpResult(user=user, organisation=organisation, membership=membership)


async def add_member(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    role: Role,
    status: MembershipStatus = MembershipStatus.ACTIVE,
) -> Membership:
    """Give `user_id` a role in the organisation (the session must be pinned to it)."""
    membership = Membership(
        id=uuid.uuid4(), organisation_id=organisation_id, user_id=user_id, role=role, status=status
    )
    session.add(membership)
    await session.flush()
    await grant_role(session=session, user_id=user_id, organisation_id=organisation_id, role=role)
    return membership


async def send_verification(*, session: AsyncSession, user: User) -> None:
    """Queue the verification email; its job mints the link (no secret in the queue)."""
    await enqueue(session, "accounts.email_verification_link", to=user.email, user_id=str(user.id))


async def issue_token(
    *, session: AsyncSession, user_id: uuid.UUID, purpose: TokenPurpose, lifetime: timedelta
) -> str:
    """A new one-time secret for `user_id`; only its hash is stored."""
    token, now = new_secret(), utcnow()
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=purpose,
            token_hash=digest(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()
    return token


async def consume_token(
    *, session: AsyncSession, token: str, purpose: TokenPurpose
) -> OneTimeToken:
    """Mark a one-time token used and return it; InvalidToken if unknown, expired or used."""
    if not token or len(token) > 128:
        raise InvalidToken()
    record = (
        await session.execute(
            select(OneTimeToken)
            .where(OneTimeToken.token_hash == digest(token), OneTimeToken.purpose == purpose)
            .with_for_update()
        )
    ).scalar_one_or_none()
    now = utcnow()
    if record is None or record.used_at is not None or record.expires_at <= now:
        raise InvalidToken()
    record.used_at = now
    return record


async def verify_email(*, session: AsyncSession, token: str) -> User:
    record = await consume_token(session=session, token=token, purpose=TokenPurpose.VERIFY_EMAIL)
    user = await session.get(User, record.user_id)
    assert user is not None
    user.email_verified_at = user.email_verified_at or utcnow()
    for membership in await memberships_of(session=session, user_id=user.id):
        async with acting_as(
            session, TenantScope(organisation_id=membership.organisation_id, user_id=user.id)
        ):
            await audit.record(
                session=session,
                organisation_id=membership.organisation_id,
                action=AuditAction.EMAIL_VERIFIED,
                actor_user_id=user.id,
            )
    return user


async def memberships_of(*, session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    """The user's active memberships (visible to them whatever the tenant)."""
    await rescope(session, TenantScope(user_id=user_id))
    rows = await session.execute(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.created_at)
    )
    return list(rows.scalars())


async def log_in(
    *,
    session: AsyncSession,
    database: Database,
    email: str,
    password: str,
    organisation_id: uuid.UUID | None,
    ip: str | None,
    user_agent: str | None,
) -> IssuedSession:
    """Check credentials and open a session; the same error for unknown email and bad password.

    The lockout counters and the failed-attempt audit rows are written through `database`
    in transactions of their own, so they hold even if the caller rolls `session` back.
    """
    try:
        address = normalise_email(email)
    except InvalidEmail:
        raise InvalidCredentials() from None
    keys = [throttle.account_key(address)]
    ip_key = throttle.ip_key(ip)
    if ip_key:
        keys.append(ip_key)
    if await throttle.locked(session=session, keys=keys):
        raise AccountLocked()
    user = (await session.execute(select(User).where(User.email == address))).scalar_one_or_none()
    valid = verify_password(user.password_hash if user else None, password)
    memberships = await memberships_of(session=session, user_id=user.id) if user else []
    if user is None or not valid or user.deleted_at is not None or not memberships:
        await _fail_login(database=database, user=user, memberships=memberships, keys=keys, ip=ip)
        raise InvalidCredentials()
    chosen = next((m for m in memberships if m.organisation_id == organisation_id), memberships[0])
    await throttle.clear(database=database, key=keys[0])
    await rescope(session, TenantScope(organisation_id=chosen.organisation_id, user_id=user.id))
    await audit.record(
        session=session,
        organisation_id=chosen.organisation_id,
        action=AuditAction.SIGN_IN,
        actor_user_id=user.id,
        ip=ip,
    )
    return await open_session(
        session=session, user_id=user.id, membership_id=chosen.id, ip=ip, user_agent=user_agent
    )


async def _fail_login(
    *,
    database: Database,
    user: User | None,
    memberships: list[Membership],
    keys: list[str],
    ip: str | None,
) -> None:
    await throttle.register_failure(
        database=database, key=keys[0], limit=throttle.ACCOUNT_MAX_FAILURES
    )
    if len(keys) > 1:
        await throttle.register_failure(
            database=database, key=keys[1], limit=throttle.IP_MAX_FAILURES
        )
    if user is not None:
        for membership in memberships:
            await audit.record_now(
                database=database,
                organisation_id=membership.organisation_id,
                action=AuditAction.SIGN_IN_FAILED,
                actor_user_id=user.id,
                ip=ip,
            )
