"""The platform serves the web app's build at /app/ with history fallback; `/` leads there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.web.app import create_app


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>Probant</title><div id=root>")
    (folder / "assets" / "index-abc123.js").write_text("console.log('app')")
    (tmp_path / "secret.txt").write_text("outside the build")
    return folder


def _client(settings: Settings, database: Database, dist: Path) -> httpx.AsyncClient:
    app: Any = create_app(
        settings.model_copy(update={"app_dist_dir": dist}), database=database, configure_logs=False
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_the_root_and_bare_prefix_redirect_to_the_app(
    settings: Settings, database: Database, dist: Path
) -> None:
    async with _client(settings, database, dist) as client:
        for path in ("/", "/app"):
            response = await client.get(path)
            assert response.status_code == 302
            assert response.headers["location"] == "/app/"


@pytest.mark.parametrize("path", ["/app/", "/app/login", "/app/deposits/RGVwb3NpdDox"])
async def test_every_app_route_answers_the_index_uncached(
    settings: Settings, database: Database, dist: Path, path: str
) -> None:
    async with _client(settings, database, dist) as client:
        response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<div id=root>" in response.text


async def test_hashed_assets_are_cached_forever_and_missing_ones_are_404(
    settings: Settings, database: Database, dist: Path
) -> None:
    async with _client(settings, database, dist) as client:
        asset = await client.get("/app/assets/index-abc123.js")
        missing = await client.get("/app/assets/index-gone.js")
        escape = await client.get("/app/assets/..%2F..%2Fsecret.txt")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/javascript")
    assert missing.status_code == 404
    assert "outside the build" not in escape.text


async def test_an_unbuilt_app_says_how_to_build_it(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    async with _client(settings, database, tmp_path / "nothing") as client:
        response = await client.get("/app/")
    assert response.status_code == 404
    assert "make install" in response.text
