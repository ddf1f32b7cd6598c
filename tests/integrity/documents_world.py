# ruff: noqa: E501  (GraphQL operations kept on one line)
"""A sealed, anchored deposit accepted by an office: its certified report and attestation
as the firm downloads them."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from tests.bailiffs.helpers import Jobs, make_office, submit
from tests.factories import gql, log_in
from tests.integrity.helpers import SealedDeposit, sealed_deposit
from tests.integrity.proof_world import close_and_anchor

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_tenants.models import User

ACCEPT = "mutation($s: ID!) { acceptDeposit(submissionId: $s) { __typename ... on SubmissionPayload { submission { status } } ... on Error { message } } }"
LINKS = "query($id: ID!) { node(id: $id) { ... on Deposit { certificateUrl exportUrl submission { attestation { downloadUrl sha256 } } } } }"


@dataclass
class IssuedDocuments:
    sealed: SealedDeposit
    office_name: str
    report: bytes
    attestation: bytes
    export_url: str


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


async def issued_documents(
    database: Database,
    owner: httpx.AsyncClient,
    clerk: httpx.AsyncClient,
    settings: Settings,
    *,
    office_name: str = "Étude Durand",
    locale: str = "fr",
    author_name: str = "Camille Martin",
) -> IssuedDocuments:
    """Given a firm's deposit sealed (in `locale`, signed "Camille Martin" by the account of
    `author_name`) and anchored, submitted to `office_name` and accepted, with every job run:
    the report and the attestation downloaded through their links."""
    office = await make_office(database, name=office_name)
    await log_in(clerk, office.clerk)
    jobs = await Jobs.watch(database)
    sealed = await sealed_deposit(database, owner, photos=1, locale=locale)
    async with database.unit_of_work(TenantScope(user_id=sealed.owner.user_id)) as session:
        user = await session.get(User, sealed.owner.user_id)
        assert user is not None
        user.full_name = author_name
    await close_and_anchor(database, settings)
    await jobs.run()  # the certified report
    submitted = await submit(owner, sealed.node_id, office.node_id)
    assert submitted["__typename"] == "SubmissionPayload", submitted
    accepted = await gql(clerk, ACCEPT, {"s": submitted["submission"]["id"]})
    assert accepted["acceptDeposit"]["__typename"] == "SubmissionPayload", accepted
    await jobs.run()  # the attestation
    links = (await gql(owner, LINKS, {"id": sealed.node_id}))["node"]
    report = await owner.get(_path(links["certificateUrl"]))
    attestation = await owner.get(_path(links["submission"]["attestation"]["downloadUrl"]))
    assert report.status_code == attestation.status_code == 200
    return IssuedDocuments(
        sealed, office_name, report.content, attestation.content, _path(links["exportUrl"])
    )
