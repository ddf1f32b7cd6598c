"""A Merkle tree over SHA-256 hashes, with domain separation and inclusion proofs.

Leaves are `SHA-256(0x00 || item_sha256)` and inner nodes `SHA-256(0x01 || left || right)`,
so a leaf can never be passed off as a node (second-preimage attacks). Leaves keep the order
given (the batch's leaf index). A level with an odd number of nodes promotes its last node
unchanged to the next level — it is never paired with a copy of itself, which avoids the
duplicate-leaf ambiguity of CVE-2012-2459. A proof lists, from the leaf up, each sibling and
whether it sits on the left or the right.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"


def leaf_hash(item_sha256: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + item_sha256).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


@dataclass(frozen=True)
class ProofStep:
    sibling: bytes
    sibling_on_left: bool


@dataclass(frozen=True)
class MerkleTree:
    levels: list[list[bytes]]  # levels[0] are the leaf hashes, levels[-1] == [root]

    @property
    def root(self) -> bytes:
        return self.levels[-1][0]

    def proof(self, index: int) -> list[ProofStep]:
        """The sibling path of leaf `index` up to the root."""
        steps: list[ProofStep] = []
        for level in self.levels[:-1]:
            sibling = index ^ 1
            if sibling < len(level):
                steps.append(ProofStep(level[sibling], sibling_on_left=sibling < index))
            index //= 2
        return steps


def build(item_hashes: list[bytes]) -> MerkleTree:
    """The tree of `item_hashes` (raw 32-byte SHA-256 digests), in order."""
    if not item_hashes:
        raise ValueError("a Merkle tree needs at least one leaf")
    if any(len(h) != 32 for h in item_hashes):
        raise ValueError("leaves are 32-byte SHA-256 digests")
    levels = [[leaf_hash(h) for h in item_hashes]]
    while len(levels[-1]) > 1:
        current = levels[-1]
        parents = [node_hash(current[i], current[i + 1]) for i in range(0, len(current) - 1, 2)]
        if len(current) % 2:
            parents.append(current[-1])
        levels.append(parents)
    return MerkleTree(levels)


def root_from_proof(item_sha256: bytes, proof: list[ProofStep]) -> bytes:
    """Walk a proof from an item's hash to the root it implies."""
    current = leaf_hash(item_sha256)
    for step in proof:
        current = (
            node_hash(step.sibling, current)
            if step.sibling_on_left
            else node_hash(current, step.sibling)
        )
    return current


def verify(item_sha256: bytes, proof: list[ProofStep], root: bytes) -> bool:
    return root_from_proof(item_sha256, proof) == root
