"""Both blob stores keep the same promises: write-once, hash-checked, nothing partial.

The S3 store runs against moto in server mode: a real HTTP endpoint on this machine.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import boto3
import pytest

from probant_platform.storage import LocalBlobStore, S3BlobStore, UploadRejected
from probant_platform.storage.local import key_for


@pytest.fixture(params=["local", "s3"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> LocalBlobStore | S3BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "media")
    endpoint = request.getfixturevalue("moto_endpoint")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(name, value)
    bucket = f"probant-{secrets.token_hex(6)}"
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    return S3BlobStore.from_options(
        bucket=bucket,
        prefix="originals",
        endpoint_url=endpoint,
        region="eu-west-3",
        staging=tmp_path / "staging",
    )


async def chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def staged_files(store: LocalBlobStore | S3BlobStore) -> list[Path]:
    folder = store.root / "staging" if isinstance(store, LocalBlobStore) else store.staging
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


async def test_round_trip(store: LocalBlobStore | S3BlobStore) -> None:
    data = b"evidence " * 5000
    blob = await store.put_stream(
        chunks=chunks(data), max_bytes=10**6, expected_sha256=hashlib.sha256(data).hexdigest()
    )
    assert blob.sha256 == hashlib.sha256(data).hexdigest() and blob.size == len(data)
    assert b"".join([c async for c in store.open_stream(blob.key)]) == data
    async with store.local_copy(blob.key) as path:
        assert path.read_bytes() == data
    assert await store.exists(blob.key)
    await store.delete(blob.key)
    assert not await store.exists(blob.key)


async def test_the_same_content_is_stored_once(store: LocalBlobStore | S3BlobStore) -> None:
    data = b"same bytes"
    first = await store.put_stream(chunks=chunks(data), max_bytes=100, expected_sha256=None)
    second = await store.put_stream(chunks=chunks(data), max_bytes=100, expected_sha256=None)
    assert first == second


@pytest.mark.parametrize(
    ("data", "limit", "expected", "reason"),
    [
        (b"x" * 2000, 1000, None, "TOO_LARGE"),
        (b"", 1000, None, "EMPTY"),
        (b"abc", 1000, "0" * 64, "HASH_MISMATCH"),
    ],
)
async def test_refusals_leave_nothing(
    store: LocalBlobStore | S3BlobStore, data: bytes, limit: int, expected: str | None, reason: str
) -> None:
    with pytest.raises(UploadRejected) as refused:
        await store.put_stream(chunks=chunks(data, 100), max_bytes=limit, expected_sha256=expected)
    assert refused.value.reason == reason
    assert staged_files(store) == []
    assert not await store.exists(key_for(hashlib.sha256(data).hexdigest()))


async def test_a_failed_check_or_a_cut_stream_leaves_nothing(
    store: LocalBlobStore | S3BlobStore,
) -> None:
    data = b"not what it claims" * 100

    def refuse(path: Path) -> None:
        raise ValueError("refused by content")

    with pytest.raises(ValueError, match="refused by content"):
        await store.put_stream(
            chunks=chunks(data), max_bytes=10**6, expected_sha256=None, check=refuse
        )

    async def cut() -> AsyncIterator[bytes]:
        yield data[:500]
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await store.put_stream(chunks=cut(), max_bytes=10**6, expected_sha256=None)
    assert staged_files(store) == []
    assert not await store.exists(key_for(hashlib.sha256(data).hexdigest()))


async def test_the_platform_stores_uploads_in_s3_when_configured(
    moto_endpoint: str, settings: object, database: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx
    from tests.evidence.capture_flow import capture_one, start
    from tests.factories import log_in, make_organisation

    from probant_platform.evidence.media.samples import photo_jpeg
    from probant_platform.web.app import create_app

    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket="probant-platform")
    configured = settings.model_copy(  # type: ignore[attr-defined]
        update={
            "storage_url": f"s3://probant-platform/media?endpoint_url={moto_endpoint}&region=us-east-1"
        }
    )
    app = create_app(configured, database=database, configure_logs=False)  # type: ignore[arg-type]
    owner = await make_organisation(database)  # type: ignore[arg-type]
    body = photo_jpeg(seed=42)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await log_in(client, owner)
        session = (await start(client))["captureSession"]
        response = await capture_one(client, session["id"], body)
    assert response.status_code == 201
    digest = hashlib.sha256(body).hexdigest()
    stored = s3.get_object(
        Bucket="probant-platform", Key=f"media/sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    )
    assert stored["Body"].read() == body
