"""Reading the development chain back in tests: which transactions carry a given root."""

from __future__ import annotations

from pathlib import Path

from probant_platform.integrity.chain import AnchorPayload
from probant_platform.integrity.devchain import development_chain


def transactions_carrying(data_dir: Path, root: str) -> list[str]:
    """Every transaction hash on the development chain whose anchor data holds `root`."""
    w3 = development_chain(data_dir).sync()
    found = []
    for number in range(1, w3.eth.block_number + 1):
        for tx in w3.eth.get_block(number, full_transactions=True)["transactions"]:
            payload = AnchorPayload.decode(bytes(tx.get("input") or tx.get("data") or b""))  # type: ignore[union-attr]
            if payload is not None and payload.root == root:
                found.append("0x" + bytes(tx["hash"]).hex())  # type: ignore[index]
    return found
