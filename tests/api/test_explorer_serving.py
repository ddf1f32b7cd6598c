"""Who gets the API explorer at /graphql, and how its files are served (tests/e2e/test_graphiql.py
runs it in Chromium)."""

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
    (folder / "index.html").write_text("<!doctype html><title>Probant API explorer</title>")
    (folder / "assets" / "index-abc123.js").write_text("console.log('explorer')")
    (folder / "assets" / "codicon-1.ttf").write_bytes(b"\0font")
    (tmp_path / "secret.txt").write_text("outside the build")
    return folder


def _client(settings: Settings, database: Database, **update: Any) -> httpx.AsyncClient:
    app: Any = create_app(
        settings.model_copy(update=update), database=database, configure_logs=False
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_a_browser_gets_our_explorer_with_a_same_origin_policy(
    settings: Settings, database: Database, dist: Path
) -> None:
    async with _client(settings, database, graphiql_dist_dir=dist) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        script = await client.get("/graphiql/assets/index-abc123.js")
        font = await client.get("/graphiql/assets/codicon-1.ttf")
        missing = await client.get("/graphiql/assets/index-gone.js")
        outside = await client.get("/graphiql/index.html")
        escape = await client.get("/graphiql/assets/..%2F..%2Fsecret.txt")
        api = await client.post("/graphql", json={"query": "{ apiVersion }"})
    assert page.status_code == 200
    assert "Probant API explorer" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "https:" not in policy and "cdn" not in policy
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert font.status_code == 200
    assert missing.status_code == outside.status_code == 404
    assert "outside the build" not in escape.text
    assert api.json() == {"data": {"apiVersion": "0.1.0"}}


async def test_production_serves_no_explorer_unless_introspection_is_opened(
    settings: Settings, database: Database, dist: Path
) -> None:
    production = {"env": "production", "graphiql_dist_dir": dist}
    async with _client(settings, database, **production) as closed:
        page = await closed.get("/graphql", headers={"accept": "text/html"})
        asset = await closed.get("/graphiql/assets/index-abc123.js")
    assert page.status_code == asset.status_code == 404
    sandbox = {**production, "graphql_introspection": True}
    async with _client(settings, database, **sandbox) as opened:
        page = await opened.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Probant API explorer" in page.text
    development = {"graphql_introspection": False, "graphiql_dist_dir": dist}
    async with _client(settings, database, **development) as off:
        assert (await off.get("/graphql", headers={"accept": "text/html"})).status_code == 404


async def test_an_unbuilt_explorer_says_how_to_build_it(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    async with _client(settings, database, graphiql_dist_dir=tmp_path / "nothing") as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "make install" in page.text
