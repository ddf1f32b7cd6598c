"""The built <probant-capture> in headless Chromium: first screen, camera, capture, seal.

The evidence backend is built in parallel, so these tests answer the widget's calls with a
stand-in that follows docs/capture-api.md (tests/e2e/widget_stand_in.py). The end-to-end tests
against the real platform belong with the backend.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.widget_stand_in import (
    ARTIFACTS,
    CAMERA_IS_ON,
    CHROMIUM,
    DIST,
    TOKEN,
    StandIn,
    chromium_page,
    serve_stand_in,
    serve_widget_files,
    session_for,
    start_capturing,
    wait_for_event,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def platform_origin() -> Iterator[str]:
    """The platform's real /widget/v1 routes serving the build, on an origin of their own."""
    if not (DIST / "manifest.json").exists():
        pytest.fail("capture-widget/dist is missing: run `make install` to build the widget")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `apt-get install -y chromium`")
    with serve_widget_files(DIST) as origin:
        yield origin


@pytest.fixture
def stand_in(platform_origin: str) -> Iterator[StandIn]:
    """The intranet page, on another origin, embedding the widget by its stable URL."""
    with serve_stand_in(f"{platform_origin}/widget/v1/probant-capture.js") as state:
        yield state


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """A fresh folder of screenshots for this test."""
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


async def test_widget_renders_opens_the_camera_and_uploads_a_hashed_photo(
    stand_in: StandIn, artifacts: Path
) -> None:
    async with chromium_page() as page:
        # Given the intranet page embedding the built module
        await page.goto(f"{stand_in.origin}/?mode=photos")
        widget = page.locator("probant-capture")

        # Then the first screen explains the permissions, and the host page hears probant:ready
        await widget.get_by_role("heading", name="Avant de commencer").wait_for()
        assert await wait_for_event(page, "probant:ready") == [{"mode": "photos", "lang": "fr"}]
        assert await widget.get_by_text("Caméra : pour prendre").is_visible()
        assert await widget.get_by_text("Position : pour dater").is_visible()
        await page.screenshot(path=str(artifacts / "1-intro.png"), full_page=True)

        # When the person starts with the keyboard only
        await widget.get_by_role("button", name="Autoriser et commencer").focus()
        await page.keyboard.press("Enter")

        # Then the fake camera's preview plays and the location is found
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
        await widget.get_by_text("Position obtenue").wait_for()
        assert stand_in.authorizations[0] == f"Bearer {TOKEN}"
        assert stand_in.operations("startCapture") == [{"kind": "PHOTOS"}]
        await page.wait_for_timeout(500)  # one more frame of the fake device, for the screenshot
        await page.screenshot(path=str(artifacts / "2-camera.png"), full_page=True)

        # When a photo is taken
        await widget.get_by_role("button", name="Prendre la photo").click()

        # Then it is hashed on the device, uploaded, and the server's hash of the bytes agrees
        await widget.get_by_text("Envoyé").wait_for(timeout=15000)
        staged = stand_in.staged["item-1"]
        assert hashlib.sha256(stand_in.uploaded["item-1"]).hexdigest() == staged["sha256"]
        assert staged["contentType"] == "image/jpeg"
        assert staged["location"]["latitude"] == pytest.approx(48.8566)
        assert staged["noLocationReason"] is None
        assert set(stand_in.authorizations) == {f"Bearer {TOKEN}"}
        captured = await wait_for_event(page, "probant:captured")
        assert [event["sha256"] for event in captured] == [staged["sha256"]]
        await widget.get_by_text("1 / 20 photos").wait_for()
        await page.screenshot(path=str(artifacts / "3-photo.png"), full_page=True)


async def test_a_person_captures_describes_signs_and_seals_photos(
    stand_in: StandIn, artifacts: Path
) -> None:
    async with chromium_page() as page:
        widget = await start_capturing(page, stand_in, "photos")

        # Given two photos taken, the second one deleted
        shutter = widget.get_by_role("button", name="Prendre la photo")
        await shutter.click()
        await widget.get_by_text("1 / 20 photos").wait_for()
        await shutter.click()
        await widget.get_by_text("2 / 20 photos").wait_for()
        await page.wait_for_function(
            "window.probantEvents.filter(e => e.type === 'probant:captured').length === 2"
        )
        await widget.get_by_role("button", name="Supprimer le média 2").click()
        await widget.get_by_text("1 / 20 photos").wait_for()
        assert stand_in.deleted == ["item-2"]

        # When the person reviews it, the camera is off; a retake turns it back on
        await widget.get_by_role("button", name="Continuer").click()
        await widget.get_by_role("heading", name="Vérifiez et commentez chaque média").wait_for()
        assert await page.evaluate(CAMERA_IS_ON) is False
        await widget.get_by_role("button", name="Reprendre le média 1").click()
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
        assert stand_in.deleted == ["item-2", "item-1"]
        await shutter.click()
        await widget.get_by_text("1 / 20 photos").wait_for()
        await widget.get_by_text("Envoyé").wait_for(timeout=15000)

        # When the person comments the photo
        await widget.get_by_role("button", name="Continuer").click()
        await widget.get_by_label("Commentaire du média 1").fill("Fissure visible sur le mur nord.")
        await page.screenshot(path=str(artifacts / "1-review.png"), full_page=True)
        await widget.get_by_role("button", name="Continuer").click()

        # Then an incomplete address is refused, field by field
        await widget.get_by_role("heading", name="Titre et adresse").wait_for()
        await widget.get_by_role("button", name="Continuer").click()
        await widget.get_by_text("Ce champ est obligatoire.").first.wait_for()
        assert await widget.get_by_text("Ce champ est obligatoire.").count() == 4
        await page.screenshot(path=str(artifacts / "2-details-refused.png"), full_page=True)

        # When the person gives title and address
        await widget.get_by_label("Titre du rapport").fill("Fissures après travaux voisins")
        await widget.get_by_label("Rue et numéro").fill("12 rue des Lilas")
        await widget.get_by_label("Code postal").fill("69003")
        await widget.get_by_label("Ville").fill("Lyon")
        await widget.get_by_label("Étage").fill("3")
        await widget.get_by_role("button", name="Continuer").click()

        # Then the price is shown; the person types their name and draws a signature
        await widget.get_by_text("Ce dépôt coûte 1 crédit.").wait_for()
        await widget.get_by_label("Nom et prénom du signataire").fill("Élise Dupont")
        box = await widget.locator("canvas.signature").bounding_box()
        assert box is not None
        await page.mouse.move(box["x"] + 40, box["y"] + 60)
        await page.mouse.down()
        for step in range(1, 12):
            await page.mouse.move(box["x"] + 40 + step * 30, box["y"] + 60 + (step % 3) * 25)
        await page.mouse.up()
        await page.screenshot(path=str(artifacts / "3-sign.png"), full_page=True)
        await widget.get_by_role("button", name="Continuer").click()

        # When the person confirms and seals
        seal = widget.get_by_role("button", name="Sceller pour 1 crédit")
        assert await seal.is_disabled()
        await widget.get_by_label("Je certifie avoir capturé").check()
        await page.screenshot(path=str(artifacts / "4-confirm.png"), full_page=True)
        await seal.click()

        # Then the sealed deposit shows its reference and the hashes, equal to the device's
        await widget.get_by_role("heading", name="Dépôt scellé").wait_for()
        assert await widget.get_by_text("PRB-2026-000042").is_visible()
        await widget.get_by_text("identique à l’empreinte calculée sur cet appareil").wait_for()
        assert await widget.get_by_text("différente de l’empreinte").count() == 0
        link = widget.get_by_role("link", name="Voir le certificat")
        expected_href = f"{stand_in.origin}/certificates/RGVwb3NpdDox.pdf"
        assert await link.get_attribute("href") == expected_href
        sealed = await wait_for_event(page, "probant:sealed")
        assert sealed == [{"reference": "PRB-2026-000042", "depositId": "RGVwb3NpdDox"}]
        await page.screenshot(path=str(artifacts / "5-sealed.png"), full_page=True)

    # And the platform received what the person entered
    update = stand_in.operations("updateDeposit")[0]["input"]
    assert update["title"] == "Fissures après travaux voisins"
    assert update["address"]["city"] == "Lyon"
    assert update["address"]["floor"] == "3"
    assert update["itemComments"] == [
        {"itemId": "item-3", "comment": "Fissure visible sur le mur nord."}
    ]
    sealing = stand_in.operations("sealDeposit")[0]["input"]
    assert sealing["confirmCredits"] == 1
    assert sealing["signature"]["fullName"] == "Élise Dupont"
    assert base64.b64decode(sealing["signature"]["imagePngBase64"]).startswith(b"\x89PNG")


async def test_a_video_stops_by_itself_at_the_session_limit(
    stand_in: StandIn, artifacts: Path
) -> None:
    stand_in.session = session_for(kind="VIDEO", maxItems=1, maxVideoSeconds=3)
    async with chromium_page() as page:
        widget = await start_capturing(page, stand_in, "video")

        # When the person starts recording and never stops
        record = widget.get_by_role("button", name="Démarrer l'enregistrement")
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
        assert stand_in.operations("startCapture") == [{"kind": "VIDEO"}]
        await record.click()
        await widget.get_by_text("L'enregistrement commence dans").wait_for()
        await widget.get_by_text("Enregistrement en cours").wait_for(timeout=6000)
        await page.screenshot(path=str(artifacts / "1-recording.png"), full_page=True)

        # Then the recording stops at the limit, and the WebM is hashed and uploaded
        await widget.get_by_text("Envoyé").wait_for(timeout=15000)
        staged = stand_in.staged["item-1"]
        assert staged["contentType"] == "video/webm"
        video = stand_in.uploaded["item-1"]
        assert video.startswith(b"\x1a\x45\xdf\xa3")  # EBML: a WebM file
        assert hashlib.sha256(video).hexdigest() == staged["sha256"]
        assert await record.is_disabled()  # one video per deposit
        await page.screenshot(path=str(artifacts / "2-recorded.png"), full_page=True)


async def test_a_refused_location_blocks_when_the_organisation_requires_it(
    stand_in: StandIn, artifacts: Path
) -> None:
    async with chromium_page(geolocation=False) as page:
        await start_capturing(page, stand_in, "photos")
        widget = page.locator("probant-capture")
        await widget.get_by_role("heading", name="Position requise").wait_for(timeout=20000)
        errors = await wait_for_event(page, "probant:error")
        assert errors[0]["code"] == "LOCATION_REQUIRED"
        assert await widget.get_by_role("button", name="Prendre la photo").count() == 0
        await page.screenshot(path=str(artifacts / "1-blocked.png"), full_page=True)


async def test_a_refused_location_is_flagged_when_the_organisation_allows_it(
    stand_in: StandIn, artifacts: Path
) -> None:
    stand_in.session = session_for(locationRequired=False)
    async with chromium_page(geolocation=False) as page:
        widget = await start_capturing(page, stand_in, "photos")
        await widget.get_by_text("Position indisponible").wait_for(timeout=20000)
        await widget.get_by_role("button", name="Prendre la photo").click()
        await widget.get_by_text("Envoyé").wait_for(timeout=15000)
        staged = stand_in.staged["item-1"]
        assert staged["location"] is None
        assert staged["noLocationReason"] == "PERMISSION_DENIED"
        await page.screenshot(path=str(artifacts / "1-no-location.png"), full_page=True)


async def test_a_screen_recording_is_captured_on_a_desktop_browser(
    stand_in: StandIn, artifacts: Path
) -> None:
    stand_in.session = session_for(kind="SCREEN", maxItems=1, maxVideoSeconds=2)
    async with chromium_page() as page:
        await page.goto(f"{stand_in.origin}/?mode=screen")
        widget = page.locator("probant-capture")
        assert await widget.get_by_text("Partage d'écran : vous choisirez").is_visible()
        await widget.get_by_role("button", name="Autoriser et commencer").click()

        # When the person picks the screen (the fake UI picks it) and lets the recording run
        await widget.get_by_role("button", name="Choisir l'écran et enregistrer").click()
        await widget.get_by_text("Enregistrement en cours").wait_for(timeout=6000)
        await page.screenshot(path=str(artifacts / "1-recording.png"), full_page=True)

        # Then one WebM recording is hashed and uploaded
        await widget.get_by_text("Envoyé").wait_for(timeout=15000)
        assert stand_in.operations("startCapture") == [{"kind": "SCREEN"}]
        staged = stand_in.staged["item-1"]
        assert staged["contentType"] == "video/webm"
        assert hashlib.sha256(stand_in.uploaded["item-1"]).hexdigest() == staged["sha256"]
        await page.screenshot(path=str(artifacts / "2-recorded.png"), full_page=True)


async def test_in_english_uploads_are_retried_and_refusals_explained(
    stand_in: StandIn, artifacts: Path
) -> None:
    async with chromium_page() as page:
        await page.goto(f"{stand_in.origin}/?mode=photos&lang=en")
        widget = page.locator("probant-capture")
        await widget.get_by_role("button", name="Allow and start").click()
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)

        # Given a platform that is briefly unavailable
        stand_in.unavailable_puts = 1
        await widget.get_by_role("button", name="Take photo").click()

        # Then the upload is retried by itself and succeeds
        await widget.get_by_text("Uploaded").wait_for(timeout=15000)
        assert stand_in.unavailable_puts == 0
        assert (
            hashlib.sha256(stand_in.uploaded["item-1"]).hexdigest()
            == (stand_in.staged["item-1"]["sha256"])
        )

        # Given bytes altered on their way, the refusal is explained and the item can be retaken
        stand_in.corrupt_puts.add("item-2")
        await widget.get_by_role("button", name="Take photo").click()
        await widget.get_by_text("The received file does not match its fingerprint").wait_for()
        errors = await wait_for_event(page, "probant:error")
        assert [error["code"] for error in errors] == ["HASH_MISMATCH"]
        assert await widget.get_by_role("button", name="Continue").is_enabled()
        await page.screenshot(path=str(artifacts / "1-refused.png"), full_page=True)
