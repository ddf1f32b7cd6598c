"""`POST /dev-chain/rpc`: a read-only JSON-RPC view of the development chain.

Lets `probant verify --rpc http://…/dev-chain/rpc` and any Ethereum client check anchors on
the development chain the way they would on a public one. Served only when no chain is
configured and never in production; it answers reads only (nothing can be sent through it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from hexbytes import HexBytes
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from web3 import Web3
from web3.exceptions import BlockNotFound, TransactionNotFound

from probant_platform.integrity.devchain import development_chain

MAX_BODY = 10_000


def _quantity(value: str) -> Any:
    return value if value in ("latest", "earliest", "pending") else int(value, 16)


def _wire(value: Any) -> Any:
    """web3's Python values back to JSON-RPC wire form (hex quantities and data)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, bytes | bytearray | HexBytes):
        return "0x" + bytes(value).hex()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {key: _wire(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_wire(item) for item in value]
    return str(value)


METHODS: dict[str, Callable[[Web3, list[Any]], Any]] = {
    "eth_chainId": lambda w3, p: w3.eth.chain_id,
    "net_version": lambda w3, p: str(w3.eth.chain_id),
    "eth_blockNumber": lambda w3, p: w3.eth.block_number,
    "eth_getTransactionByHash": lambda w3, p: w3.eth.get_transaction(p[0]),
    "eth_getTransactionReceipt": lambda w3, p: w3.eth.get_transaction_receipt(p[0]),
    "eth_getBlockByNumber": lambda w3, p: w3.eth.get_block(
        _quantity(p[0]), bool(p[1]) if len(p) > 1 else False
    ),
    "eth_getBlockByHash": lambda w3, p: w3.eth.get_block(p[0], bool(p[1]) if len(p) > 1 else False),
}


def _answer(data_dir: Any, method: str, params: list[Any]) -> Any:
    w3 = development_chain(data_dir).sync()
    try:
        return _wire(METHODS[method](w3, params))
    except (TransactionNotFound, BlockNotFound):
        return None


async def rpc(request: Request) -> Response:
    settings = request.app.state.runtime.settings
    if settings.chain_rpc_url or settings.is_production:
        return Response(status_code=404)
    body = await request.body()
    if len(body) > MAX_BODY:
        return Response(status_code=413)
    try:
        call = await request.json()
        method, params, ident = call["method"], list(call.get("params") or []), call.get("id")
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"jsonrpc": "2.0", "id": None, "error": _error(-32700, "bad request")})
    if method not in METHODS:
        return JSONResponse(
            {"jsonrpc": "2.0", "id": ident, "error": _error(-32601, "read-only: method refused")}
        )
    try:
        result = await asyncio.to_thread(_answer, settings.data_dir, method, params)
    except (ValueError, TypeError, IndexError) as exc:
        return JSONResponse(
            {"jsonrpc": "2.0", "id": ident, "error": _error(-32602, type(exc).__name__)}
        )
    return JSONResponse({"jsonrpc": "2.0", "id": ident, "result": result})


def _error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message}
