"""The real widget's steps shared by the browser tests: an intranet configured with a
widget key, and signing and sealing a capture in the widget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from tests.e2e.widget_stand_in import wait_for_event
from tests.embedding.helpers import create_keys
from tests.factories import MemberInfo

from probant_platform.web.demo_intranet import IntranetConfig


async def intranet_config(
    platform_url: str, owner: MemberInfo, intranet_port: int
) -> IntranetConfig:
    async with httpx.AsyncClient(base_url=platform_url) as admin:
        keys = await create_keys(admin, owner, origins=[f"http://127.0.0.1:{intranet_port}"])
    return IntranetConfig(
        platform_url=platform_url,
        api_secret=keys.secret,
        widget_key=keys.public_key,
        member_email=owner.email,
        company="Immobilière Test",
    )


async def sign_and_seal(
    page: Any, widget: Any, artifacts: Path, title: str
) -> list[dict[str, Any]]:
    await widget.get_by_role("button", name="Continuer").click()
    await widget.get_by_role("heading", name="Vérifiez et commentez chaque média").wait_for()
    await widget.get_by_label("Commentaire du média 1").fill("Façade côté rue, fissure visible.")
    await widget.get_by_role("button", name="Continuer").click()
    await widget.get_by_label("Titre du rapport").fill(title)
    await widget.get_by_label("Rue et numéro").fill("8 quai Saint-Antoine")
    await widget.get_by_label("Code postal").fill("69002")
    await widget.get_by_label("Ville").fill("Lyon")
    await widget.get_by_role("button", name="Continuer").click()
    await widget.get_by_text("Ce dépôt coûte 1 crédit.").wait_for(timeout=15000)
    await widget.get_by_label("Nom et prénom du signataire").fill("Nadia Haddad")
    await page.screenshot(path=str(artifacts / "2-sign.png"), full_page=True)
    await widget.get_by_role("button", name="Continuer").click()
    await widget.get_by_label("Je certifie avoir capturé").check()
    await widget.get_by_role("button", name="Sceller pour 1 crédit").click()
    await widget.get_by_role("heading", name="Dépôt scellé").wait_for(timeout=20000)
    await widget.get_by_text("identique à l’empreinte calculée sur cet appareil").first.wait_for()
    assert await widget.get_by_text("différente de l’empreinte").count() == 0
    await page.screenshot(path=str(artifacts / "3-sealed.png"), full_page=True)
    return await wait_for_event(page, "probant:sealed")
