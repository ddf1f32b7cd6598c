# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Re-inviting someone voids the first code: the admin is told, and the second email says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from tests.factories import gql, log_in, make_organisation, unique_email
from tests.sent_emails import body_text, sent_emails
from tests.tenancy.isolation_world import CODE

from probant_platform.db import Database

INVITE = """mutation($e: String!) { inviteMember(email: $e, role: COLLABORATOR) {
  __typename ... on InvitationPayload { previousCodeInvalidated notice } ... on Error { message } } }"""
ACTIVATE = """mutation($c: String!) { activateAccount(code: $c, password: "Welcome-Aboard-42", acceptTerms: true) {
  __typename } }"""


async def test_a_second_invitation_tells_the_admin_and_the_invitee_the_first_code_is_void(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], smtp_server: Any
) -> None:
    owner = await make_organisation(database)
    admin = client_factory()
    await log_in(admin, owner)
    email = unique_email("twice")

    first = (await gql(admin, INVITE, {"e": email}))["inviteMember"]
    (first_mail,) = await sent_emails(database, smtp_server, to=email)
    second = (await gql(admin, INVITE, {"e": email}))["inviteMember"]

    assert first == {
        "__typename": "InvitationPayload",
        "previousCodeInvalidated": False,
        "notice": None,
    }
    assert second["previousCodeInvalidated"] is True
    assert second["notice"].startswith("Une invitation était déjà en attente pour cette adresse")
    _, second_mail = await sent_emails(database, smtp_server, to=email)
    assert "remplace la précédente" not in body_text(first_mail)
    assert "Cette invitation remplace la précédente" in body_text(second_mail)
    old_code = CODE.search(body_text(first_mail)).group(0)  # type: ignore[union-attr]
    used_old = await gql(client_factory(), ACTIVATE, {"c": old_code})
    assert used_old["activateAccount"]["__typename"] == "InvalidToken"
