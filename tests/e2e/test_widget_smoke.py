"""The built <probant-capture> loads in headless Chromium, opens its first screen and the camera.

The evidence backend is built in parallel, so this smoke test answers the widget's calls with a
tiny stand-in that follows docs/capture-api.md to the letter (StartCapture, StageUpload, PUT).
The full end-to-end tests against the real platform belong to the capture-widget issue.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "capture-widget" / "dist"
ARTIFACTS = REPO / "test-artifacts" / "widget-smoke"
CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "cap_smoke_token"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]

pytestmark = pytest.mark.e2e


@dataclass
class StandIn:
    """What the stand-in platform received from the widget."""

    port: int = 0
    graphql: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    staged: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[str, bytes] = field(default_factory=dict)


PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Intranet de démonstration</title>
<script>
  window.probantEvents = [];
  for (const name of ["probant:ready", "probant:captured", "probant:error", "probant:sealed"]) {
    document.addEventListener(name, (e) =>
      window.probantEvents.push({ type: e.type, detail: e.detail }));
  }
</script>
<script type="module" src="/widget/v1/__MODULE__"></script>
<style>body { font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; padding: 24px; }
h1 { font-size: 1.25rem; color: #111827; }</style>
</head><body><h1>Intranet — constat de l'état des lieux</h1>
<probant-capture api-base="http://127.0.0.1:__PORT__" token="__TOKEN__" mode="photos">
</probant-capture>
</body></html>"""


def _session() -> dict[str, Any]:
    return {
        "id": "Q2FwdHVyZVNlc3Npb246MQ==",
        "nonce": "n0nce",
        "kind": "PHOTOS",
        "expiresAt": "2099-01-01T00:00:00Z",
        "maxItems": 20,
        "maxVideoSeconds": 30,
        "maxPhotoBytes": 15_000_000,
        "maxVideoBytes": 200_000_000,
        "locationRequired": True,
        "deposit": {"id": "RGVwb3NpdDox"},
    }


def _handler(stand_in: StandIn, module: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/":
                page = (
                    PAGE.replace("__MODULE__", module)
                    .replace("__PORT__", str(stand_in.port))
                    .replace("__TOKEN__", TOKEN)
                )
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            name = self.path.removeprefix("/widget/v1/")
            path = DIST / name
            if self.path.startswith("/widget/v1/") and "/" not in name and path.is_file():
                return self._send(200, path.read_bytes(), "text/javascript; charset=utf-8")
            self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            stand_in.graphql.append(body)
            stand_in.authorizations.append(self.headers.get("Authorization", ""))
            if "startCapture" in body["query"]:
                data: dict[str, Any] = {
                    "startCapture": {
                        "__typename": "CaptureSessionPayload",
                        "captureSession": _session(),
                    }
                }
            elif "stageUpload" in body["query"]:
                item_id = f"item-{len(stand_in.staged) + 1}"
                stand_in.staged[item_id] = body["variables"]["input"]
                url = f"http://127.0.0.1:{stand_in.port}/upload/{item_id}"
                data = {
                    "stageUpload": {
                        "__typename": "StagedUpload",
                        "itemId": item_id,
                        "uploadUrl": url,
                        "expiresAt": "2099-01-01T00:00:00Z",
                    }
                }
            else:
                data = {}
            self._send(200, json.dumps({"data": data}).encode(), "application/json")

        def do_PUT(self) -> None:
            item_id = self.path.removeprefix("/upload/")
            payload = self.rfile.read(int(self.headers["Content-Length"]))
            stand_in.uploaded[item_id] = payload
            digest = hashlib.sha256(payload).hexdigest()
            if digest != stand_in.staged[item_id]["sha256"]:
                error = {"error": {"code": "HASH_MISMATCH", "message": "empreinte différente"}}
                return self._send(422, json.dumps(error).encode(), "application/json")
            item = {"id": item_id, "sha256": digest, "size": len(payload), "mediaType": "PHOTO"}
            self._send(201, json.dumps({"item": item}).encode(), "application/json")

    return Handler


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    manifest = DIST / "manifest.json"
    if not manifest.exists():
        pytest.fail("capture-widget/dist is missing: run `make install` to build the widget")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `apt-get install -y chromium`")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    module = json.loads(manifest.read_text())["probant-capture.js"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    state = StandIn(port=port)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state, module))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


async def test_widget_renders_opens_the_camera_and_uploads_a_hashed_photo(
    stand_in: StandIn,
) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = await browser.new_context(
            permissions=["geolocation", "camera"],
            geolocation={"latitude": 48.8566, "longitude": 2.3522, "accuracy": 12},
            viewport={"width": 900, "height": 900},
            locale="fr-FR",
        )
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        origin = f"http://127.0.0.1:{stand_in.port}"

        # Given the intranet page embedding the built module
        await page.goto(f"{origin}/")
        widget = page.locator("probant-capture")

        # Then the first screen explains the permissions, and the host page hears probant:ready
        await widget.get_by_role("heading", name="Avant de commencer").wait_for()
        await page.wait_for_function("window.probantEvents.some(e => e.type === 'probant:ready')")
        assert await widget.get_by_text("Caméra : pour prendre").is_visible()
        assert await widget.get_by_text("Position : pour dater").is_visible()
        await page.screenshot(path=str(ARTIFACTS / "1-intro.png"), full_page=True)

        # When the person starts with the keyboard only
        await widget.get_by_role("button", name="Autoriser et commencer").focus()
        await page.keyboard.press("Enter")

        # Then the fake camera's preview plays and the location is found
        await page.wait_for_function(
            """() => {
              const root = document.querySelector('probant-capture').shadowRoot;
              const video = root.querySelector('video');
              return video && video.videoWidth > 0 && !video.paused;
            }""",
            timeout=15000,
        )
        await widget.get_by_text("Position obtenue").wait_for()
        assert stand_in.authorizations[0] == f"Bearer {TOKEN}"
        assert stand_in.graphql[0]["variables"] == {"kind": "PHOTOS"}
        await page.wait_for_timeout(500)  # one more frame of the fake device, for the screenshot
        await page.screenshot(path=str(ARTIFACTS / "2-camera.png"), full_page=True)

        # When a photo is taken
        await widget.get_by_role("button", name="Prendre la photo").click()

        # Then it is hashed on the device, uploaded, and the server's hash of the bytes agrees
        await widget.get_by_text("Envoyé").wait_for(timeout=15000)
        staged = stand_in.staged["item-1"]
        assert hashlib.sha256(stand_in.uploaded["item-1"]).hexdigest() == staged["sha256"]
        assert staged["contentType"] == "image/jpeg"
        assert staged["location"]["latitude"] == pytest.approx(48.8566)
        assert staged["noLocationReason"] is None
        captured = await page.evaluate(
            "window.probantEvents.filter(e => e.type === 'probant:captured').map(e => e.detail)"
        )
        assert [event["sha256"] for event in captured] == [staged["sha256"]]
        await widget.get_by_text("1 / 20 photos").wait_for()
        await page.screenshot(path=str(ARTIFACTS / "3-photo.png"), full_page=True)

        # And the person can go on to comment it
        await widget.get_by_role("button", name="Continuer").click()
        await widget.get_by_role("heading", name="Vérifiez et commentez chaque média").wait_for()
        await widget.get_by_label("Commentaire du média 1").fill("Fissure visible sur le mur nord.")
        await page.screenshot(path=str(ARTIFACTS / "4-review.png"), full_page=True)
        assert errors == []
        await browser.close()
