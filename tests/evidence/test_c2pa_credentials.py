"""C2PA Content Credentials on a sealed photo, validated with the C2PA library's own reader."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import av
import c2pa
import pytest
from PIL import Image

from probant_platform.config import Settings
from probant_platform.documents import pki
from probant_platform.evidence.credentials import (
    ANCHOR_ASSERTION,
    ASSERTION,
    CaptureFacts,
    UnsupportedMedia,
    credentialed_copy,
    read_credentials,
)


@pytest.fixture
def dev_settings(tmp_path: Path) -> Settings:
    return Settings(PROBANT_DATA_DIR=tmp_path / "data")


@pytest.fixture
def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


def _facts(photo: bytes, *, located: bool = True) -> CaptureFacts:
    return CaptureFacts(
        deposit_reference="PRB-2026-6B290F7A",
        capture_session="5f0c0a4e-1111-4c3b-9e38-6c1f2d1e0a01",
        captured_at=datetime(2026, 11, 22, 10, 41, 7, 123456, tzinfo=UTC),
        original_sha256=hashlib.sha256(photo).hexdigest(),
        latitude=48.8566 if located else None,
        longitude=2.3522 if located else None,
        accuracy_m=12.0 if located else None,
    )


def test_the_credentialed_copy_is_valid_and_states_the_capture(
    dev_settings: Settings, photo: bytes
) -> None:
    original = bytes(photo)
    copy = credentialed_copy(photo, "image/jpeg", _facts(photo), pki.platform_signer(dev_settings))

    assert photo == original  # the evidence itself is untouched
    check = read_credentials(copy, "image/jpeg", pki.trust_roots(dev_settings))
    assert check.ok, check.failures
    assert check.state == "Trusted"
    assert check.capture is not None
    assert check.capture["original_sha256"] == hashlib.sha256(original).hexdigest()
    assert check.capture["deposit_reference"] == "PRB-2026-6B290F7A"
    assert check.capture["captured_live"] is True and check.capture["imported"] is False
    assert check.capture["captured_at"] == "2026-11-22T10:41:07.123456Z"
    assert check.capture["location"]["latitude"] == 48.8566


def test_without_our_root_the_manifest_is_valid_but_not_trusted(
    dev_settings: Settings, photo: bytes
) -> None:
    copy = credentialed_copy(
        photo, "image/jpeg", _facts(photo, located=False), pki.platform_signer(dev_settings)
    )

    check = read_credentials(copy, "image/jpeg")

    assert check.state == "Valid"
    assert check.capture is not None and "location" not in check.capture


def test_a_tampered_copy_is_detected(dev_settings: Settings, photo: bytes) -> None:
    copy = bytearray(
        credentialed_copy(photo, "image/jpeg", _facts(photo), pki.platform_signer(dev_settings))
    )
    copy[-200] ^= 0x01  # in the image data, after the manifest

    check = read_credentials(bytes(copy), "image/jpeg", pki.trust_roots(dev_settings))

    assert not check.ok
    assert check.state == "Invalid"
    assert "assertion.dataHash.mismatch" in check.failures


ANCHOR = {
    "batch": 7,
    "root": "ab" * 32,
    "leaf_hash": "cd" * 32,
    "network": "development",
    "chain_id": 131277322940537,
    "transaction_hash": "0x" + "ef" * 32,
    "block_number": 7,
    "block_time": "2026-11-22T10:43:00.000000Z",
}


def test_the_anchor_is_an_update_manifest_over_the_capture_manifest(
    dev_settings: Settings, photo: bytes
) -> None:
    facts = dataclasses.replace(_facts(photo), anchor=ANCHOR)
    copy = credentialed_copy(photo, "image/jpeg", facts, pki.platform_signer(dev_settings))

    check = read_credentials(copy, "image/jpeg", pki.trust_roots(dev_settings))
    assert check.ok and check.state == "Trusted", check.failures
    assert check.capture is not None
    assert check.capture["original_sha256"] == hashlib.sha256(photo).hexdigest()
    assert check.capture["anchor"] == ANCHOR

    # What any C2PA reader shows: the active (update) manifest states the anchor and has the
    # capture manifest as its parent ingredient, validated.
    reader = c2pa.Reader("image/jpeg", io.BytesIO(copy))
    store = json.loads(reader.json())
    active = store["manifests"][store["active_manifest"]]
    labels = [a["label"] for a in active["assertions"]]
    assert ANCHOR_ASSERTION in labels and ASSERTION not in labels
    [parent] = [i for i in active["ingredients"] if i["relationship"] == "parentOf"]
    first = store["manifests"][parent["active_manifest"]]
    assert ASSERTION in [a["label"] for a in first["assertions"]]
    [delta] = reader.get_validation_results()["ingredientDeltas"]
    assert "ingredient.manifest.validated" in [
        s["code"] for s in delta["validationDeltas"]["success"]
    ]

    tampered = bytearray(copy)
    tampered[-200] ^= 0x01
    broken = read_credentials(bytes(tampered), "image/jpeg", pki.trust_roots(dev_settings))
    assert not broken.ok and broken.state == "Invalid"


def test_a_media_type_c2pa_cannot_carry_is_refused(dev_settings: Settings) -> None:
    with pytest.raises(UnsupportedMedia):
        credentialed_copy(b"x", "application/pdf", _facts(b"x"), pki.platform_signer(dev_settings))


def _video_mp4(seconds: float = 1.0, fps: int = 10) -> bytes:
    """A short MPEG-4 video (the container a phone's camera app records in)."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(int(seconds * fps)):
            frame = av.VideoFrame.from_image(Image.new("RGB", (160, 120), (index * 20, 90, 140)))
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def test_a_sealed_video_gets_credentials_and_a_tampered_one_is_caught(
    dev_settings: Settings,
) -> None:
    video = _video_mp4()
    copy = credentialed_copy(video, "video/mp4", _facts(video), pki.platform_signer(dev_settings))

    assert copy != video and len(copy) > len(video)  # a copy: the evidence is untouched
    check = read_credentials(copy, "video/mp4", pki.trust_roots(dev_settings))
    assert check.ok, check.failures
    assert check.state == "Trusted"
    assert check.capture is not None
    assert check.capture["original_sha256"] == hashlib.sha256(video).hexdigest()
    # Still a playable MP4 with the original frames.
    with av.open(io.BytesIO(copy), mode="r") as container:
        assert len(list(container.decode(video=0))) == 10

    tampered = bytearray(copy)
    tampered[copy.index(b"mdat") + 200] ^= 0x01  # one byte of a frame
    check = read_credentials(bytes(tampered), "video/mp4", pki.trust_roots(dev_settings))
    assert check.state == "Invalid" and not check.ok
    assert any("mismatch" in failure for failure in check.failures), check.failures
