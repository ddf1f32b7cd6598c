"""The public formats of Probant's proofs, importable without the platform's heavy parts.

A verifier needs these and nothing of the database, web3 or the renderer (docs/verification.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from probant_platform.moments import timestamp  # noqa: F401  (re-exported: the proof format)

BUNDLE_FORMAT = "probant-proof-bundle"
BUNDLE_VERSION = 2
# Version 2 only adds fields (batch timestamps): a version 1 reader may read its v1 parts.
READABLE_VERSIONS = (1, 2)
ZERO_ROOT = "0" * 64
ANCHOR_MAGIC = b"PROBANT\x01"
ANCHOR_LENGTH = len(ANCHOR_MAGIC) + 8 + 32 + 32
DEVELOPMENT_LABEL = {
    "fr": "chaîne de développement — pas un registre public",
    "en": "development chain — not a public ledger",
}


@dataclass(frozen=True)
class AnchorPayload:
    """The 80 bytes of an anchoring transaction's data."""

    sequence: int
    root: str
    previous_root: str

    def encode(self) -> bytes:
        return (
            ANCHOR_MAGIC
            + self.sequence.to_bytes(8, "big")
            + bytes.fromhex(self.root)
            + bytes.fromhex(self.previous_root)
        )

    @classmethod
    def decode(cls, data: bytes) -> AnchorPayload | None:
        if len(data) != ANCHOR_LENGTH or not data.startswith(ANCHOR_MAGIC):
            return None
        body = data[len(ANCHOR_MAGIC) :]
        return cls(
            sequence=int.from_bytes(body[:8], "big"),
            root=body[8:40].hex(),
            previous_root=body[40:72].hex(),
        )
