"""A photo is decoded at 1/8 scale to validate it (issue 21): exactly as strict as a full decode.

libjpeg's scaled decode (`Image.draft`) still reads and entropy-decodes every scan of the
file; only the inverse DCT, upsampling and colour conversion shrink. These tests hold the
upload to the same verdicts as before: truncated and corrupted-scan JPEGs (baseline and
progressive) are refused with CORRUPT_MEDIA, over HTTP as before, and on a few hundred
damaged files the scaled decode agrees with the full decode, file for file.
"""

from __future__ import annotations

import io
import random
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageFile
from tests.evidence.capture_flow import capture_one, start
from tests.factories import log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database
from probant_platform.evidence.media import inspect as inspect_module
from probant_platform.evidence.media.inspect import MediaRejected, inspect_media
from probant_platform.evidence.media.samples import photo_jpeg

WIDTH, HEIGHT = 1280, 960


def _baseline() -> bytes:
    return photo_jpeg(width=WIDTH, height=HEIGHT, seed=5)


def _progressive() -> bytes:
    out = io.BytesIO()
    with Image.open(io.BytesIO(_baseline())) as image:
        image.save(out, format="JPEG", quality=85, progressive=True)
    return out.getvalue()


def _noisy(seed: int) -> bytes:
    """Noise compresses badly: long entropy-coded scans, like a high-quality photo."""
    noise = random.Random(seed).randbytes(400 * 300 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (400, 300), noise).save(out, format="JPEG", quality=92)
    return out.getvalue()


def _truncated_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _truncated_end(data: bytes) -> bytes:
    return data[:-400]


def _without_end_marker(data: bytes) -> bytes:
    return data[:-2]


def _scan_header_broken(data: bytes) -> bytes:
    """The first scan names a component the frame does not have."""
    damaged = bytearray(data)
    damaged[data.index(b"\xff\xda") + 5] = 0x07
    return bytes(damaged)


def _scan_data_broken(data: bytes) -> bytes:
    """A run of 0xFF bytes in the middle of the entropy-coded data (a progressive file's later
    scans: libjpeg stops on it)."""
    middle = len(data) // 2
    return data[:middle] + b"\xff" * 64 + data[middle + 64 :]


DAMAGED = [
    ("baseline-truncated-half", _baseline, _truncated_half),
    ("baseline-truncated-end", _baseline, _truncated_end),
    ("baseline-no-end-marker", _baseline, _without_end_marker),
    ("baseline-corrupted-scan-header", _baseline, _scan_header_broken),
    ("progressive-truncated-half", _progressive, _truncated_half),
    ("progressive-truncated-end", _progressive, _truncated_end),
    ("progressive-corrupted-scan-header", _progressive, _scan_header_broken),
    ("progressive-corrupted-scan-data", _progressive, _scan_data_broken),
]


def _inspect(tmp_path: Path, data: bytes) -> str:
    """inspect_media's verdict: the media type, or the refusal's reason."""
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    try:
        return inspect_media(path=path, kind="photo", max_video_seconds=30).media_type
    except MediaRejected as refused:
        return refused.reason


@pytest.mark.parametrize(
    ("make", "damage"), [(m, d) for _, m, d in DAMAGED], ids=[n for n, _, _ in DAMAGED]
)
def test_a_damaged_jpeg_is_refused_as_corrupt(
    tmp_path: Path, make: Callable[[], bytes], damage: Callable[[bytes], bytes]
) -> None:
    assert _inspect(tmp_path, make()) == "image/jpeg"
    assert _inspect(tmp_path, damage(make())) == "CORRUPT_MEDIA"


def test_the_scaled_decode_agrees_with_the_full_decode_on_damaged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeded damage (cuts, deleted and overwritten runs) to baseline, progressive and noisy
    JPEGs: the verdict with the 1/8-scale decode is the verdict of the full decode before it."""
    rng = random.Random(21)
    samples = [_baseline(), _progressive(), _noisy(1), _noisy(2)]
    damaged = []
    for sample in samples:
        scan = sample.index(b"\xff\xda") + 20
        for _ in range(30):
            at = rng.randrange(scan, len(sample) - 40)
            damaged += [
                sample[:at],
                sample[:at] + sample[at + rng.randrange(1, 2000) :],
                sample[:at] + rng.randbytes(8) + sample[at + 8 :],
                sample[:at] + b"\xff" * 16 + sample[at + 16 :],
            ]
    scaled = [_inspect(tmp_path, data) for data in damaged]
    monkeypatch.setattr(inspect_module, "_reduced_scale", lambda image, width, height: None)
    full = [_inspect(tmp_path, data) for data in damaged]
    assert scaled == full
    assert scaled.count("CORRUPT_MEDIA") > len(damaged) // 4  # the damage was not all benign


def test_the_facts_are_the_photo_s_own_size_not_the_scaled_decode_s(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(_progressive())
    facts = inspect_media(path=path, kind="photo", max_video_seconds=30)
    assert (facts.media_type, facts.width, facts.height) == ("image/jpeg", WIDTH, HEIGHT)


def test_decodes_side_by_side_stay_strict_and_leave_pillow_as_found(tmp_path: Path) -> None:
    """Several pool threads decode at once (no lock around each decode any more): every
    truncated photo is refused even though another library loosened Pillow, and the
    setting is put back when the last decode ends."""
    paths = []
    for index in range(6):
        path = tmp_path / f"cut-{index}.jpg"
        path.write_bytes(_truncated_end(photo_jpeg(width=900, height=700, seed=index)))
        paths.append(path)
    verdicts: list[str] = []
    start_together = threading.Barrier(len(paths))

    def one(path: Path) -> None:
        start_together.wait()
        for _ in range(3):
            try:
                inspect_media(path=path, kind="photo", max_video_seconds=30)
                verdicts.append("accepted")
            except MediaRejected as refused:
                verdicts.append(refused.reason)

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what WeasyPrint does on import
    try:
        threads = [threading.Thread(target=one, args=(path,)) for path in paths]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
    assert verdicts == ["CORRUPT_MEDIA"] * 18


@pytest.mark.parametrize(
    ("make", "damage"),
    [(_progressive, _truncated_half), (_baseline, _scan_header_broken)],
    ids=["truncated-progressive", "corrupted-scan"],
)
async def test_a_damaged_jpeg_upload_is_refused_and_the_whole_one_kept_at_full_size(
    database: Database,
    client: httpx.AsyncClient,
    make: Callable[[], bytes],
    damage: Callable[[bytes], bytes],
) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 1)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    refused = await capture_one(client, session["id"], damage(make()))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "CORRUPT_MEDIA"
    whole = await capture_one(client, session["id"], make())
    assert whole.status_code == 201
    item = whole.json()["item"]
    assert (item["mediaType"], item["width"], item["height"]) == ("image/jpeg", WIDTH, HEIGHT)
