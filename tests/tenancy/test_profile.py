# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Changing one's password and preferences, and the organisation's legal identity."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from tests.factories import LOG_IN, PASSWORD, Role, add_member, gql, log_in, make_organisation
from tests.sent_emails import body_text, sent_emails

from probant_platform.db import Database

CHANGE = """
mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) {
  __typename ... on WeakPassword { unmetRules } ... on Error { message } } }"""
PROFILE = """
mutation($n: String, $i: LegalIdentityInput) { updateOrganisationProfile(name: $n, legalIdentity: $i) {
  __typename ... on OrganisationPayload { organisation { name legalIdentity { siren city representativeLastName } } }
  ... on Error { message } } }"""


async def test_changing_the_password_ends_other_sessions(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    here, elsewhere = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(here, owner)
    await log_in(elsewhere, owner)
    result = await gql(here, CHANGE, {"c": PASSWORD, "n": "Another-Secret-77"})
    assert result["changePassword"]["__typename"] == "OkPayload"
    assert (await gql(here, "{ viewer { role } }"))["viewer"] is not None
    assert (await gql(elsewhere, "{ viewer { role } }"))["viewer"] is None
    old = await gql(elsewhere, LOG_IN, {"email": owner.email, "password": PASSWORD})
    new = await gql(elsewhere, LOG_IN, {"email": owner.email, "password": "Another-Secret-77"})
    assert old["logIn"]["__typename"] == "InvalidCredentials"
    assert new["logIn"]["__typename"] == "LogInPayload"


@pytest.mark.parametrize(
    ("current", "new", "typename"),
    [
        ("Wrong-Password-1", "Another-Secret-77", "InvalidCredentials"),
        (PASSWORD, "short", "WeakPassword"),
    ],
)
async def test_bad_password_changes_change_nothing(
    database: Database, client: httpx.AsyncClient, current: str, new: str, typename: str
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    assert (await gql(client, CHANGE, {"c": current, "n": new}))["changePassword"][
        "__typename"
    ] == typename
    again = await gql(client, LOG_IN, {"email": owner.email, "password": PASSWORD})
    assert again["logIn"]["__typename"] == "LogInPayload"


async def test_notification_preferences_default_to_email_on_push_off(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    before = await gql(client, "{ viewer { user { notifyEmail notifyPush } } }")
    assert before["viewer"]["user"] == {"notifyEmail": True, "notifyPush": False}
    changed = await gql(
        client,
        "mutation { updateNotificationPreferences(push: true) { ... on NotificationPreferences { email push } } }",
    )
    assert changed["updateNotificationPreferences"] == {"email": True, "push": True}


async def test_an_admin_updates_the_legal_identity_and_bad_input_changes_nothing(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    ok = await gql(
        client,
        PROFILE,
        {
            "n": "Cabinet Martin",
            "i": {"siren": "552 100 554", "city": "Lyon", "representativeLastName": "Martin"},
        },
    )
    assert ok["updateOrganisationProfile"]["organisation"] == {
        "name": "Cabinet Martin",
        "legalIdentity": {"siren": "552100554", "city": "Lyon", "representativeLastName": "Martin"},
    }
    bad = await gql(client, PROFILE, {"n": "Autre nom", "i": {"siren": "123456789"}})
    assert bad["updateOrganisationProfile"]["__typename"] == "InvalidSiren"
    assert (await gql(client, "{ organisation { name } }"))["organisation"][
        "name"
    ] == "Cabinet Martin"


async def test_a_collaborator_cannot_update_the_organisation(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await log_in(client, colleague)
    result = await gql(client, PROFILE, {"n": "Pwned"})
    assert result["updateOrganisationProfile"]["__typename"] == "NotAllowed"


RESET = """
mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) {
  __typename ... on WeakPassword { unmetRules } } }"""


async def _reset_link(database: Database, smtp_server: Any, email: str) -> str:
    (message,) = await sent_emails(database, smtp_server, to=email)
    match = re.search(r"/app/reset-password\?token=([\w-]+)", body_text(message))
    assert match
    return match.group(1)


async def test_a_password_reset_works_once_and_ends_every_session(
    database: Database, client_factory: object, smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    logged_in, anonymous = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(logged_in, owner)
    known = await gql(
        anonymous,
        "mutation($e: String!) { requestPasswordReset(email: $e) { ok } }",
        {"e": owner.email},
    )
    unknown = await gql(
        anonymous, 'mutation { requestPasswordReset(email: "nobody@example.com") { ok } }'
    )
    assert known["requestPasswordReset"] == unknown["requestPasswordReset"] == {"ok": True}
    token = await _reset_link(database, smtp_server, owner.email)

    weak = await gql(anonymous, RESET, {"t": token, "p": "weak"})
    done = await gql(anonymous, RESET, {"t": token, "p": "Brand-New-Pass-9"})
    again = await gql(anonymous, RESET, {"t": token, "p": "Brand-New-Pass-10"})

    assert weak["resetPassword"]["__typename"] == "WeakPassword"
    assert done["resetPassword"]["__typename"] == "OkPayload"
    assert again["resetPassword"]["__typename"] == "InvalidToken"
    assert (await gql(logged_in, "{ viewer { role } }"))["viewer"] is None
    relog = await gql(anonymous, LOG_IN, {"email": owner.email, "password": "Brand-New-Pass-9"})
    assert relog["logIn"]["__typename"] == "LogInPayload"


async def test_an_expired_reset_token_is_refused(
    database: Database, client: httpx.AsyncClient, smtp_server: Any
) -> None:
    from sqlalchemy import text

    owner = await make_organisation(database)
    await gql(
        client,
        "mutation($e: String!) { requestPasswordReset(email: $e) { ok } }",
        {"e": owner.email},
    )
    token = await _reset_link(database, smtp_server, owner.email)
    async with database.unit_of_work() as session:
        await session.execute(
            text("UPDATE one_time_tokens SET expires_at = now() - interval '1 second'")
        )
    result = await gql(client, RESET, {"t": token, "p": "Brand-New-Pass-9"})
    assert result["resetPassword"]["__typename"] == "InvalidToken"


async def test_the_audit_log_shows_sign_ins_and_password_changes(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    admin, other = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    await gql(other, LOG_IN, {"email": colleague.email, "password": "Wrong-Password-1"})
    await gql(admin, CHANGE, {"c": PASSWORD, "n": "Another-Secret-77"})
    log = await gql(admin, "{ auditLog { edges { node { action } } } }")
    actions = [e["node"]["action"] for e in log["auditLog"]["edges"]]
    assert actions[:3] == ["PASSWORD_CHANGED", "SIGN_IN_FAILED", "SIGN_IN"]
    only = await gql(admin, "{ auditLog(action: SIGN_IN_FAILED) { edges { node { action } } } }")
    assert [e["node"]["action"] for e in only["auditLog"]["edges"]] == ["SIGN_IN_FAILED"]
    await log_in(other, colleague)
    refused = await other.post(
        "/graphql", json={"query": "{ auditLog { edges { node { action } } } }"}
    )
    assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"


async def test_a_person_changes_their_name_and_language(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    change = """mutation($n: String, $l: String) { updateMyProfile(fullName: $n, locale: $l) {
      __typename ... on PersonPayload { fullName locale } ... on InvalidInput { field } } }"""

    done = await gql(client, change, {"n": "  Anne Roux ", "l": "en"})
    assert done["updateMyProfile"] == {
        "__typename": "PersonPayload",
        "fullName": "Anne Roux",
        "locale": "en",
    }
    bad_locale = await gql(client, change, {"l": "de"})
    assert bad_locale["updateMyProfile"] == {"__typename": "InvalidInput", "field": "locale"}
    bad_name = await gql(client, change, {"n": " "})
    assert bad_name["updateMyProfile"] == {"__typename": "InvalidInput", "field": "name"}
    me = await gql(client, "{ viewer { user { fullName locale } } }")
    assert me["viewer"]["user"] == {"fullName": "Anne Roux", "locale": "en"}
