"""A sample company intranet on its own origin, embedding the capture widget (`make run`).

Its "backend" does what a tenant's backend does: with the company's secret API key it asks
Probant for a short-lived capture token for the logged-in employee, and hands the token to
the page. Configuration lives in `<data>/demo-intranet.json`, written by `probant demo`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Intranet — {company}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>
  window.probantEvents = [];
  for (const name of ["probant:ready", "probant:captured", "probant:error", "probant:sealed"]) {{
    document.addEventListener(name, (e) =>
      window.probantEvents.push({{ type: e.type, detail: e.detail }}));
  }}
</script>
<script type="module" src="{platform}/widget/v1/probant-capture.js"></script>
<style>body {{ font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; padding: 24px; }}
h1 {{ font-size: 1.25rem; color: #111827; }} p {{ color: #374151; }}</style>
</head><body>
<h1>Intranet {company} — constat de l'état des lieux</h1>
<p>Connecté en tant que {member}. Les photos et vidéos sont scellées par Probant.</p>
<probant-capture api-base="{platform}" token="{token}" mode="{mode}" lang="{lang}">
</probant-capture>
</body></html>"""


@dataclass(frozen=True)
class IntranetConfig:
    platform_url: str
    api_secret: str
    widget_key: str
    member_email: str
    company: str

    @classmethod
    def load(cls, path: Path) -> IntranetConfig:
        return cls(**json.loads(path.read_text()))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__))
        path.chmod(0o600)


def create_intranet_app(config: IntranetConfig) -> Starlette:
    """The intranet: one page whose server mints a capture token for its employee."""

    async def page(request: Request) -> HTMLResponse:
        async with httpx.AsyncClient(base_url=config.platform_url, timeout=10) as client:
            minted = await client.post(
                "/api/v1/capture-tokens",
                json={"member_email": config.member_email, "widget_key": config.widget_key},
                headers={"authorization": f"Bearer {config.api_secret}"},
            )
        if minted.status_code != 201:
            return HTMLResponse(
                f"<p>Probant a refusé le jeton : {html.escape(minted.text)}</p>", 502
            )
        mode = request.query_params.get("mode", "photos")
        lang = request.query_params.get("lang", "fr")
        return HTMLResponse(
            PAGE.format(
                company=html.escape(config.company),
                member=html.escape(config.member_email),
                platform=html.escape(config.platform_url),
                token=html.escape(minted.json()["capture_token"]),
                mode=html.escape(mode if mode in ("photos", "video", "screen") else "photos"),
                lang="en" if lang == "en" else "fr",
            )
        )

    return Starlette(routes=[Route("/", page)])
