# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Inviting members with a code, activating the account, allotting credits on the way."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from tests.factories import Role, add_member, gql, log_in, make_organisation, unique_email
from tests.ledger_helpers import fund
from tests.tenancy.helpers import ACTIVATE, INVITE, activation_codes

from probant_platform.db import Database


async def test_an_invited_collaborator_activates_and_finds_the_allotted_credits(
    database: Database, client_factory: object, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 10)
    admin, newcomer = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    email = unique_email("invited")
    invited = await gql(admin, INVITE, {"e": email, "r": "COLLABORATOR", "c": 3})
    assert invited["inviteMember"]["member"] == {
        "email": email,
        "role": "COLLABORATOR",
        "status": "INVITED",
    }
    code = (await activation_codes(database, smtp_server, email))[-1]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    activated = await gql(
        newcomer, ACTIVATE, {"c": code.lower(), "p": "Welcome-Aboard-42", "t": True}
    )
    assert activated["activateAccount"]["__typename"] == "LogInPayload"
    newcomer.headers["x-probant-csrf"] = activated["activateAccount"]["csrfToken"]
    me = await gql(newcomer, "{ viewer { role user { emailVerified } } creditBalance }")
    assert me == {
        "viewer": {"role": "COLLABORATOR", "user": {"emailVerified": True}},
        "creditBalance": 3,
    }
    assert (await gql(admin, "{ creditBalance }"))["creditBalance"] == 7
    again = await gql(client_factory(), ACTIVATE, {"c": code, "p": "Welcome-Aboard-42", "t": True})  # type: ignore[operator]
    assert again["activateAccount"]["__typename"] == "InvalidToken"


async def test_re_inviting_replaces_the_code(
    database: Database, client: httpx.AsyncClient, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    email = unique_email("twice")
    await gql(client, INVITE, {"e": email, "r": "CLIENT", "c": 0})
    (first,) = await activation_codes(database, smtp_server, email)
    await gql(client, INVITE, {"e": email, "r": "CLIENT", "c": 0})
    (again, second) = await activation_codes(database, smtp_server, email)
    assert again == first
    old = await gql(client, ACTIVATE, {"c": first, "p": "Welcome-Aboard-42", "t": True})
    new = await gql(client, ACTIVATE, {"c": second, "p": "Welcome-Aboard-42", "t": True})
    assert old["activateAccount"]["__typename"] == "InvalidToken"
    assert new["activateAccount"]["__typename"] == "LogInPayload"


@pytest.mark.parametrize(
    ("password", "terms", "typename"),
    [("weak", True, "WeakPassword"), ("Welcome-Aboard-42", False, "TermsNotAccepted")],
)
async def test_bad_activations_change_nothing(
    database: Database,
    client: httpx.AsyncClient,
    password: str,
    terms: bool,
    typename: str,
    smtp_server: Any,
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    email = unique_email("bad")
    await gql(client, INVITE, {"e": email, "r": "COLLABORATOR", "c": 0})
    code = (await activation_codes(database, smtp_server, email))[-1]
    result = await gql(client, ACTIVATE, {"c": code, "p": password, "t": terms})
    assert result["activateAccount"]["__typename"] == typename
    ok = await gql(client, ACTIVATE, {"c": code, "p": "Welcome-Aboard-42", "t": True})
    assert ok["activateAccount"]["__typename"] == "LogInPayload"


async def test_an_expired_code_is_refused(
    database: Database, client: httpx.AsyncClient, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    email = unique_email("late")
    await gql(client, INVITE, {"e": email, "r": "COLLABORATOR", "c": 0})
    code = (await activation_codes(database, smtp_server, email))[-1]
    async with database.unit_of_work() as session:
        from probant_platform.db import TenantScope
        from probant_platform.db.session import rescope

        await rescope(session, TenantScope(organisation_id=owner.organisation_id))
        await session.execute(
            text("UPDATE invitations SET expires_at = now() - interval '1 second'")
        )
    result = await gql(client, ACTIVATE, {"c": code, "p": "Welcome-Aboard-42", "t": True})
    assert result["activateAccount"]["__typename"] == "InvalidToken"


async def test_inviting_with_more_credits_than_held_creates_nothing(
    database: Database, client: httpx.AsyncClient, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 1)
    await log_in(client, owner)
    email = unique_email("rich")
    result = await gql(client, INVITE, {"e": email, "r": "COLLABORATOR", "c": 5})
    assert result["inviteMember"]["__typename"] == "InsufficientCredits"
    assert await activation_codes(database, smtp_server, email) == []
    members = await gql(client, "query { organisation { members { edges { node { email } } } } }")
    assert email not in [e["node"]["email"] for e in members["organisation"]["members"]["edges"]]


async def test_collaborators_cannot_invite_and_roles_are_limited(
    database: Database, client_factory: object, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    admin, other = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    await log_in(other, colleague)
    emails = [unique_email("refused") for _ in range(3)]
    refused = await gql(other, INVITE, {"e": emails[0], "r": "COLLABORATOR", "c": 0})
    clerk = await gql(admin, INVITE, {"e": emails[1], "r": "CLERK", "c": 0})
    owner_role = await gql(admin, INVITE, {"e": emails[2], "r": "OWNER", "c": 0})
    assert refused["inviteMember"]["__typename"] == "NotAllowed"
    assert clerk["inviteMember"]["__typename"] == "NotAllowed"
    assert owner_role["inviteMember"]["__typename"] == "NotAllowed"
    for email in emails:
        assert await activation_codes(database, smtp_server, email) == []  # no invitation, no email


async def test_inviting_beyond_the_plans_seats_is_refused(
    database: Database, client: httpx.AsyncClient, smtp_server: Any
) -> None:
    from probant_platform.db import TenantScope
    from probant_platform.db.session import rescope

    owner = await make_organisation(database)
    async with database.unit_of_work() as session:
        await rescope(session, TenantScope(organisation_id=owner.organisation_id))
        await session.execute(
            text("UPDATE organisations SET seat_limit = 2 WHERE id = :o"),
            {"o": owner.organisation_id},
        )
    await log_in(client, owner)
    first = await gql(client, INVITE, {"e": unique_email("seat"), "r": "COLLABORATOR", "c": 0})
    email = unique_email("seat")
    second = await gql(client, INVITE, {"e": email, "r": "COLLABORATOR", "c": 0})
    assert first["inviteMember"]["__typename"] == "InvitationPayload"
    assert second["inviteMember"]["__typename"] == "SeatLimitReached"
    assert await activation_codes(database, smtp_server, email) == []


async def test_activation_sets_the_invited_persons_name(
    database: Database, client_factory: object, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    admin, newcomer = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    email = unique_email("named")
    await gql(admin, INVITE, {"e": email, "r": "CLIENT", "c": 0})
    code = (await activation_codes(database, smtp_server, email))[-1]
    named = """mutation($c: String!, $p: String!, $n: String) { activateAccount(code: $c, password: $p, acceptTerms: true, fullName: $n) {
      __typename ... on InvalidInput { field } ... on LogInPayload { csrfToken } } }"""

    refused = await gql(newcomer, named, {"c": code, "p": "Welcome-Aboard-42", "n": "  "})
    assert refused["activateAccount"] == {"__typename": "InvalidInput", "field": "name"}
    done = await gql(newcomer, named, {"c": code, "p": "Welcome-Aboard-42", "n": " Léa Martin "})
    assert done["activateAccount"]["__typename"] == "LogInPayload"

    me = await gql(newcomer, "{ viewer { user { fullName } } }")
    assert me["viewer"]["user"]["fullName"] == "Léa Martin"


async def test_admins_see_each_members_credit_balance_and_members_do_not(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 10)
    admin = client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    email = unique_email("funded")
    await gql(admin, INVITE, {"e": email, "r": "CLIENT", "c": 4})
    members = "{ organisation { members { edges { node { email creditBalance } } } } }"

    listed = await gql(admin, members)
    balances = {
        e["node"]["email"]: e["node"]["creditBalance"]
        for e in listed["organisation"]["members"]["edges"]
    }
    assert balances == {owner.email: 0, email: 4}
