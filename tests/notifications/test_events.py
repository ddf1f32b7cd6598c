"""Events without a deposit decision: credits running low and a new member joining reach
the organisation's owners and admins (and not the person who joined); office events reach
the office's clerks, or only its commissaires for a paid PV awaiting validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from typing import Any

import httpx
from tests.bailiffs.helpers import (
    IDENTITY,
    ORDER,
    Jobs,
    Office,
    choose_office,
    make_office,
    sealed_deposit,
    submit,
)
from tests.bailiffs.onsite_flow import ANSWER, QUOTE, quote_input, setup_on_site
from tests.bailiffs.onsite_flow import REQUEST as ONSITE_REQUEST
from tests.factories import Role, add_member, gql, log_in, make_organisation, unique_email
from tests.ledger_helpers import fund
from tests.notifications.helpers import inbox, kinds, run_notifying
from tests.sent_emails import body_text, sent_emails
from tests.tenancy.helpers import ACTIVATE, INVITE, activation_codes

from probant_platform.db import Database, utcnow
from probant_platform.notifications.due import publish_due_soon

Factory = Callable[[], httpx.AsyncClient]
PAY_ORDER = """mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename
  ... on ConstatPaymentStarted { completed order { status } } ... on Error { message } } }"""


async def test_running_low_on_credits_tells_the_admins_once(
    database: Database, client_factory: Factory, smtp_server: Any
) -> None:
    firm = await make_organisation(database)
    await fund(database, firm.organisation_id, 4)
    admin_member = await add_member(database, firm, role=Role.ADMIN)
    owner, admin = client_factory(), client_factory()
    await log_in(owner, firm)
    await log_in(admin, admin_member)
    jobs = await Jobs.watch(database)
    await sealed_deposit(owner)  # 4 → 3: not below the threshold yet
    await sealed_deposit(owner)  # 3 → 2: below
    await sealed_deposit(owner)  # 2 → 1: still below, not told again
    await run_notifying(jobs)
    box = await inbox(admin)
    assert kinds(box) == ["credits.low"]
    node = box["notifications"]["edges"][0]["node"]
    assert node["title"] == "Crédits bientôt épuisés : il en reste 2."
    assert node["link"] == "/credits"
    assert kinds(await inbox(owner)).count("credits.low") == 1
    # By email too (on by default), once, with its one-click unsubscribe link.
    [mail] = [
        m
        for m in await sent_emails(database, smtp_server, to=admin_member.email)
        if str(make_header(decode_header(m["Subject"])))
        == "Crédits bientôt épuisés : il en reste 2."
    ]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe?token=" in mail["List-Unsubscribe"]
    assert "Voir dans Probant : http://testserver/app/credits" in body_text(mail)


async def test_an_accepted_invitation_tells_the_admins_not_the_newcomer(
    database: Database, client_factory: Factory, smtp_server: Any
) -> None:
    firm = await make_organisation(database)
    owner = client_factory()
    await log_in(owner, firm)
    email = unique_email("joiner")
    invited = await gql(owner, INVITE, {"e": email, "r": "ADMIN", "c": 0})
    assert invited["inviteMember"]["__typename"] == "InvitationPayload", invited
    code = (await activation_codes(database, smtp_server, email))[-1]
    jobs = await Jobs.watch(database)
    newcomer = client_factory()
    activated = await gql(newcomer, ACTIVATE, {"c": code, "p": "Welcome-Aboard-42", "t": True})
    assert activated["activateAccount"]["__typename"] == "LogInPayload"
    newcomer.headers["x-probant-csrf"] = activated["activateAccount"]["csrfToken"]
    await run_notifying(jobs)
    box = await inbox(owner)
    assert kinds(box) == ["invitation.accepted"]
    node = box["notifications"]["edges"][0]["node"]
    assert node["title"] == f"{email} a accepté l'invitation et rejoint l'organisation."
    assert node["link"] == "/members"
    assert kinds(await inbox(newcomer)) == []  # an admin, but it is their own joining


async def test_an_on_site_quote_tells_the_requester_and_the_answer_tells_the_clerks(
    database: Database, client_factory: Factory
) -> None:
    requester, clerk, _, office, _ = await setup_on_site(database, client_factory)
    assert isinstance(office, Office)
    jobs = await Jobs.watch(database)
    soon = (utcnow() + timedelta(days=2)).date().isoformat()
    asked = await gql(requester, ONSITE_REQUEST, {"o": office.node_id, "d": [soon]})
    request_id = asked["requestOnSiteConstat"]["request"]["id"]
    quoted = await gql(clerk, QUOTE, quote_input(request_id))
    assert quoted["quoteOnSiteConstat"]["__typename"] == "OnSiteRequestPayload", quoted
    await run_notifying(jobs)
    box = await inbox(requester)
    assert kinds(box) == ["onsite.quoted"]
    assert box["notifications"]["edges"][0]["node"]["title"] == (
        "Devis reçu pour votre demande de constat sur place."
    )

    declined = await gql(requester, ANSWER, {"r": request_id, "a": False})
    assert declined["answerOnSiteQuote"]["request"]["status"] == "DECLINED"
    await run_notifying(jobs)
    told = (await inbox(clerk))["notifications"]["edges"][0]["node"]
    assert told["kind"] == "onsite.answered"
    assert told["title"] == "Devis de constat sur place refusé par le client."
    assert told["link"] == "/office/onsite"


async def test_a_review_due_within_two_hours_tells_the_clerks_once(
    database: Database, client_factory: Factory
) -> None:
    office = await make_office(database, name="Étude Pressée")
    firm = await make_organisation(database)
    await fund(database, firm.organisation_id, 5)
    owner, clerk = client_factory(), client_factory()
    await log_in(owner, firm)
    await log_in(clerk, office.clerk)
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(owner)
    submission = (await submit(owner, deposit["id"], office.node_id))["submission"]
    due = datetime.fromisoformat(submission["dueAt"])

    await publish_due_soon(database, now=due - timedelta(hours=3))  # not yet
    await run_notifying(jobs)
    assert kinds(await inbox(clerk)) == ["submission.received"]

    await publish_due_soon(database, now=due - timedelta(minutes=90))
    await publish_due_soon(database, now=due - timedelta(minutes=80))  # the next run
    await run_notifying(jobs)
    box = await inbox(clerk)
    assert kinds(box) == ["submission.due_soon", "submission.received"]
    node = box["notifications"]["edges"][0]["node"]
    assert node["title"] == (
        f"Dépôt {deposit['reference']} : la revue doit être terminée dans moins de 2 heures."
    )
    assert node["link"].startswith("/office/review/")


async def test_a_paid_pv_order_awaits_the_commissaires_not_the_clerks(
    database: Database, client_factory: Factory
) -> None:
    office = await make_office(database, name="Étude Validation", price_cents=15_000)
    firm = await make_organisation(database)
    await fund(database, firm.organisation_id, 5)
    owner, clerk, commissaire = client_factory(), client_factory(), client_factory()
    await log_in(owner, firm)
    await log_in(clerk, office.clerk)
    await log_in(commissaire, office.commissaire)
    await choose_office(owner, office.node_id)
    deposit = await sealed_deposit(owner)
    ordered = await gql(
        owner,
        ORDER,
        {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "Dégât des eaux."}},
    )
    order = ordered["orderConstat"]["order"]
    assert order["office"]["name"] == "Étude Validation", ordered
    jobs = await Jobs.watch(database)
    await run_notifying(jobs)
    assert kinds(await inbox(commissaire)) == []  # ordered, not paid: nothing to validate yet
    paid = await gql(owner, PAY_ORDER, {"o": order["id"]})
    assert paid["payConstatOrder"]["order"]["status"] == "AWAITING_VALIDATION", paid
    await run_notifying(jobs)
    box = await inbox(commissaire)
    assert kinds(box) == ["constat.awaiting_validation"]
    node = box["notifications"]["edges"][0]["node"]
    assert node["title"] == (
        f"Procès-verbal du dépôt {deposit['reference']} payé : il attend votre validation."
    )
    assert node["link"] == "/office/constats"
    assert box["unreadNotificationCount"] == 1
    assert "constat.awaiting_validation" not in kinds(await inbox(clerk))
    assert "constat.awaiting_validation" not in kinds(await inbox(owner))
