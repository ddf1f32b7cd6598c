"""The public addresses the platform puts in emails, PDFs and redirects, built in one place.

Every link a person receives points either to a route of the web app (`/app/...`) or to the
public verification page (`/verify/<reference>`). Domain code calls these helpers with the
base URL (or the settings) instead of formatting paths itself, so a route moves in one edit.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

APP_PREFIX = "/app"


def _join(base_url: str, path: str, query: dict[str, str] | None) -> str:
    url = f"{base_url.rstrip('/')}{path}"
    if query:
        url += "?" + urlencode(query)
    return url


def app_url(base_url: str, route: str, **query: str) -> str:
    """An address inside the web app, e.g. `app_url(base, "/activate", code="…")`."""
    return _join(base_url, f"{APP_PREFIX}/{route.lstrip('/')}", query or None)


def verify_url(base_url: str, reference: str) -> str:
    """The public verification page of a deposit or document reference (what QR codes open)."""
    return _join(base_url, f"/verify/{quote(reference, safe='')}", None)
