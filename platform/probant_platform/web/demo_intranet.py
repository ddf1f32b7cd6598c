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
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Intranet — {company}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>
  window.probantEvents = [];
  for (const name of ["probant:ready", "probant:captured", "probant:error", "probant:sealed",
                      "probant:certificate", "probant:token-expired"]) {{
    document.addEventListener(name, (e) =>
      window.probantEvents.push({{ type: e.type, detail: e.detail }}));
  }}
</script>
<script type="module" src="{platform}/widget/v1/probant-capture.js"></script>
<script src="/host.js" defer></script>
<style>body {{ font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; padding: 24px; }}
h1 {{ font-size: 1.25rem; color: #111827; }} p {{ color: #374151; }}
nav {{ display: flex; gap: 8px; flex-wrap: wrap; margin: 0 0 16px; }}
nav button {{ padding: 6px 12px; border: 1px solid #9ca3af; border-radius: 6px; background: #fff; }}
nav button[aria-pressed="true"] {{ background: #1d3a5f; color: #fff; }}</style>
</head><body>
<h1>Intranet {company} — constat de l'état des lieux</h1>
<p>Connecté en tant que {member}. Les photos et vidéos sont scellées par Probant.</p>
<nav aria-label="Type de capture">
  <button type="button" data-mode="photos">Photos</button>
  <button type="button" data-mode="video">Vidéo</button>
  <button type="button" data-mode="screen">Enregistrement d'écran</button>
</nav>
<nav aria-label="Langue du widget">
  <button type="button" data-lang="fr">Français</button>
  <button type="button" data-lang="en">English</button>
</nav>
<probant-capture api-base="{platform}" token="{token}" mode="{mode}" lang="{lang}">
</probant-capture>
</body></html>"""

# What a host page does: set the widget's `mode` and `lang` attributes, and hand it a fresh
# capture token when it asks (`tokenProvider`, see docs/widget.md).
HOST_SCRIPT = """
const widget = document.querySelector("probant-capture");
function pressed() {
  for (const b of document.querySelectorAll("[data-mode]"))
    b.setAttribute("aria-pressed", String(b.dataset.mode === widget.getAttribute("mode")));
  for (const b of document.querySelectorAll("[data-lang]"))
    b.setAttribute("aria-pressed", String(b.dataset.lang === widget.getAttribute("lang")));
}
for (const b of document.querySelectorAll("[data-mode]"))
  b.addEventListener("click", () => { widget.setAttribute("mode", b.dataset.mode); pressed(); });
for (const b of document.querySelectorAll("[data-lang]"))
  b.addEventListener("click", () => { widget.setAttribute("lang", b.dataset.lang); pressed(); });
widget.tokenProvider = async () => {
  const response = await fetch("/capture-token", { method: "POST" });
  if (!response.ok) throw new Error("no token");
  return (await response.json()).token;
};
pressed();
"""


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

    async def mint() -> httpx.Response:
        async with httpx.AsyncClient(base_url=config.platform_url, timeout=10) as client:
            return await client.post(
                "/api/v1/capture-tokens",
                json={"member_email": config.member_email, "widget_key": config.widget_key},
                headers={"authorization": f"Bearer {config.api_secret}"},
            )

    async def fresh_token(request: Request) -> Response:
        minted = await mint()
        if minted.status_code != 201:
            return JSONResponse({"error": "refused"}, status_code=502)
        return JSONResponse({"token": minted.json()["capture_token"]})

    async def host_script(request: Request) -> Response:
        return Response(HOST_SCRIPT, media_type="text/javascript")

    async def page(request: Request) -> HTMLResponse:
        minted = await mint()
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

    return Starlette(
        routes=[
            Route("/", page),
            Route("/host.js", host_script),
            Route("/capture-token", fresh_token, methods=["POST"]),
        ]
    )
