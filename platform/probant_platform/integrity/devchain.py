"""The development chain: an in-process EVM (eth-tester) that survives restarts.

What "development chain" means here: a private EVM chain (chain id 131277322940537) that
exists only on this machine. eth-tester keeps its state in memory, so the chain is defined by
a journal, `<data dir>/dev-chain/journal.jsonl`: one line per block, holding its timestamp
and the signed raw transaction it contains. Every process (API, worker, `probant verify`)
replays the journal into its own eth-tester; genesis is fixed and block hashes are made
deterministic, so every replay yields the same blocks, transaction hashes and block times.
A transaction is appended to the journal (and fsynced) only after eth-tester accepted it;
a crash in between leaves no trace, as if the node had dropped it, and the anchoring job
resends the same signed transaction. Deleting the data folder deletes the chain: anchors
recorded earlier then point at a chain that no longer exists, and verification says so.
Its keys are eth-tester's public test keys: nothing on it proves anything to a third party,
which is why every anchor on it is labelled "development chain — not a public ledger".
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import get_default_genesis_params
from web3 import EthereumTesterProvider, Web3

GENESIS_TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z
DEVELOPMENT_CHAIN_ID = 131_277_322_940_537


class _DeterministicBackend(PyEVMBackend):
    """py-evm mines with a random `mix_hash`; a derived one makes replays identical."""

    def mine_blocks(self, num_blocks: int = 1, coinbase: bytes = b"\0" * 20) -> tuple[bytes, ...]:
        hashes = []
        for _ in range(num_blocks):
            number = self.chain.header.block_number
            mix = hashlib.sha256(b"probant-development-chain:%d" % number).digest()
            hashes.append(self.chain.mine_block(coinbase=coinbase, mix_hash=mix).hash)
        return tuple(hashes)


class DevelopmentChain:
    """One replayed copy of the journal's chain in this process."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.journal = folder / "journal.jsonl"
        self._lock = threading.RLock()
        self._backend = _DeterministicBackend(
            genesis_parameters=get_default_genesis_params({"timestamp": GENESIS_TIMESTAMP})
        )
        self._tester = EthereumTester(backend=self._backend, auto_mine_transactions=True)
        self.web3 = Web3(EthereumTesterProvider(self._tester))
        self._replayed_bytes = 0
        self.private_key = str(self._backend.account_keys[0].to_hex())

    @contextmanager
    def _file_lock(self, exclusive: bool) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "journal.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _apply(self, raw: bytes, block_time: int) -> None:
        self._backend.chain.header = self._backend.chain.header.copy(timestamp=block_time)
        self.web3.eth.send_raw_transaction(raw)

    def _catch_up(self) -> None:
        if not self.journal.exists():
            return
        with open(self.journal, "rb") as handle:
            handle.seek(self._replayed_bytes)
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # a line still being written by another process
                entry = json.loads(line)
                self._apply(bytes.fromhex(entry["raw"]), int(entry["timestamp"]))
                self._replayed_bytes += len(line)

    def sync(self) -> Web3:
        """The chain with every journalled block applied; use before any read."""
        with self._lock, self._file_lock(exclusive=False):
            self._catch_up()
        return self.web3

    def send_raw_transaction(self, raw: bytes) -> str:
        """Mine `raw` in a new block and journal it; a transaction already mined is not resent."""
        with self._lock, self._file_lock(exclusive=True):
            self._catch_up()
            tx_hash = "0x" + Web3.keccak(raw).hex().removeprefix("0x")
            if self._known(tx_hash):
                return tx_hash
            latest = self.web3.eth.get_block("latest")["timestamp"]
            # Rounded up: a block mined in the same second as a sealing must not predate it.
            block_time = max(math.ceil(time.time()), int(latest) + 1)
            self._apply(raw, block_time)
            line = json.dumps({"timestamp": block_time, "raw": raw.hex()}) + "\n"
            with open(self.journal, "ab") as handle:
                handle.write(line.encode())
                handle.flush()
                os.fsync(handle.fileno())
            self._replayed_bytes += len(line.encode())
            return tx_hash

    def _known(self, tx_hash: str) -> bool:
        try:
            self.web3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except Exception:
            return False
        return True

    def rpc(self, method: str, params: list[Any]) -> Any:
        """Answer one read-only JSON-RPC call (the development RPC endpoint)."""
        self.sync()
        with self._lock:
            return self.web3.provider.make_request(method, params)  # type: ignore[arg-type]


_chains: dict[Path, DevelopmentChain] = {}
_chains_lock = threading.Lock()


def development_chain(data_dir: Path) -> DevelopmentChain:
    """This process's copy of the development chain kept in `data_dir`."""
    folder = (data_dir / "dev-chain").resolve()
    with _chains_lock:
        chain = _chains.get(folder)
        if chain is None:
            chain = _chains[folder] = DevelopmentChain(folder)
        return chain
