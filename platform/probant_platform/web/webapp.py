"""Serves the built web application (`admin-ui/dist`) at /app/, with history fallback.

Hashed assets under /app/assets/ are cached forever; any other path under /app/ that is not
a file of the build answers the app's index.html (never cached), so the client-side router
owns the URL. `/` sends people to the app.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

APP_PATH = "/app"
IMMUTABLE = "public, max-age=31536000, immutable"
INDEX = "index.html"
# The app loads only its own bundle and the widget; media come through same-origin or signed
# (possibly S3) links; Mantine sets inline style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; media-src 'self' blob: https:; "
    "connect-src 'self' https:; frame-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)


def default_dist_dir() -> Path:
    """`admin-ui/dist` of the source checkout (where `make install` builds it)."""
    return Path(__file__).resolve().parents[3] / "admin-ui" / "dist"


class WebAppFiles:
    """The files of one build of the web app."""

    def __init__(self, dist_dir: Path) -> None:
        self.dist_dir = dist_dir.resolve()

    async def serve(self, request: Request) -> Response:
        index = self.dist_dir / INDEX
        if not index.is_file():
            return PlainTextResponse("The web app is not built: run `make install`.", 404)
        found = self._file(request.path_params.get("path", ""))
        if found is not None:
            cache = IMMUTABLE if found.parent.name == "assets" else "no-cache"
            media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return FileResponse(found, media_type=media_type, headers={"cache-control": cache})
        if request.path_params.get("path", "").startswith("assets/"):
            return PlainTextResponse("Not found", 404)
        return FileResponse(
            index,
            media_type="text/html; charset=utf-8",
            headers={
                "cache-control": "no-cache",
                "content-security-policy": CONTENT_SECURITY_POLICY,
            },
        )

    def _file(self, path: str) -> Path | None:
        if not path or path.endswith("/") or path == INDEX:
            return None
        candidate = (self.dist_dir / path).resolve()
        # Only files inside the build folder: `..` or a symlink out of it is not served.
        if not candidate.is_relative_to(self.dist_dir) or not candidate.is_file():
            return None
        return candidate


async def _to_app(request: Request) -> Response:
    return RedirectResponse(f"{APP_PATH}/", status_code=302)


def webapp_routes(dist_dir: Path | None = None) -> list[Route]:
    """`/` and `/app` redirect to `/app/`; `/app/…` serves the build or its index.html."""
    files = WebAppFiles(dist_dir or default_dist_dir())
    return [
        Route("/", _to_app, methods=["GET", "HEAD"]),
        Route(APP_PATH, _to_app, methods=["GET", "HEAD"]),
        Route(f"{APP_PATH}/{{path:path}}", files.serve, methods=["GET", "HEAD"]),
    ]
