"""Long-term proof costs (run by `make bench`; not part of the suite).

Two measures the Long-term proof issue asks for, each as a ratio to what it replaces,
measured in the same run on the same inputs:

- C2PA: credentialed copies of a 20-photo deposit (1600×1200 JPEG; each with the capture
  manifest and the anchor's update manifest, signed ES256 by the platform certificate) against today's unsigned handling of the same photos
  (reading and hashing them with SHA-256, what sealing does).
- PAdES: the certified report of 20 photos rendered and signed B-LT (RFC 3161 timestamp from
  the in-process development TSA, chain and CRL embedded) against the same report signed
  PAdES B-B (no timestamp, no validation data), as before the long-term work; then the
  signature alone on the same rendered PDF, B-LT against B-B.

Prints one JSON line per measure (min, median, ratios of medians and of minima). No database needed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / r) for r in ("platform", "tenants", "graphql")]

from probant_platform.config import Settings  # noqa: E402
from probant_platform.documents import pki  # noqa: E402
from probant_platform.documents.render import SHARED_TEMPLATES, qr_code_svg, render_pdf  # noqa: E402
from probant_platform.documents.signing import sign_pdf  # noqa: E402
from probant_platform.documents.timestamps import long_term  # noqa: E402
from probant_platform.evidence.credentials import CaptureFacts, credentialed_copy  # noqa: E402
from probant_platform.evidence.media.samples import photo_jpeg  # noqa: E402
from probant_platform.integrity.certificate_labels import LABELS  # noqa: E402
from probant_platform.integrity.certificates import (  # noqa: E402
    TEMPLATE_DIR,
    TEMPLATES,
    build_pdf,
)

PHOTOS = 20
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
"""As in an export made after anchoring: the capture manifest and the update manifest."""
ROUNDS = 5


def _pair(
    measured: Callable[[], Any], baseline: Callable[[], Any], rounds: int = ROUNDS
) -> tuple[list[float], list[float]]:
    """Both timed in alternation, round after round, so that the load of a shared machine
    weighs on each alike (after one warm-up call each: imports, caches, first C2PA call)."""
    measured()
    baseline()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for function, into in ((measured, times[0]), (baseline, times[1])):
            start = time.perf_counter()
            function()
            into.append(time.perf_counter() - start)
    return times


def _report(name: str, baseline: str, times: tuple[list[float], list[float]]) -> None:
    measured, base = times
    median, base_median = statistics.median(measured), statistics.median(base)
    print(
        json.dumps(
            {
                "measure": name,
                "min_s": round(min(measured), 4),
                "median_s": round(median, 4),
                "baseline": baseline,
                "baseline_min_s": round(min(base), 4),
                "baseline_median_s": round(base_median, 4),
                "ratio_of_medians": round(median / base_median, 1),
                "ratio_of_minima": round(min(measured) / min(base), 1),
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def _photos() -> list[bytes]:
    return [photo_jpeg(seed=n, width=1600, height=1200) for n in range(1, PHOTOS + 1)]


def c2pa_deposit(settings: Settings, photos: list[bytes]) -> None:
    signer = pki.platform_signer(settings)
    session = str(uuid.uuid4())
    facts = [
        CaptureFacts(
            deposit_reference="PRB-BENCH",
            capture_session=session,
            captured_at=datetime(2026, 11, 22, 10, 41, n, tzinfo=UTC),
            original_sha256=hashlib.sha256(photo).hexdigest(),
            latitude=48.8566,
            longitude=2.3522,
            accuracy_m=12.0,
            anchor=ANCHOR,
        )
        for n, photo in enumerate(photos)
    ]

    def unsigned() -> None:
        for photo in photos:
            hashlib.sha256(bytes(photo)).hexdigest()

    def credentialed(anchored: bool = True) -> None:
        for photo, fact in zip(photos, facts, strict=True):
            if not anchored:
                fact = dataclasses.replace(fact, anchor=None)
            credentialed_copy(photo, "image/jpeg", fact, signer)

    _report(
        "C2PA credentialed copies of a 20-photo deposit (capture + anchor update manifests)",
        "reading and hashing the 20 photos (no credentials)",
        _pair(credentialed, unsigned),
    )
    _report(
        "C2PA credentialed copies of a 20-photo deposit (capture manifest only, not anchored)",
        "reading and hashing the 20 photos (no credentials)",
        _pair(lambda: credentialed(anchored=False), unsigned),
    )


def _report_inputs(settings: Settings, photos: list[bytes]) -> dict[str, Any]:
    from PIL import Image

    assets: dict[str, bytes] = {"qr.svg": qr_code_svg("http://127.0.0.1:8000/verify/PRB-BENCH")}
    items = []
    for number, photo in enumerate(photos, start=1):
        with Image.open(io.BytesIO(photo)) as image:
            image.thumbnail((320, 320))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
        assets[f"thumb-{number}.jpg"] = out.getvalue()
        items.append(
            {
                "thumbnail": f"thumb-{number}.jpg",
                "media_type": "image/jpeg",
                "size": len(photo),
                "sha256": hashlib.sha256(photo).hexdigest(),
                "captured_at": "22/11/2026 10:41:07",
                "received_at": "22/11/2026 10:41:08",
                "clock_skew_flagged": False,
                "location": "48.856600, 2.352200 (± 12 m)",
                "comment": "Fissure visible sur le mur nord.",
            }
        )
    context = {
        "deposit": SimpleNamespace(
            reference="PRB-BENCH",
            title="Dégât des eaux, cuisine",
            signature_name="Camille Martin",
            description="",
        ),
        "author": SimpleNamespace(organisation_name="Cabinet Lefèvre", full_name="Camille Martin"),
        "address": "12 rue de Rivoli, 75004 Paris",
        "sealed_at": "22/11/2026 10:42:00",
        "items": items,
        "signature_image": False,
        "anchors": [],
        "verification_url": "http://127.0.0.1:8000/verify/PRB-BENCH",
    }
    return {"signer": pki.platform_signer(settings), "context": context, "assets": assets}


def pades_report(settings: Settings, photos: list[bytes]) -> None:
    inputs = _report_inputs(settings, photos)
    archival = long_term(settings)
    _report(
        "render + sign PAdES B-LT a report of 20 photos",
        "render + sign PAdES B-B (no timestamp, no validation data)",
        _pair(
            lambda: build_pdf(locale="fr", long_term=archival, **inputs),
            lambda: build_pdf(locale="fr", **inputs),
        ),
    )
    html = TEMPLATES.render(
        "certificate.html.j2", lang="fr", labels=LABELS["fr"], **inputs["context"]
    )
    rendered = render_pdf(html, folders=[SHARED_TEMPLATES, TEMPLATE_DIR], assets=inputs["assets"])
    signer = inputs["signer"]
    _report(
        "sign only (PAdES B-LT) the rendered report of 20 photos",
        "sign only (PAdES B-B)",
        _pair(
            lambda: sign_pdf(rendered, signer, long_term=archival),
            lambda: sign_pdf(rendered, signer),
            rounds=3 * ROUNDS,
        ),
    )


def main() -> None:
    # pyHanko warns on every B-LT signature that it embeds only the CRLs it was given.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="probant-bench-") as data:
        settings = Settings(PROBANT_DATA_DIR=Path(data))
        photos = _photos()
        c2pa_deposit(settings, photos)
        pades_report(settings, photos)


if __name__ == "__main__":
    main()
