# ruff: noqa: E501  (GraphQL operations and SQL kept on one line)
"""Deleting an account: the export is emailed first, then the person is gone."""

from __future__ import annotations

import base64
import json

import httpx
from sqlalchemy import text
from tests.evidence.capture_flow import capture_one, start
from tests.factories import LOG_IN, PASSWORD, Role, add_member, gql, log_in, make_organisation

from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg

DELETE = """mutation($p: String!, $d: Boolean!) { deleteAccount(password: $p, deleteOrganisations: $d) {
  __typename ... on Error { message } } }"""


async def _export_of(database: Database, email: str) -> dict[str, object]:
    async with database.unit_of_work() as session:
        rows = await session.execute(
            text(
                "SELECT args FROM procrastinate_jobs WHERE args->>'template' = 'account_export' AND args->>'to' = :e"
            ),
            {"e": email},
        )
        args = rows.scalar_one()
    attachment = args["attachments"][0]
    assert attachment["filename"] == "probant-export.json"
    return json.loads(base64.b64decode(attachment["data_base64"]))  # type: ignore[no-any-return]


async def test_a_member_deletes_their_account_after_receiving_the_export(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    member = await add_member(database, owner, role=Role.COLLABORATOR)
    me, other = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(me, member)
    session = (await start(me))["captureSession"]
    await capture_one(me, session["id"], photo_jpeg(seed=4))

    result = await gql(me, DELETE, {"p": PASSWORD, "d": False})

    assert result["deleteAccount"]["__typename"] == "OkPayload"
    export = await _export_of(database, member.email)
    assert export["user"]["email"] == member.email  # type: ignore[index]
    assert export["deposits"][0]["reference"] == session["deposit"]["reference"]  # type: ignore[index]
    assert (await gql(me, "{ viewer { role } }"))["viewer"] is None
    relog = await gql(other, LOG_IN, {"email": member.email, "password": PASSWORD})
    assert relog["logIn"]["__typename"] == "InvalidCredentials"


async def test_the_last_owner_must_transfer_or_delete_the_organisation(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    refused = await gql(client, DELETE, {"p": PASSWORD, "d": False})
    wrong = await gql(client, DELETE, {"p": "Wrong-Password-1", "d": True})
    assert refused["deleteAccount"]["__typename"] == "LastOwnerError"
    assert wrong["deleteAccount"]["__typename"] == "InvalidCredentials"
    assert (await gql(client, "{ viewer { role } }"))["viewer"]["role"] == "OWNER"
    done = await gql(client, DELETE, {"p": PASSWORD, "d": True})
    assert done["deleteAccount"]["__typename"] == "OkPayload"
