"""Writing batch roots on an EVM chain and reading them back, through web3.

An anchor is a zero-value transaction from the platform's account to itself whose data is
80 bytes: `PROBANT\\x01` (magic and format version), the batch sequence number (8 bytes,
big-endian), the batch root (32 bytes) and the previous batch's root (32 bytes). Anyone can
read it with any Ethereum client (`eth_getTransactionByHash`, field `input`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eth_account import Account
from hexbytes import HexBytes
from web3 import HTTPProvider, Web3
from web3.exceptions import TransactionNotFound

from probant_platform.config import Settings
from probant_platform.integrity.devchain import development_chain
from probant_platform.integrity.formats import (  # noqa: F401  (re-exported)
    ANCHOR_LENGTH,
    ANCHOR_MAGIC,
    DEVELOPMENT_LABEL,
    AnchorPayload,
)

RPC_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class ChainTransaction:
    tx_hash: str
    sender: str
    data: bytes
    block_number: int | None
    block_hash: str | None


@dataclass(frozen=True)
class ChainBlock:
    number: int
    hash: str
    time: datetime


def _hex(value: Any) -> str:
    text = value.hex() if isinstance(value, bytes | bytearray) else str(value)
    return text if text.startswith("0x") else "0x" + text


class ChainReader:
    """Read-only access to a chain: what a verifier needs."""

    def __init__(self, web3: Callable[[], Web3], *, development: bool):
        self._web3 = web3
        self.development = development

    @property
    def chain_id(self) -> int:
        return int(self._web3().eth.chain_id)

    def head(self) -> int:
        return int(self._web3().eth.block_number)

    def transaction(self, tx_hash: str) -> ChainTransaction | None:
        w3 = self._web3()
        try:
            tx = w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None
        number = tx.get("blockNumber")
        block_hash = tx.get("blockHash")
        return ChainTransaction(
            tx_hash=_hex(tx["hash"]),
            sender=str(tx["from"]),
            data=bytes(HexBytes(tx.get("input") or tx.get("data") or b"")),
            block_number=int(number) if number is not None else None,
            block_hash=_hex(block_hash) if block_hash is not None else None,
        )

    def block(self, number: int) -> ChainBlock:
        block = self._web3().eth.get_block(number)
        return ChainBlock(
            number=int(block["number"]),
            hash=_hex(block["hash"]),
            time=datetime.fromtimestamp(int(block["timestamp"]), UTC),
        )


class AnchorChain(ChainReader):
    """A chain the platform writes anchors on, with its account."""

    def __init__(
        self,
        web3: Callable[[], Web3],
        *,
        private_key: str,
        development: bool,
        send_raw: Callable[[bytes], str] | None = None,
    ):
        super().__init__(web3, development=development)
        self._account = Account.from_key(private_key)
        self._send_raw = send_raw

    @property
    def address(self) -> str:
        return str(self._account.address)

    def pending_nonce(self) -> int:
        return int(self._web3().eth.get_transaction_count(self._account.address, "pending"))

    def sign_anchor(self, payload: AnchorPayload, *, nonce: int) -> tuple[bytes, str]:
        """The signed raw transaction carrying `payload`, and its hash (nothing is sent)."""
        w3 = self._web3()
        tx: dict[str, Any] = {
            "to": self.address,
            "value": 0,
            "data": payload.encode(),
            "nonce": nonce,
            "chainId": int(w3.eth.chain_id),
        }
        estimate: Any = {**tx, "from": self.address}
        tx["gas"] = int(w3.eth.estimate_gas(estimate) * 12 // 10)
        base_fee = w3.eth.get_block("latest").get("baseFeePerGas")
        if base_fee is not None:
            try:
                tip = int(w3.eth.max_priority_fee)
            except Exception:
                tip = 1_000_000_000
            tx["maxPriorityFeePerGas"] = tip
            tx["maxFeePerGas"] = int(base_fee) * 2 + tip
        else:
            tx["gasPrice"] = int(w3.eth.gas_price)
        signed = self._account.sign_transaction(tx)
        return bytes(signed.raw_transaction), _hex(signed.hash)

    def send(self, raw: bytes) -> str:
        if self._send_raw is not None:
            return self._send_raw(raw)
        return _hex(self._web3().eth.send_raw_transaction(raw))


def rpc_reader(url: str) -> ChainReader:
    w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": RPC_TIMEOUT_SECONDS}))
    return ChainReader(lambda: w3, development=False)


def anchor_chain(settings: Settings) -> AnchorChain:
    """The configured chain, or the development chain kept in the data folder."""
    if settings.chain_rpc_url:
        if settings.chain_private_key is None:
            raise RuntimeError("PROBANT_CHAIN_PRIVATE_KEY is required with PROBANT_CHAIN_RPC_URL")
        w3 = Web3(HTTPProvider(settings.chain_rpc_url, request_kwargs={"timeout": 30}))
        return AnchorChain(
            lambda: w3,
            private_key=settings.chain_private_key.get_secret_value(),
            development=False,
        )
    if settings.is_production:
        raise RuntimeError("PROBANT_CHAIN_RPC_URL is required when PROBANT_ENV=production")
    dev = development_chain(settings.data_dir)
    return AnchorChain(
        dev.sync, private_key=dev.private_key, development=True, send_raw=dev.send_raw_transaction
    )
