"""The local-folder blob store (the default): originals under `<root>/sha256/ab/cd/<hex>`.

Bytes are spooled to a temporary file while SHA-256 is computed (`spool`: each block
hashed and written in one worker-thread call, `fsync` in a thread too); only a complete body within
the size limit, with the expected hash, and accepted by the caller's check is moved into
place. Any failure (limit, mismatch, refusal, a client that disconnects, cancellation)
removes the temporary, so no partial blob ever exists. An existing original is never
overwritten.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from probant_platform.errors import DomainError


class UploadRejected(DomainError):
    code = "UPLOAD_REJECTED"

    def __init__(self, *, reason: str):
        self.reason = reason
        super().__init__()

    def message(self, locale: str | None) -> str:
        return self.reason


@dataclass(frozen=True)
class StoredBlob:
    key: str
    sha256: str
    size: int


Check = Callable[[Path], None]


def key_for(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


BLOCK_BYTES = 1024 * 1024  # what one worker-thread call hashes and writes
MAX_PIECES = 512  # pieces per block (below the system's IOV_MAX of 1024 for `writev`)


def _write_all(fd: int, pieces: list[bytes]) -> None:
    """`writev` the pieces (the file gets them without their being joined); a short write
    (rare on a regular file) finishes piece by piece."""
    written = os.writev(fd, pieces)
    for piece in pieces:
        if written >= len(piece):
            written -= len(piece)
            continue
        view = memoryview(piece)[written:]
        written = 0
        while view:
            view = view[os.write(fd, view) :]


async def _in_thread(fn: Callable[..., None], *args: object) -> None:
    """`fn(*args)` in a worker thread; a cancelled caller still waits for the call to end, so
    that the file descriptor it uses is never closed (and reused) under it."""
    future = asyncio.get_running_loop().run_in_executor(None, fn, *args)
    try:
        await asyncio.shield(future)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await future
        raise


async def spool(
    *,
    folder: Path,
    chunks: AsyncIterator[bytes],
    max_bytes: int,
    expected_sha256: str | None,
) -> tuple[Path, str, int]:
    """Write a stream to a temporary file while hashing it; refuse empty, oversize or
    mismatched bodies. The caller owns (and must remove) the returned file.

    The pieces received are gathered, not copied, into blocks of about `BLOCK_BYTES`; each
    block is hashed and written in one worker-thread call (hashlib and `writev` release the
    GIL), and the final `fsync` runs in a thread too: the event loop only hands blocks over.
    At most one block per upload is held in memory."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (metadata only)
    fd, temp_name = tempfile.mkstemp(dir=folder)
    temp = Path(temp_name)
    try:
        hasher, size = hashlib.sha256(), 0

        def absorb(pieces: list[bytes]) -> None:
            for piece in pieces:
                hasher.update(piece)
            _write_all(fd, pieces)

        try:
            pieces: list[bytes] = []
            pending = 0
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(reason="TOO_LARGE")
                if not chunk:
                    continue
                pieces.append(chunk)
                pending += len(chunk)
                if pending >= BLOCK_BYTES or len(pieces) >= MAX_PIECES:
                    await _in_thread(absorb, pieces)
                    pieces, pending = [], 0
            if pieces:
                await _in_thread(absorb, pieces)
            await _in_thread(os.fsync, fd)
        finally:
            os.close(fd)
        digest = hasher.hexdigest()
        if size == 0:
            raise UploadRejected(reason="EMPTY")
        if expected_sha256 is not None and digest != expected_sha256:
            raise UploadRejected(reason="HASH_MISMATCH")
        return temp, digest, size
    except BaseException:
        temp.unlink(missing_ok=True)  # noqa: ASYNC240 (metadata only)
        raise


def _place(temp: Path, final: Path) -> None:
    """Move a complete temporary into place, read-only; an existing original is kept."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        temp.unlink()
    else:
        os.replace(temp, final)
        final.chmod(0o440)


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = root

    def path_of(self, key: str) -> Path:
        return self.root / key

    async def put_stream(
        self,
        *,
        chunks: AsyncIterator[bytes],
        max_bytes: int,
        expected_sha256: str | None,
        check: Check | None = None,
    ) -> StoredBlob:
        """Store a stream once; `check(path)` may inspect the complete file and raise to refuse
        it. UploadRejected says TOO_LARGE, EMPTY or HASH_MISMATCH. A refusal stores nothing."""
        temp, digest, size = await spool(
            folder=self.root / "staging",
            chunks=chunks,
            max_bytes=max_bytes,
            expected_sha256=expected_sha256,
        )
        try:
            if check is not None:
                await asyncio.to_thread(check, temp)
            key = key_for(digest)
            await asyncio.to_thread(_place, temp, self.path_of(key))
            return StoredBlob(key=key, sha256=digest, size=size)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    @asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        """A local path to read the blob from (the file itself, for this backend)."""
        yield self.path_of(key)

    async def open_stream(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        with self.path_of(key).open("rb") as handle:
            while chunk := await asyncio.to_thread(handle.read, chunk_size):
                yield chunk

    async def exists(self, key: str) -> bool:
        return self.path_of(key).exists()

    async def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)
