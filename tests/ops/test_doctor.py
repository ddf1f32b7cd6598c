"""`probant doctor` as an operator runs it: against real PostgreSQL, SMTP (aiosmtpd) and S3
(moto), with good settings and with each part broken."""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tests.support import TEST_SECRET, free_port

PROBANT = str(Path(sys.executable).with_name("probant"))
CHAIN_KEY = "0x" + "11" * 32


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _bucket(endpoint: str, *, versioned: bool) -> str:
    name = f"probant-doctor-{secrets.token_hex(4)}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-3",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    if versioned:
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def _doctor(tmp_path: Path, **settings: str) -> tuple[int, dict[str, list[tuple[str, str]]]]:
    """Run `probant doctor` in an empty folder (no `.env`) with exactly these settings."""
    keep = {"PATH", "HOME", "LANG", "SSL_CERT_FILE", "SSL_CERT_DIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env |= {
        "PROBANT_DATA_DIR": str(tmp_path / "data"),
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-3",
        **settings,
    }
    result = subprocess.run(
        [PROBANT, "doctor"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    report: dict[str, list[tuple[str, str]]] = {}
    for line in lines[:-1]:
        status, check, message = line.split(maxsplit=2)
        report.setdefault(check, []).append((status, message))
    assert lines[-1].endswith("warning(s)"), result.stdout
    return result.returncode, report


def _statuses(report: dict[str, list[tuple[str, str]]], check: str) -> set[str]:
    return {status for status, _ in report[check]}


def _messages(report: dict[str, list[tuple[str, str]]], check: str) -> str:
    return " | ".join(message for _, message in report[check])


def test_a_sound_installation_passes_every_check(
    tmp_path: Path, owner_url: str, smtp_server: Any, s3_endpoint: str
) -> None:
    smtp_url, _ = smtp_server
    bucket = _bucket(s3_endpoint, versioned=True)
    code, report = _doctor(
        tmp_path,
        DATABASE_URL=owner_url,
        PROBANT_SECRET_KEY=TEST_SECRET,
        PROBANT_SMTP_URL=smtp_url,
        PROBANT_STORAGE_URL=f"s3://{bucket}/media?endpoint_url={s3_endpoint}&region=eu-west-3",
    )
    assert code == 0, report
    assert set(report) == {
        "configuration",
        "database",
        "storage",
        "chain",
        "smtp",
        "signing",
        "push",
    }
    for check in report:
        assert _statuses(report, check) == {"ok"}, (check, report[check])
    assert "schema up to date" in _messages(report, "database")
    assert "versioned" in _messages(report, "storage")
    assert "nothing sent" in _messages(report, "smtp")
    # Development: the key is generated on first use, and the doctor writes nothing.
    assert "will be generated" in _messages(report, "push")
    assert not (tmp_path / "data" / "vapid").exists()


def test_each_broken_part_is_named_with_what_is_wrong(tmp_path: Path, s3_endpoint: str) -> None:
    closed = free_port()
    garbage = tmp_path / "platform.p12"
    garbage.write_bytes(b"not a pkcs12 file")
    bucket = _bucket(s3_endpoint, versioned=False)
    code, report = _doctor(
        tmp_path,
        PROBANT_ENV="production",
        PROBANT_SECRET_KEY="short-but-set",
        DATABASE_URL=f"postgresql://probant@127.0.0.1:{closed}/probant",
        PROBANT_BASE_URL="http://probant.example.com",
        PROBANT_SMTP_URL=f"smtp://127.0.0.1:{closed}",
        PROBANT_STORAGE_URL=f"s3://{bucket}/media?endpoint_url={s3_endpoint}&region=eu-west-3",
        PROBANT_CHAIN_RPC_URL=f"http://127.0.0.1:{closed}",
        PROBANT_CHAIN_PRIVATE_KEY=CHAIN_KEY,
        PROBANT_SIGNING_P12=str(garbage),
    )
    assert code == 1
    assert "PROBANT_SECRET_KEY is shorter than 32 characters" in _messages(report, "configuration")
    assert "PROBANT_BASE_URL is not https" in _messages(report, "configuration")
    assert "STRIPE_SECRET_KEY is not set" in _messages(report, "configuration")
    assert "cannot reach PostgreSQL" in _messages(report, "database")
    assert _statuses(report, "storage") == {"warn"}
    assert "not versioned" in _messages(report, "storage")
    assert "cannot use the RPC at 127.0.0.1" in _messages(report, "chain")
    assert f"cannot talk to 127.0.0.1:{closed}" in _messages(report, "smtp")
    assert "signing material cannot be loaded" in _messages(report, "signing")
    for check in ("database", "chain", "smtp", "signing"):
        assert _statuses(report, check) == {"fail"}, check


def test_missing_production_settings_are_named(tmp_path: Path) -> None:
    code, report = _doctor(tmp_path, PROBANT_ENV="production")
    assert code == 1
    assert "PROBANT_SECRET_KEY is required" in _messages(report, "configuration")

    code, report = _doctor(
        tmp_path,
        PROBANT_ENV="production",
        PROBANT_SECRET_KEY=TEST_SECRET,
        DATABASE_URL=f"postgresql://probant@127.0.0.1:{free_port()}/probant",
        PROBANT_STORAGE_URL="ftp://files.example.com/media",
    )
    assert code == 1
    messages = _messages(report, "configuration")
    for name in ("PROBANT_SMTP_URL", "PROBANT_CHAIN_RPC_URL"):
        assert f"{name} is not set" in messages
    assert "unsupported PROBANT_STORAGE_URL scheme: ftp" in _messages(report, "storage")
    assert "PROBANT_SIGNING_P12" in _messages(report, "signing")


def test_an_expired_signing_certificate_fails(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Probant expired")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now - dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    code, report = _doctor(
        tmp_path, PROBANT_SIGNING_CERT=str(cert_path), PROBANT_SIGNING_KEY=str(key_path)
    )
    assert code == 1
    assert f"expired on {(now - dt.timedelta(days=1)):%Y-%m-%d}" in _messages(report, "signing")


def _pem(key: Any) -> str:
    return str(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    )


def test_the_web_push_key_is_reported(tmp_path: Path) -> None:
    closed = f"postgresql://probant@127.0.0.1:{free_port()}/probant"
    production = {
        "PROBANT_ENV": "production",
        "PROBANT_SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": closed,
    }
    _, report = _doctor(tmp_path, **production)
    assert report["push"] == [
        (
            "warn",
            "PROBANT_VAPID_PRIVATE_KEY is not set: web push is off "
            "(the inbox and emails still work)",
        )
    ]

    key = ec.generate_private_key(ec.SECP256R1())
    _, report = _doctor(tmp_path, **production, PROBANT_VAPID_PRIVATE_KEY=_pem(key))
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    shown = base64.urlsafe_b64encode(public).decode().rstrip("=")
    assert report["push"] == [("ok", f"web push on, VAPID public key {shown[:16]}…")]

    _, report = _doctor(tmp_path, **production, PROBANT_VAPID_PRIVATE_KEY="not a key")
    assert _statuses(report, "push") == {"fail"}
    assert "PROBANT_VAPID_PRIVATE_KEY cannot be read" in _messages(report, "push")

    other_curve = _pem(ec.generate_private_key(ec.SECP384R1()))
    _, report = _doctor(tmp_path, **production, PROBANT_VAPID_PRIVATE_KEY=other_curve)
    assert report["push"] == [("fail", "PROBANT_VAPID_PRIVATE_KEY is not a P-256 (prime256v1) key")]
