"""Preferences per channel and kind, honoured at once; every notification email carries a
one-click unsubscribe link (RFC 8058) that works without logging in."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import httpx
from tests.bailiffs.helpers import REJECT, Jobs, make_office, sealed_deposit, submit
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.notifications.helpers import inbox, kinds, run_notifying
from tests.sent_emails import body_text, sent_emails

from probant_platform.db import Database

Factory = Callable[[], httpx.AsyncClient]
CHOICES = "{ notificationChoices { kind channel enabled } }"
SET = """
mutation($k: String!, $c: NotificationChannel!, $e: Boolean!) {
  setNotificationPreference(kind: $k, channel: $c, enabled: $e) { __typename
    ... on NotificationChoicePayload { choices { kind channel enabled } }
    ... on InvalidInput { field message } ... on Error { message } } }"""
DECISION_JOBS = (
    "events.dispatch",
    "notifications.fan_out",
    "bailiffs.notify_office",
    "bailiffs.review_decided",
)


def _choice(choices: list[dict[str, Any]], kind: str, channel: str) -> bool:
    [found] = [c["enabled"] for c in choices if c["kind"] == kind and c["channel"] == channel]
    return found


async def _rejected(owner: httpx.AsyncClient, clerk: httpx.AsyncClient, office: Any) -> None:
    deposit = await sealed_deposit(owner)
    submission = (await submit(owner, deposit["id"], office.node_id))["submission"]
    done = await gql(
        clerk,
        REJECT,
        {"i": {"submissionId": submission["id"], "reason": "UNUSABLE_BLURRED", "comment": ""}},
    )
    assert done["rejectDeposit"]["__typename"] == "SubmissionPayload", done


async def test_defaults_and_a_choice_take_effect_at_once(
    database: Database, client_factory: Factory
) -> None:
    firm = await make_organisation(database)
    await fund(database, firm.organisation_id, 5)
    owner = client_factory()
    await log_in(owner, firm)
    choices = (await gql(owner, CHOICES))["notificationChoices"]
    assert _choice(choices, "deposit.sealed", "INBOX") is True
    assert _choice(choices, "credits.low", "EMAIL") is True
    assert not [c for c in choices if c["kind"] == "deposit.sealed" and c["channel"] == "EMAIL"]
    assert _choice(choices, "deposit.sealed", "PUSH") is False  # push is off by default

    turned = (await gql(owner, SET, {"k": "deposit.sealed", "c": "INBOX", "e": False}))[
        "setNotificationPreference"
    ]
    assert turned["__typename"] == "NotificationChoicePayload"
    assert _choice(turned["choices"], "deposit.sealed", "INBOX") is False
    jobs = await Jobs.watch(database)
    await sealed_deposit(owner)
    await run_notifying(jobs)
    assert kinds(await inbox(owner)) == []  # off in the inbox: nothing written

    unknown = (await gql(owner, SET, {"k": "deposit.exploded", "c": "EMAIL", "e": False}))[
        "setNotificationPreference"
    ]
    assert unknown == {
        "__typename": "InvalidInput",
        "field": "kind",
        "message": "Ce type de notification n'existe pas.",
    }
    anonymous = client_factory()
    refused = await gql(anonymous, SET, {"k": "deposit.sealed", "c": "EMAIL", "e": False})
    assert refused["setNotificationPreference"]["__typename"] == "NotAuthenticated"


async def test_the_unsubscribe_link_stops_that_kind_of_email_without_logging_in(
    database: Database, client_factory: Factory, smtp_server: Any
) -> None:
    office = await make_office(database, name="Étude Désabonnement")
    firm = await make_organisation(database)
    await fund(database, firm.organisation_id, 10)
    owner, clerk = client_factory(), client_factory()
    await log_in(owner, firm)
    await log_in(clerk, office.clerk)
    office_kinds = {
        "submission.received",
        "submission.due_soon",
        "onsite.answered",
        "constat.awaiting_validation",
    }
    listed = {c["kind"] for c in (await gql(clerk, CHOICES))["notificationChoices"]}
    assert listed == office_kinds  # a clerk is offered the office's kinds only
    listed = {c["kind"] for c in (await gql(owner, CHOICES))["notificationChoices"]}
    assert "credits.low" in listed and not listed & office_kinds
    # The clerk does not want emails about new submissions (the inbox still tells them).
    off = await gql(clerk, SET, {"k": "submission.received", "c": "EMAIL", "e": False})
    assert off["setNotificationPreference"]["__typename"] == "NotificationChoicePayload"

    jobs = await Jobs.watch(database)
    await _rejected(owner, clerk, office)
    await run_notifying(jobs, DECISION_JOBS)
    assert await sent_emails(database, smtp_server, to=office.clerk.email) == []
    assert kinds(await inbox(clerk)) == ["submission.received"]

    [mail] = await sent_emails(database, smtp_server, to=firm.email)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", mail["List-Unsubscribe"])
    assert link is not None
    url = link.group(1)
    assert url.startswith("http://testserver/notifications/unsubscribe?token=")
    assert f"Ne plus les recevoir : {url}" in body_text(mail)

    stranger = client_factory()  # no session: the link alone is enough
    path = url.removeprefix("http://testserver")
    shown = await stranger.get(path)
    assert shown.status_code == 200
    assert "Ne plus recevoir d'emails « Dépôt refusé par l'étude » ?" in unescape(shown.text)
    assert (
        _choice((await gql(owner, CHOICES))["notificationChoices"], "submission.rejected", "EMAIL")
        is True
    )  # opening the page changes nothing

    tampered = path[:-2] + ("AA" if not path.endswith("AA") else "BA")
    refused = await stranger.post(tampered, content="List-Unsubscribe=One-Click")
    assert refused.status_code == 400

    # What a mail client sends for a one-click unsubscribe (RFC 8058).
    clicked = await stranger.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert clicked.status_code == 200
    assert "vous ne recevrez plus d'emails « Dépôt refusé par l'étude »" in unescape(clicked.text)
    choices = (await gql(owner, CHOICES))["notificationChoices"]
    assert _choice(choices, "submission.rejected", "EMAIL") is False
    assert _choice(choices, "submission.accepted", "EMAIL") is True  # only that kind

    await _rejected(owner, clerk, office)
    await run_notifying(jobs, DECISION_JOBS)
    assert len(await sent_emails(database, smtp_server, to=firm.email)) == 1  # no new email
    assert kinds(await inbox(owner))[:2] == ["submission.rejected", "deposit.sealed"]


async def test_a_forged_or_altered_unsubscribe_link_is_refused(
    client_factory: Factory,
) -> None:
    client = client_factory()
    for token in ("", "abc", "AAAAAAAAAAAAAAAAAAAAAA.AAAA", "x.y.z"):
        response = await client.post(
            f"/notifications/unsubscribe?token={token}",
            headers={"accept-language": "en"},
        )
        assert response.status_code == 400
        assert "This unsubscribe link is not valid." in unescape(response.text)
    page = await client.get("/notifications/unsubscribe")
    assert page.status_code == 400
    assert "Ce lien de désabonnement n'est pas valide." in unescape(page.text)
