"""Uploads over the size limit are refused over HTTP with TOO_LARGE (413), and nothing is kept."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from sqlalchemy import text
from tests.evidence.capture_flow import put, stage, start
from tests.factories import log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.evidence.media.samples import photo_jpeg


def _stored_files(settings: Settings) -> set[Path]:
    media = settings.data_dir / "media"
    return {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()


async def _staged(
    database: Database, client: httpx.AsyncClient, body: bytes
) -> tuple[uuid.UUID, str]:
    """An owner logged in on `client`, with one photo staged: (organisation, upload URL)."""
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    staged = await stage(client, session["id"], body)
    assert staged["__typename"] == "StagedUpload"
    return owner.organisation_id, staged["uploadUrl"]


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    body = photo_jpeg(seed=5)
    _, url = await _staged(database, client, body)
    before = _stored_files(settings)

    response = await client.put(
        url.removeprefix("http://testserver"),
        content=body,
        headers={"content-type": "image/jpeg", "content-length": str(201 * 1024 * 1024)},
    )

    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "TOO_LARGE",
        "message": "Le fichier dépasse la taille autorisée.",
    }
    assert _stored_files(settings) == before
    assert (await put(client, url, body)).status_code == 201  # the item is still free


async def test_a_body_over_the_sessions_photo_limit_is_refused_and_not_stored(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    body = photo_jpeg(seed=6)
    organisation_id, url = await _staged(database, client, body)
    # Given a session whose photos may weigh 1 KiB (the default, 25 MiB, is slow to exceed)
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        await s.execute(text("UPDATE capture_sessions SET max_photo_bytes = 1024"))
    before = _stored_files(settings)

    response = await client.put(
        url.removeprefix("http://testserver"),
        content=body,
        headers={"content-type": "image/jpeg", "accept-language": "en"},
    )

    # (the account's language, French here, wins over Accept-Language: docs/security.md)
    assert len(body) > 1024
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "TOO_LARGE",
        "message": "Le fichier dépasse la taille autorisée.",
    }
    assert _stored_files(settings) == before
