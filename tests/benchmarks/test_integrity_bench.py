"""Integrity benchmarks (pytest-benchmark): the certified report with 20 photos, and one chain
transaction per batch whatever its size. The Merkle figures are in test_merkle_bench.py.

Targets (docs/benchmarks.md): render + sign a 20-photo report < 2 s; the anchor of a batch is
one 80-byte transaction, the same for 1 or 100,000 leaves.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from probant_platform.config import Settings
from probant_platform.documents import pki
from probant_platform.documents.render import qr_code_svg
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.integrity import merkle
from probant_platform.integrity.certificates import build_pdf
from probant_platform.integrity.chain import AnchorChain, AnchorPayload
from probant_platform.integrity.devchain import DevelopmentChain
from probant_platform.integrity.records import ZERO_ROOT


@pytest.fixture(scope="module")
def report_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from PIL import Image

    data = tmp_path_factory.mktemp("bench-data")
    settings = Settings(PROBANT_DATA_DIR=data)  # type: ignore[call-arg]
    assets: dict[str, bytes] = {"qr.svg": qr_code_svg("http://127.0.0.1:8000/verify/PRB-BENCH")}
    items = []
    for number in range(1, 21):
        photo = data / f"{number}.jpg"
        photo.write_bytes(photo_jpeg(seed=number, width=1600, height=1200))
        with Image.open(photo) as image:
            image.thumbnail((320, 320))
            thumb = data / f"t{number}.jpg"
            image.save(thumb, "JPEG", quality=80)
        assets[f"thumb-{number}.jpg"] = thumb.read_bytes()
        items.append(
            {
                "thumbnail": f"thumb-{number}.jpg",
                "media_type": "image/jpeg",
                "size": photo.stat().st_size,
                "sha256": hashlib.sha256(photo.read_bytes()).hexdigest(),
                "captured_at": "22/11/2026 10:41:07",
                "received_at": "22/11/2026 10:41:08",
                "clock_skew_flagged": False,
                "location": "48.856600, 2.352200 (± 12 m)",
                "comment": "Fissure visible sur le mur nord.",
            }
        )
    deposit = SimpleNamespace(
        reference="PRB-BENCH",
        title="Dégât des eaux, cuisine",
        signature_name="Camille Martin",
        description="",
    )
    author = SimpleNamespace(organisation_name="Cabinet Lefèvre", full_name="Camille Martin")
    context = {
        "deposit": deposit,
        "author": author,
        "address": "12 rue de Rivoli, 75004 Paris",
        "sealed_at": "22/11/2026 10:42:00",
        "items": items,
        "signature_image": False,
        "anchors": [
            {
                "sequence": 7,
                "root": "ab" * 32,
                "chain_id": 131277322940537,
                "development": True,
                "tx_hash": "0x" + "cd" * 32,
                "block_number": 7,
                "block_time": "22/11/2026 10:43:00",
            }
        ],
        "verification_url": "http://127.0.0.1:8000/verify/PRB-BENCH",
    }
    return {"signer": pki.platform_signer(settings), "context": context, "assets": assets}


def test_render_and_sign_a_report_of_20_photos(benchmark: Any, report_inputs: Any) -> None:
    pdf = benchmark.pedantic(
        lambda: build_pdf(locale="fr", **report_inputs), rounds=3, iterations=1
    )
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("leaves", [1, 10_000, 100_000])
def test_one_transaction_per_batch_whatever_its_size(
    benchmark: Any, tmp_path: Path, leaves: int
) -> None:
    chain = DevelopmentChain(tmp_path / "dev-chain")
    anchor = AnchorChain(
        chain.sync,
        private_key=chain.private_key,
        development=True,
        send_raw=chain.send_raw_transaction,
    )
    hashes = [hashlib.sha256(str(i).encode()).digest() for i in range(leaves)]
    sequence = iter(range(1, 1_000))

    def build_and_anchor() -> str:
        root = merkle.build(hashes).root.hex()
        payload = AnchorPayload(next(sequence), root, ZERO_ROOT)
        raw, _ = anchor.sign_anchor(payload, nonce=anchor.pending_nonce())
        return anchor.send(raw)

    tx_hash = benchmark.pedantic(build_and_anchor, rounds=3, iterations=1)
    w3 = chain.sync()
    receipt = w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
    block = w3.eth.get_block(receipt["blockNumber"])
    assert len(block["transactions"]) == 1
    assert len(bytes(w3.eth.get_transaction(tx_hash)["input"])) == 80  # type: ignore[arg-type]
    benchmark.extra_info["gas_used"] = receipt["gasUsed"]
    benchmark.extra_info["transactions"] = w3.eth.block_number  # one per anchored batch
    assert w3.eth.block_number == 3  # three rounds, three batches, three transactions
    assert datetime.now(UTC).year >= 2026
