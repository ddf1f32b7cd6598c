"""Helpers that drive the capture API as the widget does."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import httpx
from tests.factories import gql

START = """
mutation($kind: CaptureKind!) {
  startCapture(kind: $kind) {
    __typename
    ... on CaptureSessionPayload { captureSession { id maxItems deposit { id reference } } }
    ... on Error { message }
  }
}"""
STAGE = """
mutation($input: StageUploadInput!) {
  stageUpload(input: $input) {
    __typename
    ... on StagedUpload { itemId uploadUrl }
    ... on ItemLimitReached { limit }
    ... on Error { message }
  }
}"""
UPDATE = """
mutation($input: UpdateDepositInput!) {
  updateDeposit(input: $input) {
    __typename ... on DepositPayload { deposit { id title } } ... on InvalidInput { field message }
    ... on Error { message }
  }
}"""
SEAL = """
mutation($input: SealDepositInput!) {
  sealDeposit(input: $input) {
    __typename
    ... on DepositPayload { deposit { reference status sealedAt items { sha256 size mediaType } } }
    ... on InsufficientCredits { needed balance }
    ... on Error { message }
  }
}"""


async def start(client: httpx.AsyncClient, kind: str = "PHOTOS") -> dict[str, Any]:
    data = await gql(client, START, {"kind": kind})
    result: dict[str, Any] = data["startCapture"]
    return result


async def stage(
    client: httpx.AsyncClient,
    session_id: str,
    body: bytes,
    content_type: str = "image/jpeg",
    sha256: str | None = None,
) -> dict[str, Any]:
    data = await gql(
        client,
        STAGE,
        {
            "input": {
                "captureSessionId": session_id,
                "sha256": sha256 or hashlib.sha256(body).hexdigest(),
                "size": len(body) or 1,
                "contentType": content_type,
                "capturedAt": datetime.now(UTC).isoformat(),
                "location": {"latitude": 48.8566, "longitude": 2.3522, "accuracyMeters": 12.0},
            }
        },
    )
    result: dict[str, Any] = data["stageUpload"]
    return result


async def put(
    client: httpx.AsyncClient, url: str, body: bytes, content_type: str = "image/jpeg"
) -> httpx.Response:
    path = url.removeprefix("http://testserver")
    return await client.put(path, content=body, headers={"content-type": content_type})


async def capture_one(
    client: httpx.AsyncClient, session_id: str, body: bytes, content_type: str = "image/jpeg"
) -> httpx.Response:
    staged = await stage(client, session_id, body, content_type)
    assert staged["__typename"] == "StagedUpload", staged
    return await put(client, staged["uploadUrl"], body, content_type)


async def fill(client: httpx.AsyncClient, deposit_id: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "depositId": deposit_id,
        "title": "Dégât des eaux, cuisine",
        "address": {
            "street": "12 rue de Rivoli",
            "postcode": "75004",
            "city": "Paris",
            "floor": "3",
        },
    }
    values.update(overrides)
    result: dict[str, Any] = (await gql(client, UPDATE, {"input": values}))["updateDeposit"]
    return result


async def seal(client: httpx.AsyncClient, deposit_id: str, credits: int = 1) -> dict[str, Any]:
    data = await gql(
        client,
        SEAL,
        {
            "input": {
                "depositId": deposit_id,
                "signature": {"fullName": "Camille Martin"},
                "confirmCredits": credits,
            }
        },
    )
    result: dict[str, Any] = data["sealDeposit"]
    return result


async def started_draft(client: httpx.AsyncClient, seed: int = 90) -> dict[str, Any]:
    """A capture session whose draft deposit exists: the first item (staged, its bytes never
    sent) creates it. Returns the session, with its `deposit`."""
    from probant_platform.evidence.media.samples import photo_jpeg

    session: dict[str, Any] = (await start(client))["captureSession"]
    staged = await stage(client, session["id"], photo_jpeg(seed=seed))
    assert staged["__typename"] == "StagedUpload", staged
    return session
