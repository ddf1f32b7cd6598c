# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Tenancy test helpers: inviting a member and reading the activation code they were sent."""

from __future__ import annotations

from typing import Any

from tests.sent_emails import body_text, sent_emails
from tests.tenancy.isolation_world import CODE

from probant_platform.db import Database

INVITE = """mutation($e: String!, $r: Role!, $c: Int!) { inviteMember(email: $e, role: $r, credits: $c) {
  __typename ... on InvitationPayload { member { email role status } } ... on InsufficientCredits { needed balance } ... on SeatLimitReached { limit } ... on Error { message } } }"""


ACTIVATE = """mutation($c: String!, $p: String!, $t: Boolean!) { activateAccount(code: $c, password: $p, acceptTerms: $t) {
  __typename ... on LogInPayload { csrfToken } ... on WeakPassword { unmetRules } ... on Error { message } } }"""


async def activation_codes(database: Database, smtp_server: Any, email: str) -> list[str]:
    """The activation codes in the invitation emails `email` received, oldest first."""
    messages = await sent_emails(database, smtp_server, to=email)
    return [m.group(0) for m in (CODE.search(body_text(message)) for message in messages) if m]
