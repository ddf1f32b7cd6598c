"""The real widget, on a company intranet (another origin), against the real platform.

Given a company whose admin created a widget key and a secret API key, the intranet's backend
mints a capture token; a person captures in headless Chromium (fake camera, granted location),
signs and seals. The deposit exists, its hashes are the ones the widget showed, and the
credit was debited.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from tests.artifacts import artifacts_dir
from tests.e2e.live import live_platform, serve
from tests.e2e.widget_flow import intranet_config, sign_and_seal
from tests.e2e.widget_stand_in import (
    CAMERA_IS_ON,
    chromium_page,
    free_port,
    wait_for_event,
)
from tests.factories import MemberInfo, make_organisation
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem, ItemStatus
from probant_platform.ledger import services as ledger
from probant_platform.web.demo_intranet import create_intranet_app

pytestmark = pytest.mark.e2e
ARTIFACTS = artifacts_dir("widget-real")
SECONDS_LEFT = """() => {
  const widget = document.querySelector('probant-capture');
  const timer = widget.shadowRoot.querySelector('[role="timer"]');
  const shown = timer && timer.textContent.match(/(\\d+) s/);
  return shown ? Number(shown[1]) : null;
}"""


@pytest.fixture
def platform_url(settings: Settings) -> Iterator[str]:
    with live_platform(settings, widget=True) as url:
        yield url


@pytest.fixture
async def company(committed_database: Database) -> MemberInfo:
    owner = await make_organisation(committed_database)
    await fund(committed_database, owner.organisation_id, 10)
    return owner


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


async def _sealed(
    database: Database, owner: MemberInfo
) -> tuple[list[Deposit], list[EvidenceItem], int]:
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        deposits = list(
            (
                await s.execute(select(Deposit).where(Deposit.status == DepositStatus.SEALED))
            ).scalars()
        )
        items = list(
            (
                await s.execute(
                    select(EvidenceItem).where(
                        EvidenceItem.deposit_id.in_([d.id for d in deposits]),
                        EvidenceItem.status == ItemStatus.STORED,
                    )
                )
            ).scalars()
        )
        balance = await ledger.balance(session=s, organisation_id=owner.organisation_id)
    return deposits, items, balance


async def test_three_photos_are_captured_on_an_intranet_and_sealed(
    platform_url: str, company: MemberInfo, committed_database: Database, artifacts: Path
) -> None:
    intranet_port = free_port()
    config = await intranet_config(platform_url, company, intranet_port)
    with serve(create_intranet_app(config), intranet_port) as intranet:
        async with chromium_page() as page:
            await page.goto(f"{intranet}/?mode=photos")
            widget = page.locator("probant-capture")
            await wait_for_event(page, "probant:ready")
            await widget.get_by_role("button", name="Autoriser et commencer").click()
            await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
            shutter = widget.get_by_role("button", name="Prendre la photo")
            for count in (1, 2, 3):
                await shutter.click()
                await widget.get_by_text(f"{count} / 20 photos").wait_for(timeout=15000)
            await page.wait_for_function(
                "window.probantEvents.filter(e => e.type === 'probant:captured').length === 3",
                timeout=20000,
            )
            shown = [e["sha256"] for e in await wait_for_event(page, "probant:captured")]
            await page.screenshot(path=str(artifacts / "1-captured.png"), full_page=True)
            sealed = await sign_and_seal(page, widget, artifacts, "Fissures en façade")

    deposits, items, balance = await _sealed(committed_database, company)
    assert [d.reference for d in deposits] == [sealed[0]["reference"]]
    assert sorted(i.sha256 for i in items) == sorted(shown)
    assert all(i.latitude is not None for i in items)
    assert balance == 9


async def test_a_five_second_video_is_captured_and_sealed(
    platform_url: str, company: MemberInfo, committed_database: Database, artifacts: Path
) -> None:
    intranet_port = free_port()
    config = await intranet_config(platform_url, company, intranet_port)
    with serve(create_intranet_app(config), intranet_port) as intranet:
        async with chromium_page() as page:
            await page.goto(f"{intranet}/?mode=video")
            widget = page.locator("probant-capture")
            await wait_for_event(page, "probant:ready")
            await widget.get_by_role("button", name="Autoriser et commencer").click()
            await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
            await widget.get_by_role("button", name="Démarrer l'enregistrement").click()
            stop = widget.get_by_role("button", name="Arrêter l'enregistrement")
            await stop.wait_for(timeout=15000)  # after the countdown, recording has begun
            # The widget's own timer says when five seconds have been recorded (no fixed sleep).
            started = await page.wait_for_function(SECONDS_LEFT, timeout=15000)
            await page.wait_for_function(
                f"(target) => {{ const left = ({SECONDS_LEFT})(); "
                "return left !== null && left <= target; }",
                arg=await started.json_value() - 5,
                timeout=20000,
            )
            await stop.click()
            await page.wait_for_function(
                "window.probantEvents.some(e => e.type === 'probant:captured')", timeout=30000
            )
            shown = [e["sha256"] for e in await wait_for_event(page, "probant:captured")]
            sealed = await sign_and_seal(page, widget, artifacts, "Dégât des eaux")

    deposits, items, balance = await _sealed(committed_database, company)
    assert [d.reference for d in deposits] == [sealed[0]["reference"]]
    assert [i.sha256 for i in items] == shown
    assert items[0].media_type == "video/webm" and 4.0 <= (items[0].duration_seconds or 0) <= 6.5
    assert balance == 9


async def test_an_intranet_on_an_origin_not_on_the_key_is_refused(
    platform_url: str, company: MemberInfo, committed_database: Database, artifacts: Path
) -> None:
    config = await intranet_config(platform_url, company, free_port())  # key lists another port
    with serve(create_intranet_app(config)) as intranet:
        async with chromium_page() as page:
            await page.goto(f"{intranet}/?mode=photos")
            widget = page.locator("probant-capture")
            await wait_for_event(page, "probant:ready")
            await widget.get_by_role("button", name="Autoriser et commencer").click()
            errors = await wait_for_event(page, "probant:error")
            await page.screenshot(path=str(artifacts / "1-refused.png"), full_page=True)
    assert errors, "the widget reported no error"
    deposits, _, balance = await _sealed(committed_database, company)
    assert deposits == [] and balance == 10


async def _set_location_required(platform_url: str, owner: MemberInfo, required: bool) -> None:
    from tests.factories import gql, log_in

    async with httpx.AsyncClient(base_url=platform_url) as admin:
        await log_in(admin, owner)
        data = await gql(
            admin,
            "mutation($r: Boolean!) { updateCaptureSettings(locationRequired: $r) { __typename } }",
            {"r": required},
        )
        assert data["updateCaptureSettings"]["__typename"] == "CaptureSettingsPayload"


async def test_a_refused_location_blocks_capture_when_the_organisation_requires_it(
    platform_url: str, company: MemberInfo, committed_database: Database, artifacts: Path
) -> None:
    await _set_location_required(platform_url, company, True)
    intranet_port = free_port()
    config = await intranet_config(platform_url, company, intranet_port)
    with serve(create_intranet_app(config), intranet_port) as intranet:
        async with chromium_page(geolocation=False) as page:
            await page.goto(f"{intranet}/?mode=photos")
            widget = page.locator("probant-capture")
            await wait_for_event(page, "probant:ready")
            await widget.get_by_role("button", name="Autoriser et commencer").click()
            await widget.get_by_role("heading", name="Position requise").wait_for(timeout=20000)
            errors = await wait_for_event(page, "probant:error")
            await page.screenshot(path=str(artifacts / "1-blocked.png"), full_page=True)
    assert errors[0]["code"] == "LOCATION_REQUIRED"
    deposits, _, balance = await _sealed(committed_database, company)
    assert deposits == [] and balance == 10


async def test_a_refused_location_is_flagged_when_the_organisation_allows_it(
    platform_url: str, company: MemberInfo, committed_database: Database, artifacts: Path
) -> None:
    intranet_port = free_port()
    config = await intranet_config(platform_url, company, intranet_port)
    with serve(create_intranet_app(config), intranet_port) as intranet:
        async with chromium_page(geolocation=False) as page:
            await page.goto(f"{intranet}/?mode=photos")
            widget = page.locator("probant-capture")
            await wait_for_event(page, "probant:ready")
            await widget.get_by_role("button", name="Autoriser et commencer").click()
            await widget.get_by_text("Position indisponible").wait_for(timeout=20000)
            await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
            await widget.get_by_role("button", name="Prendre la photo").click()
            await widget.get_by_text("1 / 20 photos").wait_for(timeout=15000)
            await wait_for_event(page, "probant:captured")
            await sign_and_seal(page, widget, artifacts, "Sans position")
    _, items, balance = await _sealed(committed_database, company)
    assert [(i.latitude, i.no_location_reason) for i in items] == [(None, "PERMISSION_DENIED")]
    assert balance == 9
