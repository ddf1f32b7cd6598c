# ruff: noqa: E501  (GraphQL operations kept on one line)
"""`probant create-operator`: an operator who can log in and credit an organisation."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
from strawberry.relay import to_base64
from tests.factories import LOG_IN, gql, make_organisation, unique_email

from probant_platform.config import Settings
from probant_platform.db import Database

ROOT = Path(__file__).resolve().parents[2]


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "probant_platform.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_an_operator_created_on_the_command_line_credits_an_organisation(
    settings: Settings, owner_url: str, committed_database: Database, data_dir: Path
) -> None:
    from probant_platform.web.app import create_app

    email = unique_email("ops")
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "PROBANT_DATA_DIR": str(data_dir),
        "PROBANT_SECRET_KEY": settings.secret().decode(),
        "PYTHONPATH": os.pathsep.join(str(ROOT / r) for r in ("platform", "tenants", "graphql")),
    }
    result = await asyncio.to_thread(_cli, env, "create-operator", email)
    assert result.returncode == 0, result.stderr
    password = result.stdout.strip().splitlines()[-1].split(": ", 1)[1]
    again = await asyncio.to_thread(_cli, env, "create-operator", email)
    assert again.returncode == 0 and "one-time password" not in again.stdout

    customer = await make_organisation(committed_database)
    app = create_app(settings, database=committed_database, configure_logs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        login = await gql(client, LOG_IN, {"email": email, "password": password})
        client.headers["x-probant-csrf"] = login["logIn"]["csrfToken"]
        assert (await gql(client, "{ viewer { role } }"))["viewer"]["role"] == "OPERATOR"
        credited = await gql(
            client,
            'mutation($o: ID!) { adjustCredits(organisationId: $o, amount: 7, reason: "goodwill", idempotencyKey: "g1") { __typename ... on CreditsMoved { organisationBalance } } }',
            {"o": to_base64("Organisation", str(customer.organisation_id))},
        )
        listed = await gql(
            client,
            "query($s: String) { organisations(search: $s, first: 5) { edges { node { id kind } } } }",
            {"s": None},
        )
        office = await gql(
            client,
            'mutation($e: String!) { createBailiffOffice(input: {name: "Étude Test", street: "1 rue de la Paix", postcode: "75002", city: "Paris", clerkEmail: $e}) { __typename ... on BailiffOfficeCreated { office { kind name } clerkInvited } } }',
            {"e": unique_email("clerk")},
        )
        offices = await gql(
            client,
            '{ organisations(kind: BAILIFF_OFFICE, search: "Étude Test") { edges { node { name } } } }',
        )
    assert credited["adjustCredits"] == {"__typename": "CreditsMoved", "organisationBalance": 7}
    assert to_base64("Organisation", str(customer.organisation_id)) in {
        e["node"]["id"] for e in listed["organisations"]["edges"]
    }
    assert office["createBailiffOffice"]["office"] == {
        "kind": "BAILIFF_OFFICE",
        "name": "Étude Test",
    }
    assert [e["node"]["name"] for e in offices["organisations"]["edges"]] == ["Étude Test"]
