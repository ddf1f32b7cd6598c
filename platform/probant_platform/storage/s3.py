"""The S3-compatible blob store (production): same contract as the local one.

The body is spooled to a local temporary file while hashed and checked, then uploaded with
boto3's managed (multipart) transfer, so memory stays bounded whatever the size; an object
already stored under the same SHA-256 is never overwritten.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from probant_platform.storage.local import Check, StoredBlob, key_for, spool


class S3BlobStore:
    def __init__(self, *, bucket: str, prefix: str, client: Any, staging: Path):
        self.bucket, self.prefix, self.client, self.staging = (
            bucket,
            prefix.strip("/"),
            client,
            staging,
        )

    @classmethod
    def from_options(
        cls,
        *,
        bucket: str,
        prefix: str,
        endpoint_url: str | None,
        region: str | None,
        staging: Path,
    ) -> S3BlobStore:
        client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
        return cls(bucket=bucket, prefix=prefix, client=client, staging=staging)

    def _object(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    async def put_stream(
        self,
        *,
        chunks: AsyncIterator[bytes],
        max_bytes: int,
        expected_sha256: str | None,
        check: Check | None = None,
    ) -> StoredBlob:
        temp, digest, size = await spool(
            folder=self.staging, chunks=chunks, max_bytes=max_bytes, expected_sha256=expected_sha256
        )
        try:
            if check is not None:
                await asyncio.to_thread(check, temp)
            key = key_for(digest)
            if not await self.exists(key):
                await asyncio.to_thread(
                    self.client.upload_file, str(temp), self.bucket, self._object(key)
                )
            return StoredBlob(key=key, sha256=digest, size=size)
        finally:
            temp.unlink(missing_ok=True)

    @asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        self.staging.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.staging) as folder:
            path = Path(folder) / "blob"
            await asyncio.to_thread(
                self.client.download_file, self.bucket, self._object(key), str(path)
            )
            yield path

    async def open_stream(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        response = await asyncio.to_thread(
            self.client.get_object, Bucket=self.bucket, Key=self._object(key)
        )
        body = response["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, chunk_size):
                yield chunk
        finally:
            body.close()

    async def exists(self, key: str) -> bool:
        try:
            await asyncio.to_thread(
                self.client.head_object, Bucket=self.bucket, Key=self._object(key)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(
            self.client.delete_object, Bucket=self.bucket, Key=self._object(key)
        )
