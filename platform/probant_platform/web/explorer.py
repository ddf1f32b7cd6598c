"""The API explorer: GraphiQL built from `graphiql/` (npm `graphiql`, bundled with Vite).

A browser's GET /graphql answers the build's index.html; its files (GraphiQL, React, the
Monaco editor and its workers) are served under /graphiql/. Nothing is fetched from a CDN:
the page's Content-Security-Policy allows this origin only. The explorer is on wherever
introspection is (development, or `PROBANT_GRAPHQL_INTROSPECTION=true`), off otherwise.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

ASSETS_PATH = "/graphiql"
IMMUTABLE = "public, max-age=31536000, immutable"
INDEX = "index.html"
# Monaco sets inline styles and runs its language services in (same-origin) module workers.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'"
)
NOT_BUILT = "The API explorer is not built: run `make install` (or `npm run build` in graphiql/)."


def default_dist_dir() -> Path:
    """`graphiql/dist` of the source checkout (where `make install` builds it)."""
    return Path(__file__).resolve().parents[3] / "graphiql" / "dist"


class ExplorerFiles:
    """The files of one build of the explorer."""

    def __init__(self, dist_dir: Path | None = None) -> None:
        self.dist_dir = (dist_dir or default_dist_dir()).resolve()

    def page(self) -> Response:
        """The explorer's page (answers a browser's GET /graphql)."""
        index = self.dist_dir / INDEX
        if not index.is_file():
            return PlainTextResponse(NOT_BUILT, status_code=404)
        return HTMLResponse(
            index.read_text(encoding="utf-8"),
            headers={
                "cache-control": "no-cache",
                "content-security-policy": CONTENT_SECURITY_POLICY,
            },
        )

    async def asset(self, request: Request) -> Response:
        found = self._file(request.path_params["path"])
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if found.suffix == ".js":
            media_type = "text/javascript; charset=utf-8"
        return FileResponse(
            found,
            media_type=media_type,
            headers={"cache-control": IMMUTABLE, "x-content-type-options": "nosniff"},
        )

    def _file(self, path: str) -> Path | None:
        if not path.startswith("assets/"):
            return None
        candidate = (self.dist_dir / path).resolve()
        # Only files inside the build folder: `..` or a symlink out of it is not served.
        if not candidate.is_relative_to(self.dist_dir) or not candidate.is_file():
            return None
        return candidate


def explorer_routes(files: ExplorerFiles | None) -> list[Route]:
    """The explorer's hashed files, when the explorer is on."""
    if files is None:
        return []
    return [Route(f"{ASSETS_PATH}/{{path:path}}", files.asset, methods=["GET", "HEAD"])]
