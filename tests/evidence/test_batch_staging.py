"""`stageUploads`: several items of one capture session staged in one request, all or none."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from tests.evidence.capture_flow import put, stage, start
from tests.factories import gql, log_in, make_organisation, set_language

from probant_platform.db import Database, TenantScope
from probant_platform.evidence.capture import MAX_BATCH, MAX_PHOTO_BYTES
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.evidence.models import Deposit, EvidenceItem, ItemStatus

STAGE_MANY = """
mutation($input: StageUploadsInput!) {
  stageUploads(input: $input) {
    __typename
    ... on StagedUploads { uploads { itemId uploadUrl expiresAt } }
    ... on BatchItemRefused { index reason field }
    ... on BatchSizeRefused { limit }
    ... on Error { message }
  }
}"""


def _item(body: bytes, **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "sha256": hashlib.sha256(body).hexdigest(),
        "size": len(body),
        "contentType": "image/jpeg",
        "capturedAt": datetime.now(UTC).isoformat(),
        "location": {"latitude": 48.8566, "longitude": 2.3522, "accuracyMeters": 12.0},
    }
    item.update(overrides)
    return item


async def _stage_many(
    client: httpx.AsyncClient, session_id: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    data = await gql(
        client, STAGE_MANY, {"input": {"captureSessionId": session_id, "items": items}}
    )
    result: dict[str, Any] = data["stageUploads"]
    return result


async def _rows(database: Database, organisation_id: uuid.UUID) -> tuple[int, int]:
    """(evidence items, deposits) of the organisation."""
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        items = await session.execute(select(func.count()).select_from(EvidenceItem))
        deposits = await session.execute(select(func.count()).select_from(Deposit))
        return int(items.scalar_one()), int(deposits.scalar_one())


async def test_a_batch_of_three_is_staged_then_uploaded(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    photos = [photo_jpeg(seed=seed) for seed in (31, 32, 33)]

    staged = await _stage_many(client, session["id"], [_item(p) for p in photos])

    assert staged["__typename"] == "StagedUploads", staged
    uploads = staged["uploads"]
    assert len(uploads) == 3
    assert len({u["itemId"] for u in uploads}) == 3
    for upload, photo in zip(uploads, photos, strict=True):
        response = await put(client, upload["uploadUrl"], photo)
        assert response.status_code == 201, response.text
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        found = (await s.execute(select(EvidenceItem))).scalars().all()
    assert sorted(i.sha256 for i in found if i.sha256) == sorted(
        hashlib.sha256(p).hexdigest() for p in photos
    )
    assert {i.status for i in found} == {ItemStatus.STORED}
    assert len({i.deposit_id for i in found}) == 1


async def test_a_batch_over_the_cap_is_refused_and_stages_nothing(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    body = photo_jpeg(seed=34)

    refused = await _stage_many(client, session["id"], [_item(body)] * (MAX_BATCH + 1))

    assert refused == {
        "__typename": "BatchSizeRefused",
        "limit": MAX_BATCH,
        "message": f"Un envoi groupé compte de 1 à {MAX_BATCH} éléments : rien n'a été préparé.",
    }
    assert await _rows(database, owner.organisation_id) == (0, 0)
    empty = await _stage_many(client, session["id"], [])
    assert empty["__typename"] == "BatchSizeRefused"
    assert await _rows(database, owner.organisation_id) == (0, 0)


async def test_one_wrong_media_kind_refuses_the_whole_batch_naming_its_index(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    photos = [photo_jpeg(seed=seed) for seed in (35, 36, 37)]
    items = [_item(photos[0]), _item(photos[1]), _item(photos[2], contentType="video/webm")]

    refused = await _stage_many(client, session["id"], items)

    assert refused == {
        "__typename": "BatchItemRefused",
        "index": 2,
        "reason": "WRONG_MEDIA_KIND",
        "field": None,
        "message": "Élément n° 3 (index 2) refusé, rien n'a été préparé : "
        "Ce type de média ne correspond pas à la session de capture.",
    }
    assert await _rows(database, owner.organisation_id) == (0, 0)
    # Nothing was kept: the corrected batch stages all three.
    items[2] = _item(photos[2])
    assert (await _stage_many(client, session["id"], items))["__typename"] == "StagedUploads"
    assert await _rows(database, owner.organisation_id) == (3, 1)


async def test_a_declared_size_over_the_limit_is_refused_in_english_on_request(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await set_language(database, owner, "en")
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    # A draft already holds one item: the refused batch must leave it as it was.
    first = photo_jpeg(seed=38)
    assert (await stage(client, session["id"], first))["__typename"] == "StagedUpload"
    body = photo_jpeg(seed=39)
    items = [_item(body, size=MAX_PHOTO_BYTES + 1), _item(photo_jpeg(seed=40))]

    refused = await _stage_many(client, session["id"], items)

    assert refused == {
        "__typename": "BatchItemRefused",
        "index": 0,
        "reason": "INVALID_INPUT",
        "field": "sha256/size",
        "message": "Item no. 1 (index 0) refused, nothing was staged: "
        "The field “sha256/size” is too long or contains forbidden characters.",
    }
    assert await _rows(database, owner.organisation_id) == (1, 1)


async def test_a_batch_past_the_sessions_item_limit_names_the_first_item_over(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client, "VIDEO"))["captureSession"]  # one item per video session
    bodies = [b"\x1aE\xdf\xa3" + bytes([seed]) * 64 for seed in (1, 2)]
    items = [_item(b, contentType="video/webm") for b in bodies]

    refused = await _stage_many(client, session["id"], items)

    assert refused["__typename"] == "BatchItemRefused", refused
    assert (refused["index"], refused["reason"]) == (1, "ITEM_LIMIT_REACHED")
    assert await _rows(database, owner.organisation_id) == (0, 0)


async def test_another_tenants_capture_session_is_refused(
    database: Database, client: httpx.AsyncClient, app: Any
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    intruder = await make_organisation(database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await log_in(other, intruder)
        refused = await _stage_many(other, session["id"], [_item(photo_jpeg(seed=41))])

    assert refused == {
        "__typename": "CaptureSessionExpired",
        "message": "La session de capture a expiré. Recommencez la capture.",
    }
    assert await _rows(database, owner.organisation_id) == (0, 0)
    assert await _rows(database, intruder.organisation_id) == (0, 0)


async def test_an_anonymous_caller_is_refused(
    database: Database, client: httpx.AsyncClient, app: Any
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anonymous:
        refused = await _stage_many(anonymous, session["id"], [_item(photo_jpeg(seed=42))])

    assert refused == {"__typename": "NotAuthenticated", "message": "Veuillez vous connecter."}
    assert await _rows(database, owner.organisation_id) == (0, 0)
