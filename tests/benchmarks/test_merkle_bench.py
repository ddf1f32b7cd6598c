"""Merkle tree of 100,000 leaves with every proof, against plain SHA-256 of the same leaves."""

from __future__ import annotations

import hashlib
from typing import Any

from probant_platform.integrity.merkle import build, verify

LEAVES = [hashlib.sha256(str(i).encode()).digest() for i in range(100_000)]


def test_baseline_hash_every_leaf(benchmark: Any) -> None:
    benchmark(lambda: [hashlib.sha256(b"\x00" + h).digest() for h in LEAVES])


def test_tree_with_all_proofs(benchmark: Any) -> None:
    def run() -> int:
        tree = build(LEAVES)
        return sum(len(tree.proof(i)) for i in range(len(LEAVES)))

    assert benchmark(run) > 0


def test_verify_one_proof(benchmark: Any) -> None:
    tree = build(LEAVES)
    proof = tree.proof(12_345)
    assert benchmark(lambda: verify(LEAVES[12_345], proof, tree.root))
