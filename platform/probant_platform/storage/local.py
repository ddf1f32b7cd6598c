"""The local-folder blob store (the default): originals under `<root>/sha256/ab/cd/<hex>`.

Bytes are spooled to a temporary file while SHA-256 is computed (each block hashed and
written in one worker-thread call, the final `fsync` in a thread too: the event loop only
hands blocks over); only a complete body within
the size limit, with the expected hash, and accepted by the caller's check is moved into
place. Any failure (limit, mismatch, refusal, a client that disconnects, cancellation)
removes the temporary, so no partial blob ever exists. An existing original is never
overwritten.
"""

from __future__ import annotations

import asyncio
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


async def spool(
    *,
    folder: Path,
    chunks: AsyncIterator[bytes | bytearray],
    max_bytes: int,
    expected_sha256: str | None,
) -> tuple[Path, str, int]:
    """Write a stream to a temporary file while hashing it; refuse empty, oversize or
    mismatched bodies. The caller owns (and must remove) the returned file."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (metadata only)
    fd, temp_name = tempfile.mkstemp(dir=folder)
    temp = Path(temp_name)
    try:
        hasher, size = hashlib.sha256(), 0
        # Unbuffered: each block goes straight to the file, not through a second buffer.
        with os.fdopen(fd, "wb", buffering=0) as handle:

            def absorb(block: bytes | bytearray) -> None:
                # One thread hop per block for both: hashlib and the write release the GIL.
                hasher.update(block)
                view = memoryview(block)
                while view:
                    view = view[handle.write(view) or 0 :]

            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(reason="TOO_LARGE")
                await asyncio.to_thread(absorb, chunk)
            await asyncio.to_thread(os.fsync, handle.fileno())
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
        chunks: AsyncIterator[bytes | bytearray],
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
