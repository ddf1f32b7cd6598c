# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Only the office's commissaire de justice validates and signs a PV; clerks prepare it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from tests.bailiffs.helpers import IDENTITY, Jobs, make_office, pdf_text, sealed_deposit
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.documents import pki
from probant_platform.documents.signing import validate_pdf_async

ORDER = "mutation($i: OrderConstatInput!) { orderConstat(input: $i) { ... on ConstatOrderPayload { order { id } } } }"
PAY = "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename } }"
PREPARE = "mutation($o: ID!, $e: String!) { prepareConstat(orderId: $o, correctedExpose: $e) { __typename ... on ConstatOrderPayload { order { status correctedExpose validatedBy } } ... on Error { message } } }"
VALIDATE = "mutation($o: ID!) { validateConstat(orderId: $o) { __typename ... on ConstatOrderPayload { order { status validatedBy } } ... on Error { message } } }"
ORDER_STATE = "query($o: ID!) { node(id: $o) { ... on ConstatOrder { status validatedBy validatedAt correctedExpose } } }"


async def _paid_order(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> tuple[object, httpx.AsyncClient, str]:
    office = await make_office(database, name="Étude Durand", price_cents=15_000)
    firm = await make_organisation(database, name="Cabinet Lefèvre")
    await fund(database, firm.organisation_id, 3)
    owner = client_factory()
    await log_in(owner, firm)
    deposit = await sealed_deposit(owner)
    ordered = await gql(
        owner,
        ORDER,
        {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "Dégât des eaux."}},
    )
    order_id = ordered["orderConstat"]["order"]["id"]
    assert (await gql(owner, PAY, {"o": order_id}))["payConstatOrder"]["__typename"] == (
        "ConstatPaymentStarted"
    )
    return office, owner, order_id


async def test_a_clerk_prepares_but_cannot_validate_a_pv(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    office, _, order_id = await _paid_order(database, client_factory)
    clerk = client_factory()
    await log_in(clerk, office.clerk)  # type: ignore[attr-defined]

    prepared = await gql(clerk, PREPARE, {"o": order_id, "e": "Dégât des eaux au 3e étage."})
    refused = await gql(clerk, VALIDATE, {"o": order_id})

    assert prepared["prepareConstat"]["order"] == {
        "status": "AWAITING_VALIDATION",
        "correctedExpose": "Dégât des eaux au 3e étage.",
        "validatedBy": None,
    }
    assert refused["validateConstat"]["__typename"] == "NotAllowed"
    assert refused["validateConstat"]["message"]
    state = (await gql(clerk, ORDER_STATE, {"o": order_id}))["node"]
    assert state["status"] == "AWAITING_VALIDATION"
    assert state["validatedBy"] is None and state["validatedAt"] is None


async def test_the_commissaire_validates_and_the_pv_names_them(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], settings: Settings
) -> None:
    office, owner, order_id = await _paid_order(database, client_factory)
    jobs = await Jobs.watch(database)
    commissaire = client_factory()
    await log_in(commissaire, office.commissaire)  # type: ignore[attr-defined]

    validated = await gql(commissaire, VALIDATE, {"o": order_id})
    await jobs.run()

    assert validated["validateConstat"]["order"] == {
        "status": "AWAITING_VALIDATION",
        "validatedBy": "Commissaire Dupont",
    }
    issued = await gql(owner, ORDER_STATE, {"o": order_id})
    assert issued["node"]["status"] == "ISSUED"
    mail = next(m for m in await jobs.emails() if m["template"] == "constat_issued")
    pv = await jobs.attachment(mail)
    verdict = await validate_pdf_async(pv, pki.trust_roots(settings))
    assert verdict.ok, verdict.explain()
    # Signed with the commissaire's certificate, and the text names them.
    assert "Commissaire Dupont" in (verdict.signatures[0].signer_name or "")
    text = pdf_text(pv).replace("\n", " ")
    assert "Maître Commissaire Dupont" in text
    assert "signé électroniquement par Maître Commissaire Dupont" in text
