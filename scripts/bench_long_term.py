"""Cost of the long-term proof layers as ratios (issue 18): `python scripts/bench_long_term.py`.

- PAdES B-T + B-LT signing of a 20-photo report vs B-B signing of the same PDF;
- C2PA credentialing of a 20-photo deposit vs only hashing the photos (today's work).
Uses a throwaway development data folder; the development TSA answers in-process, so a
remote TSA adds its network round trip to the B-T figure.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from probant_platform.config import Settings
from probant_platform.documents import pki
from probant_platform.documents.render import render_pdf
from probant_platform.documents.signing import sign_pdf
from probant_platform.documents.timestamps import long_term
from probant_platform.evidence.credentials import CaptureFacts, credentialed_copy
from probant_platform.evidence.media.samples import photo_jpeg

PHOTOS = 20


def _seconds(action: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(PROBANT_DATA_DIR=Path(folder))  # type: ignore[call-arg]
        signer = pki.platform_signer(settings)
        photos = [photo_jpeg(seed=n) for n in range(PHOTOS)]
        assets = {f"p{n}.jpg": body for n, body in enumerate(photos)}
        html = "".join(f'<p><img src="asset:p{n}.jpg" width="200"></p>' for n in range(PHOTOS))
        pdf = render_pdf(html, assets=assets)
        context = long_term(settings)
        basic = _seconds(lambda: sign_pdf(pdf, signer))
        lasting = _seconds(lambda: sign_pdf(pdf, signer, long_term=context))
        print(
            f"PDF ({len(pdf) // 1024} KiB, {PHOTOS} photos): B-B {basic * 1000:.0f} ms, "
            f"B-T+B-LT {lasting * 1000:.0f} ms, ratio {lasting / basic:.1f}x"
        )

        def hash_all() -> None:
            for body in photos:
                hashlib.sha256(body).hexdigest()

        def credential_all() -> None:
            for body in photos:
                facts = CaptureFacts(
                    deposit_reference="PRB-BENCH",
                    capture_session="bench",
                    captured_at=datetime.now(UTC),
                    original_sha256=hashlib.sha256(body).hexdigest(),
                )
                credentialed_copy(body, "image/jpeg", facts, signer)

        hashed = _seconds(hash_all)
        credentialed = _seconds(credential_all)
        print(
            f"{PHOTOS} photos: hashing {hashed * 1000:.1f} ms, C2PA copies "
            f"{credentialed * 1000:.0f} ms ({credentialed / PHOTOS * 1000:.0f} ms a photo), "
            f"ratio {credentialed / hashed:.0f}x"
        )


if __name__ == "__main__":
    main()
