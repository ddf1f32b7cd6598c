# ruff: noqa: E501  (GraphQL operations kept on one line)
"""From a sealed deposit to the office's signed attestation and PV, through GraphQL only."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from tests.bailiffs.helpers import (
    ACCEPT,
    CLAIM,
    IDENTITY,
    LYON,
    ORDER,
    QUEUE,
    REJECT,
    Jobs,
    choose_office,
    make_office,
    pdf_text,
    probant_verify,
    sealed_deposit,
    submit,
)
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation
from tests.integrity.proof_world import close_and_anchor
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.documents import pki
from probant_platform.documents.signing import validate_pdf_async
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.storage import store_for
from probant_platform.storage.local import key_for

ARCHIVE = "{ deposits { edges { node { reference status submission { status reason attestation { filename sha256 downloadUrl signerCertificateFingerprint } } } } } }"


async def _people(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], credits: int = 5
) -> tuple[httpx.AsyncClient, httpx.AsyncClient, object, object]:
    office = await make_office(database, name="Étude Durand", price_cents=15_000)
    await make_office(database, name="SCP Rousseau", city="Lyon", postcode="69002", at=LYON)
    firm = await make_organisation(database, name="Cabinet Lefèvre")
    if credits:
        await fund(database, firm.organisation_id, credits)
    owner, clerk = client_factory(), client_factory()
    await log_in(owner, firm)
    await log_in(clerk, office.clerk)
    await choose_office(owner, office.node_id)  # committed tests may have left nearer offices
    return owner, clerk, office, firm


async def test_capture_to_attestation_to_signed_pv(
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
    settings: Settings,
    tmp_path: Path,
) -> None:
    owner, clerk, office, firm = await _people(database, client_factory)
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(owner, photos=2)
    await jobs.run()  # the sealed items join the open batch
    batches = await close_and_anchor(database, settings)

    submitted = await submit(owner, deposit["id"])

    assert submitted["__typename"] == "SubmissionPayload", submitted
    submission = submitted["submission"]
    assert submission["status"] == "SUBMITTED" and submission["creditsSpent"] == 1
    assert submission["office"]["name"] == "Étude Durand"  # the nearest to the Paris capture
    due = datetime.fromisoformat(submission["dueAt"]) - datetime.fromisoformat(
        submission["submittedAt"]
    )
    assert due == timedelta(hours=24)
    assert (await gql(owner, "{ creditBalance }"))["creditBalance"] == 3  # seal 1 + submit 1
    archive = await gql(owner, ARCHIVE)
    assert archive["deposits"]["edges"][0]["node"]["status"] == "SUBMITTED"

    queue = (await gql(clerk, QUEUE))["reviewQueue"]["edges"]
    assert [e["node"]["id"] for e in queue] == [submission["id"]]
    seen = queue[0]["node"]
    assert seen["requesterName"] == "Cabinet Lefèvre" and not seen["overdue"]
    assert len(seen["deposit"]["items"]) == 2
    media = await clerk.get(
        seen["deposit"]["items"][0]["downloadUrl"].removeprefix("http://testserver")
    )
    assert media.status_code == 200
    checks = await gql(
        clerk,
        "query($s: ID!) { reviewFileChecks(submissionId: $s) { matches expectedSha256 actualSha256 } }",
        {"s": submission["id"]},
    )
    assert [c["matches"] for c in checks["reviewFileChecks"]] == [True, True]

    claimed = await gql(clerk, CLAIM, {"s": submission["id"]})
    assert claimed["claimSubmission"]["submission"]["status"] == "IN_REVIEW"
    assert (await gql(owner, ARCHIVE))["deposits"]["edges"][0]["node"]["status"] == "IN_REVIEW"
    accepted = await gql(clerk, ACCEPT, {"s": submission["id"]})
    assert accepted["acceptDeposit"]["submission"]["status"] == "ACCEPTED"

    await jobs.run()

    mails = await jobs.emails(to=firm.email)
    accepted_mail = next(m for m in mails if m["template"] == "deposit_accepted")
    pdf = await jobs.attachment(accepted_mail)
    verdict = await validate_pdf_async(pdf, pki.trust_roots(settings))
    assert verdict.ok, verdict.explain()
    assert verdict.signatures[0].signer_name == "Étude Durand"
    assert verdict.signatures[0].timestamped_at and verdict.signatures[0].long_term  # B-T, B-LT
    body = pdf_text(pdf)
    assert "Attestation de dépôt" in body and deposit["reference"] in body
    assert all(item["sha256"] in body.replace("\n", "") for item in seen["deposit"]["items"])
    assert "Cabinet Lefèvre" in body and "Pas encore ancré" not in body
    flat = body.replace("\n", "")
    assert any(b.root in flat for b in batches) and "Transaction" in flat
    node = (await gql(owner, ARCHIVE))["deposits"]["edges"][0]["node"]
    assert node["status"] == "ACCEPTED" and node["submission"]["status"] == "ACCEPTED"
    verdict_cli = await probant_verify(owner, deposit["id"], pdf, settings, tmp_path)
    assert verdict_cli.exit_code == 0, verdict_cli.output
    assert "the PDF is the attestation de dépôt of Étude Durand" in verdict_cli.output
    download = await owner.get(
        node["submission"]["attestation"]["downloadUrl"].removeprefix("http://testserver")
    )
    assert download.status_code == 200 and download.content == pdf

    terms = await gql(
        owner,
        "query($d: ID!) { constatTerms(depositId: $d) { priceTtcCents price office { name } requester { companyName rcsNumber } openOrder { id } } }",
        {"d": deposit["id"]},
    )
    assert terms["constatTerms"]["priceTtcCents"] == 15_000
    assert terms["constatTerms"]["requester"]["rcsNumber"] == "732829320"  # pre-filled
    ordered = await gql(
        owner,
        ORDER,
        {
            "i": {
                "depositId": deposit["id"],
                "requester": IDENTITY,
                "expose": "Litige locatif : dégât des eaux.",
            }
        },
    )
    order = ordered["orderConstat"]["order"]
    assert order["status"] == "AWAITING_PAYMENT" and order["price"] == "150,00 €"
    saved = await gql(
        owner, "{ organisation { legalIdentity { legalForm representativeLastName } } }"
    )
    assert saved["organisation"]["legalIdentity"] == {
        "legalForm": "SELARL",
        "representativeLastName": "Lefèvre",
    }
    specimen = await gql(
        owner, "query($o: ID!) { constatSpecimen(orderId: $o) { base64 size } }", {"o": order["id"]}
    )
    specimen_pdf = base64.b64decode(specimen["constatSpecimen"]["base64"])
    assert "SPECIMEN" in pdf_text(specimen_pdf)
    assert (
        await validate_pdf_async(specimen_pdf, pki.trust_roots(settings))
    ).problem == "the PDF carries no signature"
    # The clerk does not see an unpaid order.
    listed = await gql(clerk, "{ constatOrders { edges { node { id } } } }")
    assert listed["constatOrders"]["edges"] == []

    paid = await gql(
        owner,
        "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename ... on ConstatPaymentStarted { completed order { status } } } }",
        {"o": order["id"]},
    )
    assert paid["payConstatOrder"] == {
        "__typename": "ConstatPaymentStarted",
        "completed": True,
        "order": {"status": "AWAITING_VALIDATION"},
    }

    listed = await gql(
        clerk, "{ constatOrders { edges { node { id status requester { companyName } } } } }"
    )
    assert [e["node"]["status"] for e in listed["constatOrders"]["edges"]] == [
        "AWAITING_VALIDATION"
    ]
    commissaire = client_factory()
    await log_in(commissaire, office.commissaire)  # type: ignore[attr-defined]
    validated = await gql(
        commissaire,
        'mutation($o: ID!) { validateConstat(orderId: $o, correctedExpose: "Litige locatif : dégât des eaux au 3e étage.") { __typename ... on ConstatOrderPayload { order { validatedBy correctedExpose } } ... on Error { message } } }',
        {"o": order["id"]},
    )
    assert validated["validateConstat"]["__typename"] == "ConstatOrderPayload", validated
    await jobs.run()

    told = {m["template"] for m in await jobs.emails(to=office.clerk.email)}
    assert {"office_new_submission", "office_constat_paid"} <= told
    issued = await gql(
        owner,
        "query($o: ID!) { node(id: $o) { ... on ConstatOrder { status document { filename sha256 } } } }",
        {"o": order["id"]},
    )
    assert issued["node"]["status"] == "ISSUED"
    pv_mail = next(m for m in await jobs.emails(to=firm.email) if m["template"] == "constat_issued")
    pv = await jobs.attachment(pv_mail)
    pv_verdict = await validate_pdf_async(pv, pki.trust_roots(settings))
    assert pv_verdict.ok and pv_verdict.signatures[0].long_term
    assert pv_verdict.signatures[0].timestamped_at is not None
    text = pdf_text(pv)
    assert "deux mille vingt" in text and "Procès-verbal de constat de dépôt" in text
    assert "3e étage" in text and "SELARL" in text and "732 829 320" in text
    assert "SPECIMEN" not in text
    checked = await probant_verify(owner, deposit["id"], pv, settings, tmp_path)
    assert checked.exit_code == 0, checked.output
    assert "the PDF is the PV de constat of Étude Durand" in checked.output


async def test_a_rejection_states_its_reason_and_refunds_nothing(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner, clerk, _, firm = await _people(database, client_factory)
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(owner)
    submission = (await submit(owner, deposit["id"]))["submission"]
    balance = (await gql(owner, "{ creditBalance }"))["creditBalance"]

    rejected = await gql(
        clerk,
        REJECT,
        {
            "i": {
                "submissionId": submission["id"],
                "reason": "UNUSABLE_BLURRED",
                "comment": "Photo floue, refaites-la.",
            }
        },
    )
    await jobs.run()

    assert rejected["rejectDeposit"]["submission"]["status"] == "REJECTED"
    assert rejected["rejectDeposit"]["submission"]["reason"] == "UNUSABLE_BLURRED"
    assert (await gql(owner, "{ creditBalance }"))["creditBalance"] == balance
    node = (await gql(owner, ARCHIVE))["deposits"]["edges"][0]["node"]
    assert node["status"] == "REJECTED" and node["submission"]["reason"] == "UNUSABLE_BLURRED"
    assert node["submission"]["attestation"] is None
    mail = next(m for m in await jobs.emails(to=firm.email) if m["template"] == "deposit_rejected")
    assert mail["context"]["reason"] == "image inexploitable : floue"
    assert mail["context"]["refunded"] is False
    again = await gql(clerk, ACCEPT, {"s": submission["id"]})
    assert again["acceptDeposit"]["__typename"] == "AlreadyDecided"


async def test_rejecting_some_items_accepts_the_others(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner, clerk, _, firm = await _people(database, client_factory)
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(owner, photos=3)
    submission = (await submit(owner, deposit["id"]))["submission"]
    items = (await gql(clerk, QUEUE))["reviewQueue"]["edges"][0]["node"]["deposit"]["items"]

    partial = await gql(
        clerk,
        REJECT,
        {
            "i": {
                "submissionId": submission["id"],
                "reason": "TERMS_IMAGE_RIGHTS",
                "comment": "Visage d'un tiers.",
                "itemIds": [items[1]["id"]],
            }
        },
    )
    await jobs.run()

    result = partial["rejectDeposit"]["submission"]
    assert result["status"] == "PARTIALLY_ACCEPTED" and result["rejectedItemIds"] == [
        items[1]["id"]
    ]
    node = (await gql(owner, ARCHIVE))["deposits"]["edges"][0]["node"]
    assert node["status"] == "ACCEPTED" and node["submission"]["attestation"] is not None
    pdf = await jobs.attachment(
        next(m for m in await jobs.emails(to=firm.email) if m["template"] == "deposit_accepted")
    )
    body = pdf_text(pdf).replace("\n", "")
    assert "Fichiers reçus et visionnés (2)" in body and "Fichiers écartés (1)" in body
    assert "droit à l'image" in body


async def test_a_clerk_cannot_decide_what_a_colleague_claimed(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner, clerk, office, _ = await _people(database, client_factory)
    colleague = client_factory()
    await log_in(colleague, await add_member(database, office.clerk, role=Role.CLERK))
    deposit = await sealed_deposit(owner)
    submission = (await submit(owner, deposit["id"]))["submission"]
    await gql(clerk, CLAIM, {"s": submission["id"]})

    taken = await gql(colleague, CLAIM, {"s": submission["id"]})
    accepted = await gql(colleague, ACCEPT, {"s": submission["id"]})

    assert taken["claimSubmission"]["__typename"] == "ClaimedByAnother"
    assert accepted["acceptDeposit"]["__typename"] == "ClaimedByAnother"
    released = await gql(
        clerk,
        "mutation($s: ID!) { unclaimSubmission(submissionId: $s) { __typename ... on SubmissionPayload { submission { status claimedBy } } } }",
        {"s": submission["id"]},
    )
    assert released["unclaimSubmission"]["submission"] == {"status": "SUBMITTED", "claimedBy": None}
    assert (await gql(colleague, ACCEPT, {"s": submission["id"]}))["acceptDeposit"][
        "__typename"
    ] == "SubmissionPayload"


async def test_a_file_altered_in_storage_blocks_the_acceptance(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], settings: Settings
) -> None:
    owner, clerk, _, _ = await _people(database, client_factory)
    session = (await start(owner))["captureSession"]
    body = photo_jpeg(seed=secrets.randbelow(10**9), label="Altérée")  # a blob of its own
    assert (await capture_one(owner, session["id"], body)).status_code == 201
    await fill(owner, session["deposit"]["id"])
    await seal(owner, session["deposit"]["id"])
    submission = (await submit(owner, session["deposit"]["id"]))["submission"]
    store = store_for(settings)
    path = store.path_of(key_for(hashlib.sha256(body).hexdigest()))  # type: ignore[union-attr]
    path.chmod(0o640)
    path.write_bytes(body[:-10] + b"0123456789")
    try:
        checks = await gql(
            clerk,
            "query($s: ID!) { reviewFileChecks(submissionId: $s) { matches } }",
            {"s": submission["id"]},
        )
        refused = await gql(clerk, ACCEPT, {"s": submission["id"]})
    finally:
        path.unlink()

    assert checks["reviewFileChecks"] == [{"matches": False}]
    assert refused["acceptDeposit"]["__typename"] == "FileAltered"
    queue = (await gql(clerk, QUEUE))["reviewQueue"]["edges"]
    assert queue[0]["node"]["status"] == "SUBMITTED"  # nothing was decided


async def test_a_plan_that_refunds_rejections_gives_the_credit_back(
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
    operator: MemberInfo,
) -> None:
    owner, clerk, _, firm = await _people(database, client_factory, credits=0)
    ops = client_factory()
    await log_in(ops, operator)
    edited = await gql(
        ops,
        'mutation { updateCatalogueProduct(productId: "premium", refundOnRejection: true) { __typename } }',
    )
    assert edited["updateCatalogueProduct"]["__typename"] == "SubscriptionPlan", edited
    subscribed = await gql(
        owner, 'mutation { subscribe(planId: "premium") { __typename ... on Error { message } } }'
    )
    assert subscribed["subscribe"]["__typename"] == "CheckoutPayload", subscribed
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(owner)
    submission = (await submit(owner, deposit["id"]))["submission"]
    before = (await gql(owner, "{ creditBalance }"))["creditBalance"]

    await gql(
        clerk,
        REJECT,
        {"i": {"submissionId": submission["id"], "reason": "UNUSABLE_EXPOSURE", "comment": ""}},
    )
    await jobs.run()

    assert (await gql(owner, "{ creditBalance }"))["creditBalance"] == before + 1
    node = await gql(owner, "{ deposits { edges { node { submission { refunded } } } } }")
    assert node["deposits"]["edges"][0]["node"]["submission"]["refunded"] is True
    mail = next(m for m in await jobs.emails(to=firm.email) if m["template"] == "deposit_rejected")
    assert mail["context"]["refunded"] is True
