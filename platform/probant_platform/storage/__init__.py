"""Blob storage for media originals: write-once, addressed by SHA-256, streamed while hashed.

`PROBANT_STORAGE_URL` chooses the backend: unset → `<data>/media`; `file:///path` → that
folder; `s3://bucket/prefix?endpoint_url=…&region=…` → an S3-compatible store (credentials
from the usual AWS environment variables).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from probant_platform.config import Settings
from probant_platform.storage.local import LocalBlobStore, StoredBlob, UploadRejected
from probant_platform.storage.s3 import S3BlobStore

__all__ = [
    "BlobStore",
    "LocalBlobStore",
    "S3BlobStore",
    "StoredBlob",
    "UploadRejected",
    "store_for",
]


BlobStore = LocalBlobStore | S3BlobStore


def store_for(settings: Settings) -> BlobStore:
    """The blob store configured by `settings` (one per process and configuration)."""
    return _store(settings.storage_url, settings.data_dir)


@lru_cache
def _store(url: str | None, data_dir: Path) -> BlobStore:
    if not url:
        return LocalBlobStore(data_dir / "media")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalBlobStore(Path(parts.path))
    if parts.scheme == "s3":
        options = {k: v[0] for k, v in parse_qs(parts.query).items()}
        return S3BlobStore.from_options(
            bucket=parts.netloc,
            prefix=parts.path,
            endpoint_url=options.get("endpoint_url"),
            region=options.get("region"),
            staging=data_dir / "staging",
        )
    raise ValueError(f"unsupported PROBANT_STORAGE_URL scheme: {parts.scheme}")
