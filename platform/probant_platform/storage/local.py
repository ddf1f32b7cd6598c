"""The local-folder blob store (the default): originals under `<data>/media/sha256/ab/cd/<hex>`.

Bytes are written to a temporary file in the same folder while SHA-256 is computed; only a
complete body within the size limit and with the expected hash is renamed into place. Any
failure (limit, mismatch, a client that disconnects, cancellation) removes the temporary, so
no partial blob ever exists. An existing original is never overwritten.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
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
    path: Path


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = root

    def path_of(self, key: str) -> Path:
        return self.root / key

    @staticmethod
    def key_for(sha256: str) -> str:
        return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    async def put_stream(
        self, *, chunks: AsyncIterator[bytes], max_bytes: int, expected_sha256: str | None
    ) -> StoredBlob:
        """Store a stream once; raises UploadRejected with TOO_LARGE, EMPTY or HASH_MISMATCH."""
        staging = self.root / "staging"
        staging.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=staging)
        temp = Path(temp_name)
        try:
            digest, size = await self._write(fd, chunks, max_bytes)
            if size == 0:
                raise UploadRejected(reason="EMPTY")
            if expected_sha256 is not None and digest != expected_sha256:
                raise UploadRejected(reason="HASH_MISMATCH")
            key = self.key_for(digest)
            final = self.path_of(key)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                temp.unlink()  # noqa: ASYNC240 (metadata only)
            else:
                os.replace(temp, final)
                final.chmod(0o440)
            return StoredBlob(key=key, sha256=digest, size=size, path=final)
        except BaseException:
            temp.unlink(missing_ok=True)  # noqa: ASYNC240 (metadata only)
            raise

    async def _write(
        self, fd: int, chunks: AsyncIterator[bytes], max_bytes: int
    ) -> tuple[str, int]:
        hasher = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as handle:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(reason="TOO_LARGE")
                hasher.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
            handle.flush()
            os.fsync(handle.fileno())
        return hasher.hexdigest(), size

    async def open_stream(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        with self.path_of(key).open("rb") as handle:
            while chunk := await asyncio.to_thread(handle.read, chunk_size):
                yield chunk

    def exists(self, key: str) -> bool:
        return self.path_of(key).exists()

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)
