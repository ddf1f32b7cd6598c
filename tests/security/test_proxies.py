"""Attack: behind the ingress every client shares the proxy's address, and anyone can claim
to be on HTTPS.

Before the fix one client's failed sign-ins locked out everyone behind the same proxy, and
`Secure` / HSTS depended on a header any client could send. Now X-Forwarded-* is believed
only from PROBANT_TRUSTED_PROXIES, and production always marks cookies Secure and sends HSTS.
"""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import select
from tests.factories import LOG_IN, PASSWORD, gql, make_organisation, unique_email
from tests.security.helpers import AppFactory, ClientFactory

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_tenants import throttle
from probant_tenants.models import AuditEvent

PROXY = {"PROBANT_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"}


def _behind_proxy(client: httpx.AsyncClient, address: str) -> httpx.AsyncClient:
    client.headers["x-forwarded-for"] = address
    client.headers["x-forwarded-proto"] = "https"
    return client


async def _signed_in_from(database: Database, organisation_id: object) -> list[str | None]:
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:  # type: ignore[arg-type]
        rows = await session.scalars(
            select(AuditEvent.ip).where(AuditEvent.action == "SIGN_IN").order_by(AuditEvent.id)
        )
        return list(rows)


async def test_one_clients_failures_do_not_lock_out_others_behind_the_same_proxy(
    make_app: AppFactory, make_client: ClientFactory, database: Database
) -> None:
    # Given two people behind the ingress, one of them guessing passwords
    app = make_app(**PROXY)
    attacker = _behind_proxy(make_client(app, peer="10.1.0.7"), "203.0.113.66")
    innocent = _behind_proxy(make_client(app, peer="10.1.0.7"), "203.0.113.77")
    member = await make_organisation(database)
    # When the attacker fails often enough to lock their address
    for _ in range(throttle.IP_MAX_FAILURES):
        guess = {"email": unique_email("nobody"), "password": "Wrong-Password-1!"}
        assert (await gql(attacker, LOG_IN, guess))["logIn"]["__typename"] == "InvalidCredentials"
    # Then the attacker is locked out, and the other person signs in as usual
    locked = await gql(attacker, LOG_IN, {"email": member.email, "password": PASSWORD})
    assert locked["logIn"]["__typename"] == "AccountLocked"
    welcome = await gql(innocent, LOG_IN, {"email": member.email, "password": PASSWORD})
    assert welcome["logIn"]["__typename"] == "LogInPayload"
    assert await _signed_in_from(database, member.organisation_id) == ["203.0.113.77"]


async def test_forwarded_headers_from_anyone_else_are_ignored(
    make_app: AppFactory, make_client: ClientFactory, database: Database
) -> None:
    member = await make_organisation(database)
    spoofer = _behind_proxy(make_client(make_app(**PROXY), peer="198.51.100.9"), "203.0.113.1")
    response = await spoofer.post(
        "/graphql",
        json={"query": LOG_IN, "variables": {"email": member.email, "password": PASSWORD}},
    )
    assert response.json()["data"]["logIn"]["__typename"] == "LogInPayload"
    assert await _signed_in_from(database, member.organisation_id) == ["198.51.100.9"]
    # Development over plain HTTP: the spoofed scheme buys neither HSTS nor a Secure cookie
    assert "strict-transport-security" not in response.headers
    assert "secure" not in response.headers["set-cookie"].lower()


async def test_production_always_sends_hsts_and_secure_cookies(
    make_app: AppFactory, make_client: ClientFactory, database: Database
) -> None:
    member = await make_organisation(database)
    client = make_client(make_app(PROBANT_ENV="production"))  # plain http, no proxy headers
    response = await client.post(
        "/graphql",
        json={"query": LOG_IN, "variables": {"email": member.email, "password": PASSWORD}},
    )
    assert response.json()["data"]["logIn"]["__typename"] == "LogInPayload"
    assert response.headers["strict-transport-security"].startswith("max-age=")
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2 and all("secure" in c.lower() for c in cookies)
    assert (await client.get("/healthz")).headers["strict-transport-security"]


def test_a_malformed_proxy_setting_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="PROBANT_TRUSTED_PROXIES"):
        Settings(_env_file=None, PROBANT_TRUSTED_PROXIES="10.0.0.0/8, not-a-network")  # type: ignore[call-arg]
