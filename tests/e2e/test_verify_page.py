"""The public /verify page in headless Chromium: the file is hashed in the browser, never sent.

Given a deposit sealed, batched and anchored on the real platform (served over HTTP), a visitor
picks the photo on /verify: the page finds the sealed item and shows its anchor, and no request
the browser made carried the file. A modified copy is not found; a pasted hash works too.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.live import live_platform
from tests.e2e.widget_stand_in import chromium_page
from tests.integrity.documents_world import issued_documents
from tests.integrity.helpers import SealedDeposit, sealed_deposit
from tests.integrity.proof_world import close_and_anchor

from probant_platform.config import Settings
from probant_platform.db import Database

pytestmark = pytest.mark.e2e


@pytest.fixture
def platform_url(settings: Settings) -> Iterator[str]:
    with live_platform(settings) as url:
        yield url


@pytest.fixture
async def sealed(
    platform_url: str, committed_database: Database, settings: Settings
) -> SealedDeposit:
    async with httpx.AsyncClient(base_url=platform_url, timeout=30) as client:
        deposit = await sealed_deposit(committed_database, client, photos=1)
    await close_and_anchor(committed_database, settings)
    return deposit


def _watch(page: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda request: seen.append(
            {"method": request.method, "url": request.url, "body": request.post_data_buffer}
        ),
    )
    return seen


async def test_a_dropped_file_is_found_and_never_leaves_the_browser(
    platform_url: str, sealed: SealedDeposit, tmp_path: Path
) -> None:
    photo = tmp_path / "constat.jpg"
    photo.write_bytes(sealed.photos[0])
    altered = tmp_path / "retouchee.jpg"
    altered.write_bytes(sealed.photos[0][:-1] + bytes([sealed.photos[0][-1] ^ 1]))

    async with chromium_page(geolocation=False) as page:
        requests = _watch(page)
        await page.goto(f"{platform_url}/verify")
        await page.get_by_role("heading", name="Vérifier une preuve Probant").wait_for()
        await page.set_input_files("#file", str(photo))
        found = page.get_by_text("Ce fichier correspond à un élément scellé.")
        await found.wait_for(timeout=15000)
        result = await page.locator("#result").inner_text()

        await page.set_input_files("#file", str(altered))
        await page.get_by_text("Aucun élément scellé ne correspond").wait_for(timeout=15000)

    assert sealed.reference in result
    assert "chaîne de développement — pas un registre public" in result
    assert "Camille" not in result and "Dégât" not in result
    lookups = [r for r in requests if "/api/v1/verify" in r["url"]]
    assert len(lookups) == 2 and all(r["method"] == "GET" for r in lookups)
    assert all(not r["body"] for r in requests)  # no request carried a body, let alone the file
    assert not any(r["method"] in ("POST", "PUT") for r in requests)


async def test_a_pasted_hash_and_the_qr_target_page_in_english(
    platform_url: str, sealed: SealedDeposit
) -> None:
    sha = hashlib.sha256(sealed.photos[0]).hexdigest()
    async with chromium_page(geolocation=False) as page:
        await page.goto(f"{platform_url}/verify/{sealed.reference}?lang=en")
        await page.get_by_role("heading", name=f"Deposit {sealed.reference}").wait_for()
        listed = await page.locator("#reference").inner_text()
        await page.fill("#hash", sha)
        await page.get_by_role("button", name="Check", exact=True).click()
        await page.get_by_text("This file matches a sealed item.").wait_for(timeout=15000)

    assert sha in listed
    assert "development chain — not a public ledger" in listed


async def _drop(page: Any, name: str, body: bytes) -> None:
    """Drop a file on the page's drop zone, as a person dragging it from their desktop."""
    transfer = await page.evaluate_handle(
        """([name, b64]) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
          return transfer;
        }""",
        [name, base64.b64encode(body).decode()],
    )
    await page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})


async def test_a_dropped_attestation_or_report_is_recognised_as_a_signed_document(
    platform_url: str, committed_database: Database, settings: Settings
) -> None:
    async with (
        httpx.AsyncClient(base_url=platform_url, timeout=30) as owner,
        httpx.AsyncClient(base_url=platform_url, timeout=30) as clerk,
    ):
        issued = await issued_documents(committed_database, owner, clerk, settings)

    async with chromium_page(geolocation=False) as page:
        requests = _watch(page)
        await page.goto(f"{platform_url}/verify")
        await _drop(page, "attestation.pdf", issued.attestation)
        await page.get_by_text("Ce fichier est un document signé").wait_for(timeout=15000)
        attestation = await page.locator("#result").inner_text()

        await page.goto(f"{platform_url}/verify?lang=en")
        await _drop(page, "report.pdf", issued.report)
        await page.get_by_text("This file is a signed document").wait_for(timeout=15000)
        report = await page.locator("#result").inner_text()

    assert "Attestation de dépôt" in attestation and issued.sealed.reference in attestation
    assert issued.office_name in attestation
    assert "probant verify --pdf" in attestation
    assert "Aucun élément scellé" not in attestation
    assert "Certified report" in report and issued.sealed.reference in report
    assert "probant verify --pdf" in report
    assert all(not r["body"] for r in requests)  # the PDFs never left the browser
