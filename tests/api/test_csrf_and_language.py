"""What the API says when it refuses: a missing CSRF header is named as such, and every
message is in the account's language, else the browser's (Accept-Language), else French."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from tests.factories import (
    Role,
    add_member,
    gql,
    gql_raw,
    log_in,
    make_organisation,
    set_language,
)

from probant_platform.db import Database

LOG_OUT = "mutation { logOut { __typename ... on NotAllowed { code message } } }"
LOG_IN = """mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) {
  __typename ... on Error { message } } }"""
AUDIT = "{ auditLog { edges { node { action } } } }"


async def test_a_cookie_mutation_without_the_csrf_header_says_so(
    client: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_organisation(database)
    token = await log_in(client, owner)

    del client.headers["x-probant-csrf"]
    missing = (await gql(client, LOG_OUT))["logOut"]
    client.headers["x-probant-csrf"] = "not-" + token
    wrong = (await gql(client, LOG_OUT))["logOut"]

    assert missing["__typename"] == "NotAllowed" and missing["code"] == "CSRF_MISSING"
    assert "L'en-tête x-probant-csrf manque" in missing["message"]
    assert "rôle" not in missing["message"]
    assert wrong["code"] == "CSRF_INVALID"
    assert "ne correspond pas" in wrong["message"]
    assert (await gql(client, "{ viewer { role } }"))["viewer"] is not None  # still logged in


async def test_a_role_refusal_keeps_its_own_code(
    client: httpx.AsyncClient, database: Database
) -> None:
    firm = await make_organisation(database)
    collaborator = await add_member(database, firm, role=Role.COLLABORATOR)
    await log_in(client, collaborator)
    refused = await gql(
        client,
        """mutation { inviteMember(email: "x@example.com", role: COLLABORATOR) {
          __typename ... on NotAllowed { code message } } }""",
    )
    assert refused["inviteMember"] == {
        "__typename": "NotAllowed",
        "code": "ROLE",
        "message": "Votre rôle ne permet pas cette action.",
    }


async def test_anonymous_requests_follow_accept_language(
    client_factory: Callable[[], httpx.AsyncClient], database: Database
) -> None:
    owner = await make_organisation(database)
    english, french, plain = client_factory(), client_factory(), client_factory()
    english.headers["accept-language"] = "de-DE,en;q=0.8"
    french.headers["accept-language"] = "fr-FR,fr;q=0.9,en;q=0.5"

    bad_password = {"e": owner.email, "p": "Wrong-Password-1!"}
    logins = [(await gql(c, LOG_IN, bad_password))["logIn"] for c in (english, french, plain)]
    denied = [(await gql_raw(c, "{ creditBalance }"))["errors"][0] for c in (english, plain)]

    assert [m["message"] for m in logins] == [
        "Incorrect email address or password.",
        "Adresse e-mail ou mot de passe incorrect.",
        "Adresse e-mail ou mot de passe incorrect.",
    ]
    assert denied[0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    assert denied[0]["message"] == "Authentication required: please log in."
    assert denied[1]["message"] == "Veuillez vous connecter."


async def test_a_logged_in_person_reads_their_account_language(
    client_factory: Callable[[], httpx.AsyncClient], database: Database
) -> None:
    firm = await make_organisation(database)
    anglophone = await add_member(database, firm, role=Role.COLLABORATOR)
    francophone = await add_member(database, firm, role=Role.COLLABORATOR)
    await set_language(database, anglophone, "en")
    english, french = client_factory(), client_factory()
    await log_in(english, anglophone)
    await log_in(french, francophone)
    french.headers["accept-language"] = "en"  # the account's language comes first

    assert (await gql_raw(english, AUDIT))["errors"][0]["message"] == (
        "Your role does not allow this."
    )
    assert (await gql_raw(french, AUDIT))["errors"][0]["message"] == (
        "Votre rôle ne permet pas cela."
    )
    del english.headers["x-probant-csrf"]
    refused = (await gql(english, LOG_OUT))["logOut"]
    assert refused["message"].startswith("The x-probant-csrf header is missing")
