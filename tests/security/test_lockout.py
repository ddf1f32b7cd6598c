"""Attack: get around the sign-in lockout by making the operation that counts a guess fail.

An operation that ends in an error is rolled back whole. Before the fix, the failure
counters and the failed-sign-in audit rows were written in that transaction, so one
document holding several wrong `logIn` and a failing field made guesses that were never
counted, and the guess holding the right password came back with a session cookie.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.factories import PASSWORD, gql, gql_raw, log_in, make_organisation, unique_email
from tests.security.helpers import AppFactory, ClientFactory

from probant_platform.db import Database, TenantScope
from probant_tenants import accounts, throttle
from probant_tenants.errors import AccountLocked, InvalidCredentials
from probant_tenants.models import AuditEvent

WRONG = "Wrong-Password-2026!"


def _attack_document(email: str, passwords: list[str], sign_up_email: str) -> str:
    """The issue's document: several guesses, then a sign-up whose selection fails."""
    guesses = "\n".join(
        f'g{i}: logIn(email: "{email}", password: "{p}") {{ __typename }}'
        for i, p in enumerate(passwords)
    )
    return f"""mutation {{
      {guesses}
      signUp(input: {{kind: INDIVIDUAL, email: "{sign_up_email}", password: "{PASSWORD}",
                      fullName: "Eve Attaquante", acceptTerms: true}}) {{
        ... on SignUpPayload {{
          organisation {{ members(first: 5) {{ edges {{ node {{ id }} }} }} }}
        }}
      }}
    }}"""


async def test_a_document_with_several_guesses_is_refused_and_never_sets_a_cookie(
    make_app: AppFactory, make_client: ClientFactory, database: Database
) -> None:
    # Given a victim, and an attacker whose 14 documents each carry four guesses
    victim = await make_organisation(database)
    attacker = make_client(make_app(), peer="198.51.100.14")
    for round_ in range(14):
        guesses = [WRONG] * 3 + ([PASSWORD] if round_ == 13 else [WRONG])
        # When each is sent
        response = await attacker.post(
            "/graphql",
            json={"query": _attack_document(victim.email, guesses, unique_email("eve"))},
        )
        # Then none is executed, each says why, and the right guess opens nothing
        errors = response.json()["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["TOO_MANY_AUTHENTICATION_FIELDS"]
        assert "data" not in response.json() or response.json()["data"] is None
        assert "set-cookie" not in response.headers


async def test_fragments_cannot_smuggle_a_second_guess(
    make_app: AppFactory, make_client: ClientFactory
) -> None:
    client = make_client(make_app(), peer="198.51.100.15")
    document = """
      mutation { ...Guesses }
      fragment Guesses on Mutation {
        a: logIn(email: "x@example.com", password: "a") { __typename }
        ... on Mutation { b: logIn(email: "x@example.com", password: "b") { __typename } }
      }"""
    body = await gql_raw(client, document)
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_AUTHENTICATION_FIELDS"


async def test_failed_guesses_count_even_when_the_request_is_rolled_back(
    committed_database: Database,
) -> None:
    # Given a victim on a database that really commits
    victim = await make_organisation(committed_database)

    async def guess(password: str) -> None:
        # Each guess runs in a request's unit of work that ends rolled back, as the GraphQL
        # view does when another field of the operation fails.
        async with committed_database.session() as request:
            try:
                await accounts.log_in(
                    session=request,
                    database=committed_database,
                    email=victim.email,
                    password=password,
                    organisation_id=None,
                    ip="198.51.100.16",
                    user_agent=None,
                )
            finally:
                await request.rollback()

    # When the lockout's number of wrong guesses is made, each in a rolled-back request
    for _ in range(throttle.ACCOUNT_MAX_FAILURES):
        with pytest.raises(InvalidCredentials):
            await guess(WRONG)

    # Then the account is locked, even for the right password
    with pytest.raises(AccountLocked):
        await guess(PASSWORD)
    # And every failed attempt is on the organisation's audit log
    scope = TenantScope(organisation_id=victim.organisation_id)
    async with committed_database.unit_of_work(scope) as session:
        failed = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "SIGN_IN_FAILED", AuditEvent.actor_user_id == victim.user_id
            )
        )
    assert failed == throttle.ACCOUNT_MAX_FAILURES


async def test_after_the_lockout_the_right_password_gets_no_cookie(
    make_app: AppFactory, make_client: ClientFactory, committed_database: Database
) -> None:
    # Given a victim, and an attacker who sends one wrong guess per request
    victim = await make_organisation(committed_database)
    attacker = make_client(make_app(on=committed_database), peer="198.51.100.17")
    log_in = "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { __typename } }"
    for _ in range(throttle.ACCOUNT_MAX_FAILURES):
        body = await gql_raw(attacker, log_in, {"e": victim.email, "p": WRONG})
        assert body["data"]["logIn"]["__typename"] == "InvalidCredentials"
    # When the right password comes next
    response = await attacker.post(
        "/graphql", json={"query": log_in, "variables": {"e": victim.email, "p": PASSWORD}}
    )
    # Then the account is locked and no session is opened
    assert response.json()["data"]["logIn"]["__typename"] == "AccountLocked"
    assert "set-cookie" not in response.headers


async def test_a_stolen_session_cannot_guess_the_password_through_change_password(
    make_app: AppFactory, make_client: ClientFactory, committed_database: Database
) -> None:
    # Given someone holding the victim's session cookie, but not their password (each
    # wrong guess is a typed error whose savepoint is rolled back: a real commit is needed)
    victim = await make_organisation(committed_database)
    app = make_app(on=committed_database)
    thief = make_client(app, peer="198.51.100.18")
    await log_in(thief, victim)
    change = """mutation($c: String!) { changePassword(currentPassword: $c,
      newPassword: "Taken-Over-2026!") { __typename } }"""
    # When they guess the current password as often as the lockout allows
    for _ in range(throttle.ACCOUNT_MAX_FAILURES):
        guess = await gql(thief, change, {"c": WRONG})
        assert guess["changePassword"]["__typename"] == "InvalidCredentials"
    # Then even the right one no longer works, and the account is locked for signing in too
    right = await gql(thief, change, {"c": PASSWORD})
    assert right["changePassword"]["__typename"] == "AccountLocked"
    owner = make_client(app, peer="198.51.100.19")
    log_in_again = await gql_raw(
        owner,
        "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { __typename } }",
        {"e": victim.email, "p": PASSWORD},
    )
    assert log_in_again["data"]["logIn"]["__typename"] == "AccountLocked"
