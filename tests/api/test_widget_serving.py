"""The platform serves the built capture widget at /widget/v1/ with the right cache headers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.web.widget import default_dist_dir

MODULE = "probant-capture.0123456789ab.js"
CLASSIC = "probant-capture.ba9876543210.iife.js"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A widget build as `npm run build` leaves it: hashed files and their manifest."""
    (tmp_path / MODULE).write_text("export class ProbantCaptureElement {}\n")
    (tmp_path / CLASSIC).write_text("var ProbantCapture = {};\n")
    manifest = {"probant-capture.js": MODULE, "probant-capture.iife.js": CLASSIC}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "secret.txt").write_text("not part of the build")
    return tmp_path


async def _client(settings: Settings, database: Database, dist: Path) -> AsyncIterator[Any]:
    from probant_platform.web.app import create_app

    app = create_app(
        settings.model_copy(update={"widget_dist_dir": dist}),
        database=database,
        configure_logs=False,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def widget_client(
    settings: Settings, database: Database, dist: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(settings, database, dist):
        yield client


async def test_a_hashed_file_is_cached_for_a_year_and_immutable(
    widget_client: httpx.AsyncClient,
) -> None:
    response = await widget_client.get(f"/widget/v1/{MODULE}")
    assert response.status_code == 200
    assert response.text == "export class ProbantCaptureElement {}\n"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"


async def test_the_classic_script_is_served_the_same_way(
    widget_client: httpx.AsyncClient,
) -> None:
    response = await widget_client.get(f"/widget/v1/{CLASSIC}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_the_stable_name_serves_the_current_build_with_a_short_cache(
    widget_client: httpx.AsyncClient,
) -> None:
    response = await widget_client.get("/widget/v1/probant-capture.js")
    assert response.status_code == 200
    assert response.text == "export class ProbantCaptureElement {}\n"
    assert response.headers["cache-control"].startswith("public, max-age=300")
    assert "immutable" not in response.headers["cache-control"]


async def test_other_origins_may_load_the_module(widget_client: httpx.AsyncClient) -> None:
    # Given an intranet page on another origin importing the module (a CORS-mode fetch)
    response = await widget_client.get(
        "/widget/v1/probant-capture.js", headers={"Origin": "https://intranet.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_revalidation_with_the_same_etag_is_not_modified(
    widget_client: httpx.AsyncClient,
) -> None:
    first = await widget_client.get("/widget/v1/probant-capture.js")
    again = await widget_client.get(
        "/widget/v1/probant-capture.js", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


async def test_the_manifest_names_the_current_files(widget_client: httpx.AsyncClient) -> None:
    response = await widget_client.get("/widget/v1/manifest.json")
    assert response.status_code == 200
    assert response.json()["probant-capture.js"] == MODULE
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "name", ["secret.txt", "probant-capture.ffffffffffff.js", "..%2Fsecret.txt"]
)
async def test_only_the_files_of_the_build_are_served(
    widget_client: httpx.AsyncClient, name: str
) -> None:
    response = await widget_client.get(f"/widget/v1/{name}")
    assert response.status_code == 404


async def test_without_a_build_the_widget_path_says_how_to_build_it(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    async for client in _client(settings, database, tmp_path / "missing"):
        response = await client.get("/widget/v1/probant-capture.js")
        assert response.status_code == 404
        assert "make install" in response.text


def test_by_default_the_platform_serves_the_checkout_build() -> None:
    assert default_dist_dir() == Path(__file__).resolve().parents[2] / "capture-widget" / "dist"
