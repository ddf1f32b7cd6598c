"""Serves the built capture widget: hashed files cached forever, stable names briefly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

WIDGET_PATH = "/widget/v1"
IMMUTABLE = "public, max-age=31536000, immutable"
# A stable name must pick up a new release soon after a deploy, yet not cost a request per page.
SHORT_LIVED = "public, max-age=300, stale-while-revalidate=60"
MANIFEST = "manifest.json"

# The widget is public code embedded by other origins: module scripts are fetched in CORS mode.
PUBLIC_HEADERS = {
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
    "x-content-type-options": "nosniff",
}


def default_dist_dir() -> Path:
    """`capture-widget/dist` of the source checkout (where `make install` builds it)."""
    return Path(__file__).resolve().parents[3] / "capture-widget" / "dist"


@dataclass(frozen=True)
class _Build:
    stamp: float
    stable: dict[str, str]  # stable name -> hashed name


class WidgetFiles:
    """The files of one widget build, as listed by its `manifest.json`."""

    def __init__(self, dist_dir: Path) -> None:
        self.dist_dir = dist_dir
        self._build: _Build | None = None

    def stable_names(self) -> dict[str, str]:
        """Stable name → content-hashed name; empty when the widget is not built."""
        manifest = self.dist_dir / MANIFEST
        try:
            stamp = manifest.stat().st_mtime
        except FileNotFoundError:
            return {}
        if self._build is None or self._build.stamp != stamp:
            names = json.loads(manifest.read_text())
            stable = {k: v for k, v in names.items() if isinstance(v, str) and _is_plain(v)}
            self._build = _Build(stamp=stamp, stable=stable)
        return self._build.stable

    async def serve(self, request: Request) -> Response:
        """GET/HEAD `/widget/v1/{name}`: a hashed file, a stable name, or the manifest."""
        name = request.path_params["name"]
        stable = self.stable_names()
        if not stable:
            return PlainTextResponse(
                "The capture widget is not built: run `make install`.", status_code=404
            )
        if name in stable:
            return self._file(request, stable[name], SHORT_LIVED)
        if name in stable.values():
            return self._file(request, name, IMMUTABLE)
        if name == MANIFEST:
            return self._file(request, MANIFEST, "no-cache", "application/json")
        return PlainTextResponse("Not found", status_code=404)

    def _file(
        self,
        request: Request,
        name: str,
        cache: str,
        media_type: str = "text/javascript; charset=utf-8",
    ) -> Response:
        path = self.dist_dir / name
        if not path.is_file():
            return PlainTextResponse("Not found", status_code=404)
        stat = path.stat()
        etag = f'"{name}-{stat.st_size}-{int(stat.st_mtime)}"'
        headers = {**PUBLIC_HEADERS, "cache-control": cache, "etag": etag}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        body = b"" if request.method == "HEAD" else path.read_bytes()
        response = Response(body, media_type=media_type, headers=headers)
        if request.method == "HEAD":
            response.headers["content-length"] = str(stat.st_size)
        return response


def _is_plain(name: str) -> bool:
    # Only bare file names from the manifest are ever joined to the folder: no traversal.
    return "/" not in name and "\\" not in name and not name.startswith(".")


def widget_routes(dist_dir: Path | None = None) -> list[Route]:
    """The routes serving `<probant-capture>` under /widget/v1/."""
    files = WidgetFiles(dist_dir or default_dist_dir())
    return [Route(f"{WIDGET_PATH}/{{name}}", files.serve, methods=["GET", "HEAD"])]
