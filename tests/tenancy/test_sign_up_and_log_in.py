"""Signing up, verifying the email, logging in and out — through GraphQL, as a person would."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from tests.factories import (
    LOG_IN,
    PASSWORD,
    VALID_SIRENS,
    gql,
    log_in,
    make_organisation,
    unique_email,
)
from tests.sent_emails import body_text, sent_emails

from probant_platform.db import Database
from probant_tenants.models import User
from probant_tenants.siren import is_valid_siren

SIGN_UP = """
mutation($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on SignUpPayload {
      emailVerificationSent organisation { id name kind legalIdentity { siren } }
    }
    ... on WeakPassword { message unmetRules }
    ... on Error { message }
  }
}"""

VIEWER = "{ viewer { role permissions user { email emailVerified } organisation { name kind } } }"


def _input(**overrides: Any) -> dict[str, Any]:
    values = {
        "kind": "LAW_FIRM",
        "email": unique_email("signup"),
        "password": PASSWORD,
        "fullName": "Maître Claire Lefèvre",
        "organisationName": "Cabinet Lefèvre",
        "siren": "732 829 320",
        "acceptTerms": True,
    }
    values.update(overrides)
    return values


async def _count(database: Database, model: Any) -> int:
    async with database.unit_of_work() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


def test_demo_sirens_are_valid() -> None:
    assert all(is_valid_siren(s) for s in VALID_SIRENS)
    assert not is_valid_siren("732829321")
    assert not is_valid_siren("12345678")


async def test_a_law_firm_signs_up_and_gets_a_verification_email(
    client: httpx.AsyncClient, database: Database, smtp_server: Any
) -> None:
    email = unique_email("signup")
    data = await gql(client, SIGN_UP, {"input": _input(email=email)})
    result = data["signUp"]
    assert result["__typename"] == "SignUpPayload"
    assert result["emailVerificationSent"] is True
    assert result["organisation"]["kind"] == "LAW_FIRM"
    assert result["organisation"]["legalIdentity"]["siren"] == "732829320"
    [message] = await sent_emails(database, smtp_server, to=email)
    assert message["To"] == email
    assert "http://testserver/app/verify-email?token=" in body_text(message)


@pytest.mark.parametrize(
    ("password", "rules"),
    [
        ("Short1!", ["MIN_LENGTH"]),
        ("alllowercase1!", ["UPPERCASE"]),
        ("ALLUPPERCASE1!", ["LOWERCASE"]),
        ("NoDigitsHere!", ["DIGIT"]),
        ("NoSpecial1234", ["SPECIAL"]),
        ("Password123!", ["NOT_COMMON"]),
        ("Azertyuiop1!", ["NOT_COMMON"]),
    ],
)
async def test_each_password_rule_is_reported_and_nothing_is_created(
    client: httpx.AsyncClient, database: Database, password: str, rules: list[str]
) -> None:
    users_before = await _count(database, User)
    data = await gql(client, SIGN_UP, {"input": _input(password=password)})
    assert data["signUp"]["__typename"] == "WeakPassword"
    assert data["signUp"]["unmetRules"] == rules
    assert "10 caractères" in data["signUp"]["message"]
    assert await _count(database, User) == users_before


@pytest.mark.parametrize(
    ("overrides", "typename"),
    [
        ({"siren": "123456789"}, "InvalidSiren"),
        ({"siren": "12345"}, "InvalidSiren"),
        ({"siren": None}, "SirenRequired"),
        ({"acceptTerms": False}, "TermsNotAccepted"),
        ({"email": "not-an-email"}, "InvalidEmail"),
        ({"fullName": "x" * 201}, "InvalidInput"),
        ({"fullName": "bad\u0007name"}, "InvalidInput"),  # a NUL never gets here: 400
    ],
)
async def test_bad_sign_up_input_is_a_typed_error_and_creates_nothing(
    client: httpx.AsyncClient,
    database: Database,
    smtp_server: Any,
    overrides: dict[str, Any],
    typename: str,
) -> None:
    users_before = await _count(database, User)
    email = unique_email("refused")
    data = await gql(client, SIGN_UP, {"input": _input(**{"email": email, **overrides})})
    assert data["signUp"]["__typename"] == typename
    assert data["signUp"]["message"]
    assert await _count(database, User) == users_before
    # Organisations are invisible without a tenant (a count through RLS is always 0): check
    # what would follow a created one instead: no account, no email queued.
    assert await sent_emails(database, smtp_server, to=str(overrides.get("email", email))) == []
    again = await gql(client, SIGN_UP, {"input": _input(email=email)})
    assert again["signUp"]["__typename"] == "SignUpPayload"  # the address was still free


async def test_duplicate_email_is_refused(client: httpx.AsyncClient) -> None:
    email = unique_email("dup")
    first = await gql(client, SIGN_UP, {"input": _input(email=email)})
    again = await gql(client, SIGN_UP, {"input": _input(email=email.upper())})
    assert first["signUp"]["__typename"] == "SignUpPayload"
    assert again["signUp"]["__typename"] == "EmailTaken"


async def test_an_individual_needs_no_siren(client: httpx.AsyncClient) -> None:
    data = await gql(
        client, SIGN_UP, {"input": _input(kind="INDIVIDUAL", siren=None, organisationName=None)}
    )
    assert data["signUp"]["__typename"] == "SignUpPayload"
    assert data["signUp"]["organisation"]["name"] == "Maître Claire Lefèvre"


async def test_log_in_sets_an_httponly_cookie_and_the_viewer_appears(
    client: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_organisation(database)
    response = await client.post(
        "/graphql",
        json={"query": LOG_IN, "variables": {"email": owner.email, "password": PASSWORD}},
    )
    cookie = response.headers["set-cookie"]
    assert "probant_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    viewer = (await gql(client, VIEWER))["viewer"]
    assert viewer["role"] == "OWNER"
    assert viewer["user"]["email"] == owner.email
    assert "credits:buy" in viewer["permissions"]


async def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_organisation(database)
    wrong = await gql(client, LOG_IN, {"email": owner.email, "password": "Wrong-Password-1"})
    unknown = await gql(client, LOG_IN, {"email": unique_email(), "password": "Wrong-Password-1"})
    assert wrong["logIn"] == unknown["logIn"]
    assert wrong["logIn"]["__typename"] == "InvalidCredentials"
    assert (await gql(client, VIEWER))["viewer"] is None


async def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_organisation(database)
    for _ in range(5):
        result = await gql(client, LOG_IN, {"email": owner.email, "password": "Wrong-Password-1"})
        assert result["logIn"]["__typename"] == "InvalidCredentials"
    locked = await gql(client, LOG_IN, {"email": owner.email, "password": PASSWORD})
    assert locked["logIn"]["__typename"] == "AccountLocked"


async def test_log_out_ends_the_session(client: httpx.AsyncClient, database: Database) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    data = await gql(client, "mutation { logOut { __typename } }")
    assert data["logOut"]["__typename"] == "OkPayload"
    assert (await gql(client, VIEWER))["viewer"] is None


async def test_a_cookie_mutation_without_the_csrf_header_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    del client.headers["x-probant-csrf"]
    data = await gql(client, "mutation { logOut { __typename ... on Error { message } } }")
    # a forged cross-site request cannot end (or do anything with) the session
    assert data["logOut"]["__typename"] == "NotAllowed"
    assert (await gql(client, VIEWER))["viewer"] is not None


async def test_email_verification_link_works_once(
    client: httpx.AsyncClient, database: Database, smtp_server: Any
) -> None:
    email = unique_email("verify")
    await gql(client, SIGN_UP, {"input": _input(email=email)})
    async with database.unit_of_work() as session:
        jobs = await session.execute(
            select(func.count()).select_from(User).where(User.email == email)
        )
        assert jobs.scalar_one() == 1
    token = await _verification_token(database, smtp_server, email)
    first = await gql(
        client, "mutation($t: String!) { verifyEmail(token: $t) { __typename } }", {"t": token}
    )
    second = await gql(
        client, "mutation($t: String!) { verifyEmail(token: $t) { __typename } }", {"t": token}
    )
    assert first["verifyEmail"]["__typename"] == "OkPayload"
    assert second["verifyEmail"]["__typename"] == "InvalidToken"


async def _verification_token(database: Database, smtp_server: Any, email: str) -> str:
    """The token from the verification email received (as the person would click it)."""
    (message,) = await sent_emails(database, smtp_server, to=email)
    match = re.search(r"/app/verify-email\?token=([\w-]+)", body_text(message))
    assert match
    return match.group(1)
