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
from functools import cached_property
from typing import NamedTuple

LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"


def leaf_hash(item_sha256: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + item_sha256).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


class ProofStep(NamedTuple):
    sibling: bytes
    sibling_on_left: bool


@dataclass(frozen=True)
class MerkleTree:
    levels: list[list[bytes]]  # levels[0] are the leaf hashes, levels[-1] == [root]

    @property
    def root(self) -> bytes:
        return self.levels[-1][0]

    @cached_property
    def _steps(self) -> list[list[ProofStep | None]]:
        """For every node below the root, the step to its parent (None when promoted alone)."""
        steps: list[list[ProofStep | None]] = []
        for level in self.levels[:-1]:
            count = len(level)
            row: list[ProofStep | None] = [
                ProofStep(level[i ^ 1], bool(i & 1)) if (i ^ 1) < count else None
                for i in range(count)
            ]
            steps.append(row)
        return steps

    def proof(self, index: int) -> list[ProofStep]:
        """The sibling path of leaf `index` up to the root."""
        if not 0 <= index < len(self.levels[0]):
            raise IndexError(f"no leaf {index} in a tree of {len(self.levels[0])}")
        path = []
        for depth, row in enumerate(self._steps):
            step = row[index >> depth]
            if step is not None:
                path.append(step)
        return path

    def proofs(self) -> list[list[ProofStep]]:
        """Every leaf's proof, in leaf order (faster than calling `proof` for each)."""
        return [self.proof(i) for i in range(len(self.levels[0]))]


def build(item_hashes: list[bytes]) -> MerkleTree:
    """The tree of `item_hashes` (raw 32-byte SHA-256 digests), in order."""
    if not item_hashes:
        raise ValueError("a Merkle tree needs at least one leaf")
    if any(len(h) != 32 for h in item_hashes):
        raise ValueError("leaves are 32-byte SHA-256 digests")
    sha256 = hashlib.sha256
    levels = [[sha256(LEAF_PREFIX + h).digest() for h in item_hashes]]
    while len(levels[-1]) > 1:
        current = levels[-1]
        parents = [
            sha256(NODE_PREFIX + left + right).digest()
            for left, right in zip(current[0::2], current[1::2], strict=False)
        ]
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
