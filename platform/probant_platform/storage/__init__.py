"""Blob storage for media originals: write-once, addressed by SHA-256, streamed while hashed."""

from pathlib import Path

from probant_platform.storage.local import LocalBlobStore, StoredBlob, UploadRejected

__all__ = ["LocalBlobStore", "StoredBlob", "UploadRejected", "store_for"]


def store_for(data_dir: Path) -> LocalBlobStore:
    """The media store of a data folder (`<data>/media`)."""
    return LocalBlobStore(data_dir / "media")
