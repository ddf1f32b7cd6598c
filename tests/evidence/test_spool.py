"""The blob store's spooling: pieces gathered into blocks, hashed and written in one thread
call per block, whatever the pieces' sizes, and nothing left behind on a refusal."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from probant_platform.storage import UploadRejected, local


async def _pieces(sizes: list[int], seen: bytearray) -> AsyncIterator[bytes]:
    for size in sizes:
        piece = secrets.token_bytes(size)
        seen += piece
        yield piece


@pytest.mark.parametrize(
    "sizes",
    [
        [65536] * 40,  # 16 pieces a block: 2.5 blocks
        [1] * 1500 + [3 * 1024 * 1024],  # more pieces than one writev takes, then a big one
        [0, 7, 0, 2 * 1024 * 1024 + 5],
    ],
)
async def test_every_byte_is_written_and_hashed_once_in_order(
    tmp_path: Path, sizes: list[int]
) -> None:
    sent = bytearray()
    path, digest, size = await local.spool(
        folder=tmp_path, chunks=_pieces(sizes, sent), max_bytes=1 << 30, expected_sha256=None
    )
    assert path.read_bytes() == sent
    assert (digest, size) == (hashlib.sha256(sent).hexdigest(), len(sent))


async def test_a_short_write_is_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.writev
    monkeypatch.setattr(local.os, "writev", lambda fd, pieces: real(fd, [pieces[0][:10]]))
    sent = bytearray()
    path, digest, _ = await local.spool(
        folder=tmp_path,
        chunks=_pieces([100, 200, 65536], sent),
        max_bytes=1 << 20,
        expected_sha256=None,
    )
    assert path.read_bytes() == sent
    assert digest == hashlib.sha256(sent).hexdigest()


async def test_a_refused_body_leaves_no_file(tmp_path: Path) -> None:
    sent = bytearray()
    with pytest.raises(UploadRejected) as refused:
        await local.spool(
            folder=tmp_path,
            chunks=_pieces([65536] * 40, sent),
            max_bytes=1024 * 1024,
            expected_sha256=None,
        )
    assert refused.value.reason == "TOO_LARGE"
    with pytest.raises(UploadRejected) as mismatch:
        await local.spool(
            folder=tmp_path,
            chunks=_pieces([1000], sent),
            max_bytes=1024 * 1024,
            expected_sha256="0" * 64,
        )
    assert mismatch.value.reason == "HASH_MISMATCH"
    assert os.listdir(tmp_path) == []
