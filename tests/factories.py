"""Test factories: organisations and members made through the real services; logged-in clients."""

from __future__ import annotations

import itertools
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.db.session import rescope
from probant_tenants import accounts
from probant_tenants.models import MembershipStatus, OrganisationKind, Role, User

PASSWORD = "Correct-Horse-42"
VALID_SIRENS = ["732829320", "552100554", "542107651", "652014051", "443061841"]
_counter = itertools.count()


@dataclass(frozen=True)
class MemberInfo:
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    membership_id: uuid.UUID
    email: str
    password: str
    role: Role


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{next(_counter)}-{secrets.token_hex(3)}@example.com"


async def make_organisation(
    database: Database,
    *,
    kind: OrganisationKind = OrganisationKind.LAW_FIRM,
    name: str | None = None,
    verified: bool = True,
    email: str | None = None,
) -> MemberInfo:
    """A new organisation with its OWNER, signed up through the real service."""
    async with database.unit_of_work() as session:
        result = await accounts.sign_up(
            session=session,
            kind=kind if kind in accounts.SIGN_UP_KINDS else OrganisationKind.COMPANY,
            email=email or unique_email("owner"),
            password=PASSWORD,
            full_name="Camille Martin",
            organisation_name=name or f"Cabinet {next(_counter)}",
            siren=None if kind is OrganisationKind.INDIVIDUAL else VALID_SIRENS[0],
            accept_terms=True,
            locale="fr",
        )
        if kind not in accounts.SIGN_UP_KINDS:
            result.organisation.kind = kind
        if verified:
            result.user.email_verified_at = utcnow()
        return MemberInfo(
            user_id=result.user.id,
            organisation_id=result.organisation.id,
            membership_id=result.membership.id,
            email=result.user.email,
            password=PASSWORD,
            role=Role.OWNER,
        )


async def add_member(
    database: Database,
    organisation: MemberInfo,
    *,
    role: Role,
    verified: bool = True,
    email: str | None = None,
) -> MemberInfo:
    """Another active member of `organisation` with `role`."""
    async with database.unit_of_work(
        TenantScope(organisation_id=organisation.organisation_id)
    ) as s:
        user = User(
            id=uuid.uuid4(),
            email=email or unique_email(role.value.lower()),
            password_hash=accounts.hash_password(PASSWORD),
            full_name=f"{role.value.title()} Dupont",
            email_verified_at=utcnow() if verified else None,
            terms_accepted_at=utcnow(),
        )
        s.add(user)
        await s.flush()
        await rescope(s, TenantScope(organisation_id=organisation.organisation_id))
        membership = await accounts.add_member(
            session=s,
            organisation_id=organisation.organisation_id,
            user_id=user.id,
            role=role,
            status=MembershipStatus.ACTIVE,
        )
        return MemberInfo(
            user_id=user.id,
            organisation_id=organisation.organisation_id,
            membership_id=membership.id,
            email=user.email,
            password=PASSWORD,
            role=role,
        )


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run an operation and return its `data`, failing the test on any GraphQL error."""
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def gql_raw(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    body: dict[str, Any] = response.json()
    return body


LOG_IN = """
mutation($email: String!, $password: String!) {
  logIn(email: $email, password: $password) {
    __typename
    ... on LogInPayload { csrfToken organisation { id name } }
    ... on Error { message }
  }
}"""


async def log_in(client: httpx.AsyncClient, member: MemberInfo) -> str:
    """Log `member` in on `client` (cookies kept by the client) and set its CSRF header."""
    data = await gql(client, LOG_IN, {"email": member.email, "password": member.password})
    result = data["logIn"]
    assert result["__typename"] == "LogInPayload", result
    client.headers["x-probant-csrf"] = result["csrfToken"]
    return str(result["csrfToken"])


async def set_language(database: Database, member: MemberInfo, locale: str) -> None:
    """Set the account's language (as chosen at sign-up)."""
    async with database.unit_of_work(TenantScope(user_id=member.user_id)) as session:
        user = await session.get(User, member.user_id)
        assert user is not None
        user.locale = locale
