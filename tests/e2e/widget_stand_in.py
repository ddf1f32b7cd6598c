"""A stand-in for the capture API (docs/capture-api.md) and a Chromium page, for widget tests.

The evidence backend is built in parallel: until it exists, the widget's browser tests talk to
this small HTTP server, which answers exactly as the contract says (StartCapture, StageUpload,
PUT of the bytes, DeleteItem, UpdateDeposit, Quote, Seal) and records what it received.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.artifacts import artifacts_dir

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "capture-widget" / "dist"
ARTIFACTS = artifacts_dir("widget-smoke")
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


CAMERA_IS_ON = """() => {
  const video = document.querySelector('probant-capture').shadowRoot.querySelector('video');
  return !!(video && video.srcObject && video.videoWidth > 0 && !video.paused);
}"""


@dataclass
class StandIn:
    """What the stand-in platform received from the widget, and the session it hands out."""

    port: int = 0
    session: dict[str, Any] = field(default_factory=dict)
    graphql: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    staged: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[str, bytes] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    unavailable_puts: int = 0  # answer this many PUTs with 503, as a flaky network would
    corrupt_puts: set[str] = field(default_factory=set)  # items whose bytes arrive altered

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def operations(self, name: str) -> list[dict[str, Any]]:
        """The variables of every call of one GraphQL field, in order."""
        return [call["variables"] for call in self.graphql if f"{name}(" in call["query"]]


PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Intranet de démonstration</title>
<script>
  window.probantEvents = [];
  for (const name of ["probant:ready", "probant:captured", "probant:error", "probant:sealed"]) {
    document.addEventListener(name, (e) =>
      window.probantEvents.push({ type: e.type, detail: e.detail }));
  }
</script>
<script type="module" src="__MODULE__"></script>
<style>body { font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; padding: 24px; }
h1 { font-size: 1.25rem; color: #111827; }</style>
</head><body><h1>Intranet — constat de l'état des lieux</h1>
<probant-capture api-base="__ORIGIN__" token="__TOKEN__" mode="__MODE__" lang="__LANG__">
</probant-capture>
</body></html>"""


def session_for(**change: Any) -> dict[str, Any]:
    session = {
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
    return {**session, **change}


def _answer(stand_in: StandIn, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The contract's answer to one GraphQL operation (docs/capture-api.md)."""
    if "startCapture(" in query:
        payload = {"__typename": "CaptureSessionPayload", "captureSession": stand_in.session}
        return {"startCapture": payload}
    if "stageUpload(" in query:
        item_id = f"item-{len(stand_in.staged) + 1}"
        stand_in.staged[item_id] = variables["input"]
        url = f"{stand_in.origin}/upload/{item_id}"
        staged = {"itemId": item_id, "uploadUrl": url, "expiresAt": "2099-01-01T00:00:00Z"}
        return {"stageUpload": {"__typename": "StagedUpload", **staged}}
    if "deleteItem(" in query:
        stand_in.deleted.append(variables["itemId"])
        return {"deleteItem": {"__typename": "DeleteItemPayload"}}
    if "updateDeposit(" in query:
        deposit = {"id": variables["input"]["depositId"], "title": variables["input"]["title"]}
        return {"updateDeposit": {"__typename": "DepositPayload", "deposit": deposit}}
    if "depositQuote(" in query:
        quote = {"credits": 1, "rule": "PER_DEPOSIT", "description": "1 crédit par dépôt.",
                 "balance": 12}  # fmt: skip
        return {"depositQuote": quote}
    if "sealDeposit(" in query:
        items = [
            {"id": item_id, "sha256": hashlib.sha256(data).hexdigest()}
            for item_id, data in stand_in.uploaded.items()
            if item_id not in stand_in.deleted
        ]
        deposit = {
            "id": variables["input"]["depositId"],
            "reference": "PRB-2026-000042",
            "status": "SEALED",
            "sealedAt": "2026-11-22T15:00:00Z",
            "items": items,
            "certificateUrl": "/certificates/RGVwb3NpdDox.pdf",
        }
        return {"sealDeposit": {"__typename": "DepositPayload", "deposit": deposit}}
    return {}


def _handler(stand_in: StandIn, module_url: str) -> type[BaseHTTPRequestHandler]:
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
            if self.path.startswith("/?mode="):
                mode, _, lang = self.path.removeprefix("/?mode=").partition("&lang=")
                page = (
                    PAGE.replace("__MODULE__", module_url)
                    .replace("__ORIGIN__", stand_in.origin)
                    .replace("__TOKEN__", TOKEN)
                    .replace("__MODE__", mode)
                    .replace("__LANG__", lang or "fr")
                )
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            stand_in.graphql.append(body)
            stand_in.authorizations.append(self.headers.get("Authorization", ""))
            data = _answer(stand_in, body["query"], body["variables"])
            self._send(200, json.dumps({"data": data}).encode(), "application/json")

        def do_PUT(self) -> None:
            item_id = self.path.removeprefix("/upload/")
            payload = self.rfile.read(int(self.headers["Content-Length"]))
            stand_in.authorizations.append(self.headers.get("Authorization", ""))
            if stand_in.unavailable_puts > 0:
                stand_in.unavailable_puts -= 1
                return self._send(503, b"busy", "text/plain")
            if item_id in stand_in.corrupt_puts:
                payload = payload[:-1]
            stand_in.uploaded[item_id] = payload
            digest = hashlib.sha256(payload).hexdigest()
            if digest != stand_in.staged[item_id]["sha256"]:
                error = {"error": {"code": "HASH_MISMATCH", "message": "empreinte différente"}}
                return self._send(422, json.dumps(error).encode(), "application/json")
            item = {"id": item_id, "sha256": digest, "size": len(payload), "mediaType": "PHOTO"}
            self._send(201, json.dumps({"item": item}).encode(), "application/json")

    return Handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve_widget_files(dist: Path) -> Iterator[str]:
    """The platform's real /widget/v1 routes on their own origin (uvicorn on a free port)."""
    import uvicorn
    from starlette.applications import Starlette

    from probant_platform.web.middleware import RequestContextMiddleware
    from probant_platform.web.widget import widget_routes

    app = Starlette(routes=widget_routes(dist))
    app.add_middleware(RequestContextMiddleware, production=False)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", ws="none", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_stand_in(module_url: str) -> Iterator[StandIn]:
    """Serves the intranet page (its widget loaded from `module_url`) and the API's answers."""
    port = free_port()
    state = StandIn(port=port, session=session_for())
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state, module_url))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@asynccontextmanager
async def chromium_page(*, geolocation: bool = True) -> AsyncIterator[Any]:
    """A page in headless Chromium with a fake camera and, unless told, a granted location."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = await browser.new_context(
            permissions=["geolocation", "camera", "microphone"] if geolocation else [],
            geolocation={"latitude": 48.8566, "longitude": 2.3522, "accuracy": 12},
            viewport={"width": 900, "height": 900},
            locale="fr-FR",
        )
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield page
        finally:
            await browser.close()
        assert errors == [], f"script errors on the page: {errors}"


async def wait_for_event(page: Any, name: str) -> list[Any]:
    await page.wait_for_function(f"window.probantEvents.some(e => e.type === '{name}')")
    return list(
        await page.evaluate(
            f"window.probantEvents.filter(e => e.type === '{name}').map(e => e.detail)"
        )
    )


async def start_capturing(page: Any, stand_in: StandIn, mode: str) -> Any:
    """Opens the intranet page and starts the widget with the keyboard; returns the widget."""
    await page.goto(f"{stand_in.origin}/?mode={mode}")
    widget = page.locator("probant-capture")
    await widget.get_by_role("heading", name="Avant de commencer").wait_for()
    await wait_for_event(page, "probant:ready")
    await widget.get_by_role("button", name="Autoriser et commencer").focus()
    await page.keyboard.press("Enter")
    return widget
