"""Merkle proofs: every leaf proves into the root; any tampering is detected."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probant_platform.integrity.merkle import (
    ProofStep,
    build,
    leaf_hash,
    node_hash,
    root_from_proof,
    verify,
)


def items(count: int) -> list[bytes]:
    return [hashlib.sha256(f"item-{i}".encode()).digest() for i in range(count)]


def test_a_single_leaf_is_its_own_root_and_needs_no_proof() -> None:
    [only] = items(1)
    tree = build([only])
    assert tree.root == leaf_hash(only)
    assert tree.proof(0) == []
    assert verify(only, [], tree.root)


def test_ten_thousand_and_one_leaves_all_prove_into_the_root() -> None:
    hashes = items(10_001)
    tree = build(hashes)
    for index in (0, 1, 4_999, 10_000):
        assert verify(hashes[index], tree.proof(index), tree.root)
    assert len(tree.proof(10_000)) < len(tree.proof(0))  # the odd last leaf is promoted


@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_leaf_of_any_tree_verifies(count: int, data: st.DataObject) -> None:
    hashes = items(count)
    tree = build(hashes)
    index = data.draw(st.integers(min_value=0, max_value=count - 1))
    assert verify(hashes[index], tree.proof(index), tree.root)


def test_tampering_is_detected() -> None:
    hashes = items(9)
    tree = build(hashes)
    proof = tree.proof(3)
    flipped = bytes([hashes[3][0] ^ 1]) + hashes[3][1:]
    swapped = [ProofStep(hashlib.sha256(b"other").digest(), proof[0].sibling_on_left), *proof[1:]]
    sides = [ProofStep(proof[0].sibling, not proof[0].sibling_on_left), *proof[1:]]
    assert not verify(flipped, proof, tree.root)
    assert not verify(hashes[3], swapped, tree.root)
    assert not verify(hashes[3], sides, tree.root)
    assert not verify(hashes[3], proof, build(items(10)).root)


def test_a_node_cannot_pass_for_a_leaf() -> None:
    hashes = items(2)
    tree = build(hashes)
    inner = node_hash(leaf_hash(hashes[0]), leaf_hash(hashes[1]))
    assert tree.root == inner
    assert root_from_proof(inner, []) != tree.root  # domain separation


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one leaf"):
        build([])
    with pytest.raises(ValueError, match="32-byte"):
        build([b"short"])


@pytest.mark.parametrize("index", [-1, 5, 6])
def test_a_leaf_outside_the_tree_has_no_proof(index: int) -> None:
    tree = build(items(5))

    with pytest.raises(IndexError, match=rf"^no leaf {index} in a tree of 5$"):
        tree.proof(index)


def test_a_tree_needs_leaves_of_32_bytes() -> None:
    with pytest.raises(ValueError, match=r"^a Merkle tree needs at least one leaf$"):
        build([])
    with pytest.raises(ValueError, match=r"^leaves are 32-byte SHA-256 digests$"):
        build([b"\x00" * 31])
