"""Known-answer vectors: fixed leaves give a fixed root and fixed proofs, written out literally.

The other Merkle tests build and check with the same code, so they would pass with any prefix
or pairing rule; these pin the format of docs/verification.md §2 (where the same values are
printed) so a verifier written from the document and Probant always agree.
"""

from __future__ import annotations

import hashlib

import pytest

from probant_platform.integrity.formats import ZERO_ROOT, AnchorPayload
from probant_platform.integrity.merkle import ProofStep, build, root_from_proof

ITEMS = [
    "3a5fe046c6d1ae5e51d0dab39af425e27f554a7228ec5aff73668df4a0a23d00",
    "aa83c872b9c3c894f8229c0bd921730fb59bf0540d8316f0ef19d67357d8dbcd",
    "4dd6df90250fdde8a0a8d0ea8e8365effc8cf69237d69c876e41828ef35259c1",
    "2d5bfc2a56effbfb54e2bd95b698c840befb5dd03fdd83803bea822ea1735443",
    "7372f58ccd098e4f5e3d52ffdbc5ebc3a6069611bdec8181c9fc3c3d41cf7760",
]
LEAVES = [
    "cef506d4f7952a3771a0709d6bd72a3d6772d2abe55a04808e6b2462ce96ad57",
    "87c91a51268cd1d897fa4efe9c075a01ae4abab48cf01c29bae1cdbf1c455bb3",
    "16ef3711579072946ff12dc6a2f176807ffac9e8d8d0dc6afd603c034166ac4f",
    "dcd9cc94619ae62d3cd9512e34ac701852498874d0d777029dcb594e70f44fca",
    "9fad21e8304d9e99c2f9640d02d810be3ab8347665612cd262f34352746859c9",
]
ROOT = "35e7458c02bb867079bd63e4c6b54fcfb7e6d0984a0c430a9b6037ab4777bd10"
NODE_01 = "4683464ebabf150f02e44d2204d342c246ea8619ce1f143e8098e3e88b6fb14c"
NODE_23 = "bc7abe00150d7b545c0623167901afeeff6970e1ecd62bd70b10045aabe8d194"
NODE_0123 = "08d59e36ee70a5649a43f08a15a541655c9ec1c8dca343bfc5be0bc7cec02909"
PROOFS = [
    [("right", LEAVES[1]), ("right", NODE_23), ("right", LEAVES[4])],
    [("left", LEAVES[0]), ("right", NODE_23), ("right", LEAVES[4])],
    [("right", LEAVES[3]), ("left", NODE_01), ("right", LEAVES[4])],
    [("left", LEAVES[2]), ("left", NODE_01), ("right", LEAVES[4])],
    [("left", NODE_0123)],
]


def _steps(proof: list[tuple[str, str]]) -> list[ProofStep]:
    return [ProofStep(bytes.fromhex(sibling), side == "left") for side, sibling in proof]


def _item(index: int) -> bytes:
    return bytes.fromhex(ITEMS[index])


def test_the_vector_items_are_the_hashes_of_their_names() -> None:
    assert [hashlib.sha256(f"probant-vector-{i}".encode()).hexdigest() for i in range(5)] == ITEMS


def test_five_leaves_give_the_published_leaf_hashes_nodes_and_root() -> None:
    tree = build([_item(i) for i in range(5)])

    assert [leaf.hex() for leaf in tree.levels[0]] == LEAVES
    assert [node.hex() for node in tree.levels[1]] == [NODE_01, NODE_23, LEAVES[4]]
    assert [node.hex() for node in tree.levels[2]] == [NODE_0123, LEAVES[4]]
    assert tree.root.hex() == ROOT


@pytest.mark.parametrize("index", range(5))
def test_each_leaf_has_the_published_proof(index: int) -> None:
    tree = build([_item(i) for i in range(5)])

    proof = tree.proof(index)

    assert [("left" if s.sibling_on_left else "right", s.sibling.hex()) for s in proof] == (
        PROOFS[index]
    )


@pytest.mark.parametrize("index", range(5))
def test_the_published_proofs_lead_to_the_published_root(index: int) -> None:
    assert root_from_proof(_item(index), _steps(PROOFS[index])).hex() == ROOT


def test_a_one_leaf_tree_has_its_leaf_hash_as_root() -> None:
    assert build([_item(0)]).root.hex() == LEAVES[0]


ANCHOR_7 = "50524f42414e54010000000000000007" + "ab" * 32 + "00" * 32


def test_the_anchor_input_of_batch_7_is_the_published_80_bytes() -> None:
    payload = AnchorPayload(7, "ab" * 32, ZERO_ROOT)

    assert payload.encode().hex() == ANCHOR_7
    assert AnchorPayload.decode(bytes.fromhex(ANCHOR_7)) == payload


@pytest.mark.parametrize(
    "data",
    [
        "00" * 80,  # right length, no magic
        "50524f42414e5402" + ANCHOR_7[16:],  # format version 2
        ANCHOR_7[:-2],  # one byte short
        ANCHOR_7 + "00",  # one byte long
        "50524f42414e5401",  # the magic alone
    ],
    ids=["no-magic", "version-2", "79-bytes", "81-bytes", "magic-only"],
)
def test_anything_else_is_not_a_probant_anchor(data: str) -> None:
    assert AnchorPayload.decode(bytes.fromhex(data)) is None
