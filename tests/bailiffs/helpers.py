# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Offices, clerks, submitted deposits and a job runner for the bailiff tests."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import Result
from pypdf import PdfReader
from sqlalchemy import text
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import MemberInfo, Role, add_member, gql, make_organisation, unique_email
from typer.testing import CliRunner

from probant_platform import runtime
from probant_platform.bailiffs import directory
from probant_platform.bailiffs.models import OfficeDocument
from probant_platform.cli import app as cli_app
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.documents import pki
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.jobs import job_app
from probant_platform.storage import store_for
from probant_tenants.models import Organisation, OrganisationKind
from probant_tenants.operators import register_operators

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)


@dataclass(frozen=True)
class Office:
    office_id: uuid.UUID
    clerk: MemberInfo
    name: str
    commissaire: MemberInfo

    @property
    def node_id(self) -> str:
        return base64.b64encode(f"BailiffOffice:{self.office_id}".encode()).decode()


async def make_office(
    database: Database,
    *,
    name: str = "Étude Martin",
    city: str = "Paris",
    postcode: str = "75001",
    at: tuple[float, float] = PARIS,
    accepts_deposits: bool = True,
    radius_km: int = 50,
    price_cents: int | None = None,
) -> Office:
    """A bailiff office in the directory, with one active clerk and its commissaire de
    justice (no owner: offices are created by operators)."""
    office_id = uuid.uuid4()
    scope = TenantScope(organisation_id=office_id, office_id=office_id)
    async with database.unit_of_work(scope) as session:
        office = Organisation(
            id=office_id,
            kind=OrganisationKind.BAILIFF_OFFICE,
            name=name,
            street="1 place du Palais",
            postcode=postcode,
            city=city,
            siren="542107651",
            company_name=name,
        )
        session.add(office)
        await session.flush()
        await directory.register_office(
            session=session,
            office=office,
            settings=directory.OfficeSettings(
                latitude=at[0],
                longitude=at[1],
                service_radius_km=radius_km,
                accepts_deposits=accepts_deposits,
                constat_price_ttc_cents=price_cents,
            ),
        )
    holder = MemberInfo(uuid.uuid4(), office_id, uuid.uuid4(), "", "", Role.CLERK)
    clerk = await add_member(database, holder, role=Role.CLERK)
    commissaire = await add_member(database, holder, role=Role.COMMISSAIRE)
    return Office(office_id, clerk, name, commissaire)


async def sealed_deposit(client: httpx.AsyncClient, photos: int = 1) -> dict[str, Any]:
    """A sealed deposit captured through the API (captured in central Paris)."""
    session = (await start(client))["captureSession"]
    items = []
    for seed in range(photos):
        response = await capture_one(client, session["id"], photo_jpeg(seed=seed + 10))
        assert response.status_code in (200, 201), response.text
        items.append(response.json()["item"]["id"])
    await fill(client, session["deposit"]["id"])
    sealed = await seal(client, session["deposit"]["id"])
    assert sealed["__typename"] == "DepositPayload", sealed
    return {"id": session["deposit"]["id"], "items": items, **sealed["deposit"]}


SUBMIT = """
mutation($d: ID!) {
  submitDeposit(depositId: $d) {
    __typename
    ... on SubmissionPayload { submission { id status dueAt submittedAt creditsSpent
      office { name } deposit { status } } }
    ... on InsufficientCredits { needed balance }
    ... on Error { message }
  }
}"""


async def choose_office(client: httpx.AsyncClient, office_id: str) -> None:
    """Make `office_id` the organisation's usual office (committed tests may have left
    nearer offices behind, so a test that needs one office names it)."""
    chosen = await gql(
        client,
        "mutation($o: ID) { chooseBailiffOffice(choice: PREFERRED, officeId: $o) { __typename } }",
        {"o": office_id},
    )
    assert chosen["chooseBailiffOffice"]["__typename"] == "OfficeChosen", chosen


async def submit(
    client: httpx.AsyncClient, deposit_id: str, office_id: str | None = None
) -> dict[str, Any]:
    """Submit to the organisation's office (to `office_id`, chosen first, when given)."""
    if office_id is not None:
        await choose_office(client, office_id)
    result: dict[str, Any] = (await gql(client, SUBMIT, {"d": deposit_id}))["submitDeposit"]
    return result


class Jobs:
    """Runs the jobs deferred so far, in the test's transaction, the way the worker would."""

    def __init__(self, database: Database, after_id: int):
        self.database = database
        self.after_id = after_id
        self.done: set[int] = set()

    @classmethod
    async def watch(cls, database: Database) -> Jobs:
        """Only jobs deferred from now on (committed tests may have left others)."""
        async with database.unit_of_work() as session:
            last = await session.execute(
                text("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
            )
            return cls(database, int(last.scalar_one()))

    async def pending(self, name: str | None = None) -> list[tuple[int, str, dict[str, Any]]]:
        async with self.database.unit_of_work() as session:
            rows = (
                await session.execute(
                    text(
                        "SELECT id, task_name, args FROM procrastinate_jobs "
                        "WHERE status = 'todo' AND id > :after ORDER BY id"
                    ),
                    {"after": self.after_id},
                )
            ).all()
        return [
            (row.id, row.task_name, row.args)
            for row in rows
            if row.id not in self.done and (name is None or row.task_name == name)
        ]

    async def run(
        self, *, skip: tuple[str, ...] = ("evidence.make_preview",)
    ) -> list[tuple[str, dict[str, Any]]]:
        """Run every pending job (and those they defer) once; return what ran."""
        ran = []
        while batch := [job for job in await self.pending() if job[1] not in skip]:
            for job_id, name, args in batch:
                self.done.add(job_id)
                await job_app.tasks[name].func(**args)
                ran.append((name, args))
        return ran

    async def emails(self, to: str | None = None) -> list[dict[str, Any]]:
        """Emails deferred (sent or not), optionally to one address."""
        async with self.database.unit_of_work() as session:
            rows = (
                await session.execute(
                    text(
                        "SELECT args FROM procrastinate_jobs "
                        "WHERE task_name IN ('notifications.send_email', "
                        "'bailiffs.email_document') AND id > :after ORDER BY id"
                    ),
                    {"after": self.after_id},
                )
            ).all()
        return [row.args for row in rows if to is None or row.args["to"] == to]

    async def attachment(self, email: dict[str, Any]) -> bytes:
        """The signed PDF an email carries (read from storage, as the sending job does)."""
        scope = TenantScope(organisation_id=uuid.UUID(email["organisation_id"]))
        async with self.database.unit_of_work(scope) as session:
            document = await session.get(OfficeDocument, uuid.UUID(email["document_id"]))
        assert document is not None
        store = store_for(runtime.current().settings)
        return b"".join([chunk async for chunk in store.open_stream(document.blob_key)])


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


QUEUE = """
query($f: ReviewQueueFilter) { reviewQueue(filter: $f) { edges { node {
  id status overdue dueAt requesterName authorName claimedBy
  deposit { reference title status items { id sha256 size downloadUrl } }
} } } }"""


ACCEPT = "mutation($s: ID!) { acceptDeposit(submissionId: $s) { __typename ... on SubmissionPayload { submission { status decidedBy } } ... on Error { message } } }"


CLAIM = "mutation($s: ID!) { claimSubmission(submissionId: $s) { __typename ... on SubmissionPayload { submission { status claimedBy } } ... on ClaimedByAnother { claimedBy } ... on Error { message } } }"


IDENTITY = {
    "legalForm": "SELARL",
    "companyName": "Cabinet Lefèvre Avocats",
    "rcsNumber": "732 829 320",
    "rcsCity": "Paris",
    "street": "10 rue de la Paix",
    "postcode": "75002",
    "city": "Paris",
    "representativeFirstName": "Claire",
    "representativeLastName": "Lefèvre",
}


ORDER = "mutation($i: OrderConstatInput!) { orderConstat(input: $i) { __typename ... on ConstatOrderPayload { order { id status priceTtcCents price requester { rcsNumber companyName } office { name } } } ... on LegalIdentityIncomplete { missingFields } ... on Error { message } } }"


async def probant_verify(
    client: httpx.AsyncClient, deposit_id: str, pdf: bytes, settings: Settings, folder: Path
) -> Result:
    """`probant verify` (offline) on the deposit's files, its proof bundle and `pdf`."""
    found = await gql(
        client,
        "query($d: ID!) { node(id: $d) { ... on Deposit { proofBundle } } }",
        {"d": deposit_id},
    )
    (folder / "bundle.json").write_text(json.dumps(found["node"]["proofBundle"]))
    (folder / "document.pdf").write_bytes(pdf)
    (folder / "roots.pem").write_bytes(pki.trust_roots_pem(settings))
    files = []
    for seed in (10, 11):  # the photos `sealed_deposit` captured
        path = folder / f"photo-{seed}.jpg"
        path.write_bytes(photo_jpeg(seed=seed))
        files.append(str(path))
    args = ["verify", *files, "--bundle", str(folder / "bundle.json"), "--offline"]
    args += ["--pdf", str(folder / "document.pdf"), "--ca", str(folder / "roots.pem")]
    return await asyncio.to_thread(CliRunner().invoke, cli_app, args)


REJECT = "mutation($i: RejectDepositInput!) { rejectDeposit(input: $i) { __typename ... on SubmissionPayload { submission { status reason comment rejectedItemIds } } ... on Error { message } } }"


@pytest.fixture
async def operator(app_url: str, owner_url: str) -> AsyncIterator[MemberInfo]:
    """A platform operator, committed (only the schema owner may register operators)."""
    committed = Database(app_url, pool_size=1)
    try:
        platform = await make_organisation(
            committed, kind=OrganisationKind.PLATFORM, email=unique_email("platform")
        )
        member = await add_member(
            committed, platform, role=Role.OPERATOR, email=unique_email("ops")
        )
    finally:
        await committed.dispose()
    register_operators(owner_url, [member.user_id])
    yield member
