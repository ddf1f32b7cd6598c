# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Re-inviting someone voids the first code: the admin is told, and the second email says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from tests.factories import gql, log_in, make_organisation, unique_email

from probant_platform.db import Database
from probant_platform.notifications.templates import render_email

INVITE = """mutation($e: String!) { inviteMember(email: $e, role: COLLABORATOR) {
  __typename ... on InvitationPayload { previousCodeInvalidated notice } ... on Error { message } } }"""
ACTIVATE = """mutation($c: String!) { activateAccount(code: $c, password: "Welcome-Aboard-42", acceptTerms: true) {
  __typename } }"""


async def _invitation_emails(database: Database, email: str) -> list[dict[str, Any]]:
    async with database.unit_of_work() as session:
        rows = await session.execute(
            text(
                "SELECT args FROM procrastinate_jobs WHERE args->>'template' = 'invitation' "
                "AND args->>'to' = :e ORDER BY id"
            ),
            {"e": email},
        )
        return list(rows.scalars())


def _text(job: dict[str, Any]) -> str:
    message = render_email(
        "invitation",
        to=job["to"],
        sender="p@example.com",
        locale=job["locale"],
        context=job["context"],
    )
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


async def test_a_second_invitation_tells_the_admin_and_the_invitee_the_first_code_is_void(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner = await make_organisation(database)
    admin = client_factory()
    await log_in(admin, owner)
    email = unique_email("twice")

    first = (await gql(admin, INVITE, {"e": email}))["inviteMember"]
    second = (await gql(admin, INVITE, {"e": email}))["inviteMember"]

    assert first == {
        "__typename": "InvitationPayload",
        "previousCodeInvalidated": False,
        "notice": None,
    }
    assert second["previousCodeInvalidated"] is True
    assert second["notice"].startswith("Une invitation était déjà en attente pour cette adresse")
    first_mail, second_mail = await _invitation_emails(database, email)
    assert "remplace la précédente" not in _text(first_mail)
    assert "Cette invitation remplace la précédente" in _text(second_mail)
    old_code = first_mail["context"]["code"]
    used_old = await gql(client_factory(), ACTIVATE, {"c": old_code})
    assert used_old["activateAccount"]["__typename"] == "InvalidToken"
