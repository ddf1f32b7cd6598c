"""HTML → PDF with WeasyPrint, fetching nothing but our own assets.

A template can only reach: `data:` URIs, files under an allowed asset folder (the shared
`documents/templates/` folder and any folder a caller adds), and in-memory assets passed to
`render_pdf` as `asset:<name>` (thumbnails, QR codes). Every other URL — http(s), file paths
outside those folders, ftp — is refused and logged, so a value typed by a user that ends up
in a template can never make the server fetch anything.
"""

from __future__ import annotations

import base64
import io
import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import segno
import structlog
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = structlog.get_logger(__name__)

SHARED_TEMPLATES = Path(__file__).parent / "templates"


class FetchRefused(ValueError):
    """A template asked for a resource outside our own assets."""


class OwnAssetsFetcher(URLFetcher):
    """Serves `data:` URIs, in-memory `asset:` entries and files under allowed folders."""

    def __init__(self, *, folders: Iterable[Path], assets: Mapping[str, bytes] | None = None):
        super().__init__(allowed_protocols=("data", "file", "asset"))
        self._folders = [folder.resolve() for folder in folders]
        self._assets = dict(assets or {})

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("asset:"):
            name = url.removeprefix("asset:")
            if name not in self._assets:
                raise FetchRefused(f"unknown asset {name!r}")
            mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, self._assets[name], {"Content-Type": mime})
        if url.startswith("file:"):
            path = self._locate(Path(url.split("?")[0].removeprefix("file://")).resolve())
            if path is not None:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        log.warning("documents.fetch_refused", url=url[:200])
        raise FetchRefused("only the platform's own assets can be used in a document")

    def _locate(self, path: Path) -> Path | None:
        """`path` inside an allowed folder; a relative asset (resolved against the first
        folder) is also looked up in the others, like templates are (shared stylesheet)."""
        if any(path.is_relative_to(folder) for folder in self._folders) and path.is_file():
            return path
        if self._folders and path.is_relative_to(self._folders[0]):
            relative = path.relative_to(self._folders[0])
            for folder in self._folders[1:]:
                candidate = (folder / relative).resolve()
                if candidate.is_relative_to(folder) and candidate.is_file():
                    return candidate
        return None


class Templates:
    """A Jinja2 environment over a domain's template folder and the shared one.

    Domain templates can `{% extends "document.html.j2" %}` for the common page layout.
    """

    def __init__(self, *folders: Path):
        self.folders = [*folders, SHARED_TEMPLATES]
        self.environment = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in self.folders]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, name: str, **context: Any) -> str:
        return self.environment.get_template(name).render(**context)

    def pdf(
        self,
        name: str,
        *,
        assets: Mapping[str, bytes] | None = None,
        **context: Any,
    ) -> bytes:
        """Render template `name` with `context` and turn it into a PDF."""
        return render_pdf(self.render(name, **context), folders=self.folders, assets=assets)


def render_pdf(
    html: str,
    *,
    folders: Iterable[Path] = (SHARED_TEMPLATES,),
    assets: Mapping[str, bytes] | None = None,
) -> bytes:
    """The PDF for `html`; relative URLs resolve against the first folder."""
    folder_list = [Path(folder) for folder in folders]
    fetcher = OwnAssetsFetcher(folders=folder_list, assets=assets)
    base_url = folder_list[0].resolve().as_uri() + "/" if folder_list else None
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    out = document.write_pdf()
    assert out is not None
    return bytes(out)


def qr_code_svg(url: str) -> bytes:
    """A QR code for `url` as SVG bytes, to pass as an in-memory asset."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2)
    return buffer.getvalue()


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"
