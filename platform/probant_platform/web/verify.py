"""The public verification page and its lookup API.

`/verify` lets anyone drop a file or paste a SHA-256: the browser hashes the file (WebCrypto)
and sends only the hash. `/verify/<reference>` is what certificates' QR codes point to. The
lookup answers with non-sensitive facts only (see probant_platform.integrity.public).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from probant_platform import locales, urls
from probant_platform.integrity import public, published

TEMPLATES = Path(__file__).parent / "templates"
LOOKUPS_PER_MINUTE = 30
PAGE_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'"
    ),
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
}


class SlidingWindowLimiter:
    """At most `limit` calls per `window` seconds per key, in this process's memory.

    Enough to stop a script hammering one server; behind several replicas, put a shared
    limit at the ingress too (documented in docs/verification.md).
    """

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 100_000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._calls: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        if len(self._calls) > self.max_keys:
            self._calls.clear()
        calls = self._calls.setdefault(key, deque())
        while calls and calls[0] <= now - self.window:
            calls.popleft()
        if len(calls) >= self.limit:
            return False
        calls.append(now)
        return True


def _locale(request: Request) -> str:
    lang = request.query_params.get("lang")
    if lang in ("fr", "en"):
        return lang
    return locales.choose(account=None, accept_language=request.headers.get("accept-language"))


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@lru_cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )


@dataclass(frozen=True)
class Found:
    items: list[public.PublicFacts]
    documents: list[published.PublicDocument]

    def as_json(self, locale: str) -> dict[str, Any]:
        return {
            "found": bool(self.items or self.documents),
            "items": [f.as_json(locale) for f in self.items],
            "documents": [d.as_json(locale) for d in self.documents],
        }


async def _find(request: Request, *, sha256: str | None, reference: str | None) -> Found:
    runtime = request.app.state.runtime
    async with runtime.database.unit_of_work() as session:
        if sha256 is not None:
            return Found(
                await public.by_sha256(session=session, sha256=sha256),
                await published.by_sha256(session=session, sha256=sha256),
            )
        return Found(
            await public.by_reference(session=session, reference=reference or ""),
            await published.by_reference(session=session, reference=reference or ""),
        )


def _limited(request: Request) -> Response | None:
    limiter: SlidingWindowLimiter = request.app.state.verify_limiter
    if limiter.allow(_client(request)):
        return None
    return JSONResponse(
        {"error": "too many lookups, try again in a minute"},
        status_code=429,
        headers={"retry-after": "60"},
    )


async def lookup(request: Request) -> Response:
    """`GET /api/v1/verify?sha256=…` or `?reference=…`: the sealed items that match."""
    refused = _limited(request)
    if refused is not None:
        return refused
    sha256, reference = request.query_params.get("sha256"), request.query_params.get("reference")
    if sha256 is None and reference is None:
        return JSONResponse({"error": "give sha256 or reference"}, status_code=400)
    if sha256 is not None and not public.SHA256_PATTERN.match(sha256.strip().lower()):
        return JSONResponse({"error": "sha256 must be 64 hexadecimal digits"}, status_code=400)
    locale = _locale(request)
    found = await _find(request, sha256=sha256, reference=reference)
    return JSONResponse(found.as_json(locale), headers={"cache-control": "no-store"})


def _reference_address(request: Request) -> Response | None:
    """`/verify?reference=PRB-…` (printed in QR codes before there was one URL builder) is
    sent to `/verify/PRB-…`, keeping the language."""
    reference = request.query_params.get("reference", "").strip()
    if "reference" in request.path_params or not reference:
        return None
    target = urls.verify_url("", reference)
    if "lang" in request.query_params:
        target += "?" + urlencode({"lang": request.query_params["lang"]})
    return RedirectResponse(target, status_code=302, headers={"cache-control": "no-store"})


async def page(request: Request) -> Response:
    """`GET /verify` and `GET /verify/<reference>`."""
    redirect = _reference_address(request)
    if redirect is not None:
        return redirect
    locale = _locale(request)
    reference = request.path_params.get("reference")
    found: dict[str, Any] = {"items": [], "documents": []}
    if reference is not None:
        refused = _limited(request)
        if refused is not None:
            return refused
        found = (await _find(request, sha256=None, reference=reference)).as_json(locale)
    html = (
        _environment()
        .get_template("verify.html.j2")
        .render(
            lang=locale,
            reference=reference,
            facts=found["items"],
            documents=found["documents"],
            path=request.url.path,
        )
    )
    return HTMLResponse(html, headers=PAGE_HEADERS)


async def script(request: Request) -> Response:
    body = (TEMPLATES / "verify.js").read_text(encoding="utf-8")
    return Response(
        body,
        media_type="text/javascript",
        headers={"cache-control": "public, max-age=300", "x-content-type-options": "nosniff"},
    )


def verify_routes() -> list[Route]:
    return [
        Route("/verify", page, methods=["GET"]),
        Route("/verify/verify.js", script, methods=["GET"]),
        Route("/verify/{reference}", page, methods=["GET"]),
        Route("/api/v1/verify", lookup, methods=["GET"]),
    ]
