# ruff: noqa: E501  (GraphQL operations kept on one line)
"""What `make run` promises: the demo law firm's sealed deposit is submitted, reviewed by the
demo Paris clerk, accepted with a signed attestation in the outbox, converted into a signed PV;
an on-site request is made and quoted. (Demo data committed; the path itself rolled back.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
from tests.bailiffs.helpers import ACCEPT, CLAIM, QUEUE, Jobs
from tests.factories import gql

from probant_platform.config import Settings
from probant_platform.db import Database, utcnow
from probant_platform.demo import DEMO_PASSWORD, seed_demo
from probant_platform.documents import pki
from probant_platform.documents.signing import validate_pdf_async

LOG_IN = "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { ... on LogInPayload { csrfToken } } }"


async def _log_in(client: httpx.AsyncClient, email: str) -> None:
    token = (await gql(client, LOG_IN, {"e": email, "p": DEMO_PASSWORD}))["logIn"]["csrfToken"]
    client.headers["x-probant-csrf"] = token


def _outbox(settings: Settings, to: str, subject: str) -> list[EmailMessage]:
    found = []
    for path in sorted(Path(settings.data_dir, "outbox").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == to and subject in str(message["Subject"]):
            found.append(message)  # type: ignore[arg-type]
    return found


def _pdf(message: EmailMessage) -> bytes:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "application/pdf")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


async def test_the_demo_goes_from_deposit_to_signed_pv_and_an_on_site_quote(
    settings: Settings,
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
) -> None:
    await seed_demo(settings)
    jobs = await Jobs.watch(database)
    lawyer, clerk = client_factory(), client_factory()
    await _log_in(lawyer, "avocate@cabinet-lefevre.fr")
    await _log_in(clerk, "clerc@etude-durand.fr")
    archive = await gql(lawyer, "{ deposits { edges { node { id reference status } } } }")
    deposit = next(
        e["node"] for e in archive["deposits"]["edges"] if e["node"]["status"] == "SEALED"
    )

    submitted = await gql(
        lawyer,
        "mutation($d: ID!) { submitDeposit(depositId: $d) { __typename ... on SubmissionPayload { submission { id office { name } } } } }",
        {"d": deposit["id"]},
    )
    submission = submitted["submitDeposit"]["submission"]
    assert submission["office"]["name"].startswith("Étude Durand")
    queued = (await gql(clerk, QUEUE))["reviewQueue"]["edges"]
    assert submission["id"] in [e["node"]["id"] for e in queued]
    await gql(clerk, CLAIM, {"s": submission["id"]})
    assert (await gql(clerk, ACCEPT, {"s": submission["id"]}))["acceptDeposit"]["submission"][
        "status"
    ] == "ACCEPTED"
    await jobs.run()

    mails = _outbox(settings, "avocate@cabinet-lefevre.fr", deposit["reference"])
    attestation = _pdf(next(m for m in mails if "accepté" in str(m["Subject"])))
    verdict = await validate_pdf_async(attestation, pki.trust_roots(settings))
    assert verdict.ok and verdict.signatures[0].signer_name.startswith("Étude Durand")

    terms = await gql(
        lawyer,
        "query($d: ID!) { constatTerms(depositId: $d) { requester { legalForm companyName rcsNumber rcsCity street postcode city representativeFirstName representativeLastName } } }",
        {"d": deposit["id"]},
    )
    identity = terms["constatTerms"]["requester"]  # the demo firm's, pre-filled
    ordered = await gql(
        lawyer,
        "mutation($i: OrderConstatInput!) { orderConstat(input: $i) { __typename ... on ConstatOrderPayload { order { id } } ... on Error { message } } }",
        {
            "i": {
                "depositId": deposit["id"],
                "requester": identity,
                "expose": "Fissures apparues après les travaux du voisin.",
            }
        },
    )
    order_id = ordered["orderConstat"]["order"]["id"]
    await gql(
        lawyer, "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename } }", {"o": order_id}
    )
    commissaire = client_factory()
    await _log_in(commissaire, "commissaire@etude-durand.fr")
    validated = await gql(
        commissaire,
        "mutation($o: ID!) { validateConstat(orderId: $o) { __typename } }",
        {"o": order_id},
    )
    assert validated["validateConstat"]["__typename"] == "ConstatOrderPayload"
    await jobs.run()

    pv = _pdf(
        next(
            m
            for m in _outbox(settings, "avocate@cabinet-lefevre.fr", deposit["reference"])
            if "PV de constat" in str(m["Subject"])
        )
    )
    assert (await validate_pdf_async(pv, pki.trust_roots(settings))).ok

    offices = await gql(
        lawyer,
        "{ bailiffOffices(near: {latitude: 48.86, longitude: 2.34}, first: 1) { edges { node { id name } } } }",
    )
    office_id = offices["bailiffOffices"]["edges"][0]["node"]["id"]
    asked = await gql(
        lawyer,
        'mutation($o: ID!) { requestOnSiteConstat(officeId: $o, address: {street: "15 rue de l\'Université", postcode: "75007", city: "Paris"}, description: "Constat d\'état des lieux de sortie.") { ... on OnSiteRequestPayload { request { id } } } }',
        {"o": office_id},
    )
    request_id = asked["requestOnSiteConstat"]["request"]["id"]
    quoted = await gql(
        clerk,
        "mutation($i: OnSiteQuoteInput!) { quoteOnSiteConstat(input: $i) { __typename ... on OnSiteRequestPayload { request { status quote } } } }",
        {
            "i": {
                "requestId": request_id,
                "amountTtcCents": 32_000,
                "validUntil": (utcnow() + timedelta(days=10)).isoformat(),
                "appointmentAt": (utcnow() + timedelta(days=4)).isoformat(),
            }
        },
    )
    assert quoted["quoteOnSiteConstat"]["request"] == {"status": "QUOTED", "quote": "320,00 €"}
