"""`probant doctor`: checks an installation's configuration and dependencies, says what is wrong.

Each check is independent, bounded in time, and reports `ok`, `warn` (works, but not as a
production install should) or `fail` (Probant cannot do its job). Nothing is written: no
email is sent, no object stored, no transaction broadcast.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from probant_platform.config import Settings

TIMEOUT_SECONDS = 10
CERTIFICATE_WARNING_DAYS = 30


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    message: str


def _ok(check: str, message: str) -> Finding:
    return Finding(check, Status.OK, message)


def _warn(check: str, message: str) -> Finding:
    return Finding(check, Status.WARN, message)


def _fail(check: str, message: str) -> Finding:
    return Finding(check, Status.FAIL, message)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def load_settings() -> tuple[Settings | None, list[Finding]]:
    try:
        return Settings(), []
    except ValidationError as exc:
        findings = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            findings.append(_fail("configuration", f"{where}: {message}".removeprefix(": ")))
        return None, findings


def check_configuration(settings: Settings) -> list[Finding]:
    check = "configuration"
    findings: list[Finding] = []
    production = settings.is_production
    if settings.secret_key is not None and len(settings.secret_key.get_secret_value()) < 32:
        findings.append(_fail(check, "PROBANT_SECRET_KEY is shorter than 32 characters"))
    if production:
        if not settings.base_url.startswith("https://"):
            findings.append(_warn(check, "PROBANT_BASE_URL is not https: links in emails"))
        required = {
            "PROBANT_SMTP_URL": (settings.smtp_url, "emails would only be written to files"),
            "PROBANT_STORAGE_URL": (
                settings.storage_url,
                "originals would be kept on the pod's disk",
            ),
            "PROBANT_CHAIN_RPC_URL": (settings.chain_rpc_url, "nothing would be anchored"),
        }
        for name, (value, consequence) in required.items():
            if not value:
                findings.append(_fail(check, f"{name} is not set: {consequence}"))
        if settings.stripe_secret_key is None:
            findings.append(_warn(check, "STRIPE_SECRET_KEY is not set: no real payment"))
        elif settings.stripe_webhook_secret is None:
            findings.append(_fail(check, "STRIPE_WEBHOOK_SECRET is not set: payments never land"))
    if not findings:
        findings.append(_ok(check, f"{settings.env.value} settings are complete"))
    return findings


def check_database(settings: Settings) -> list[Finding]:
    from probant_platform.db import Database
    from probant_platform.db.locate import application_url
    from probant_platform.db.migrate import pending_heads

    check = "database"
    if not settings.database_url:
        if settings.is_production:
            return [_fail(check, "DATABASE_URL is not set")]
        return [_ok(check, "embedded development server (DATABASE_URL unset); not checked")]

    async def ping_app() -> None:
        database = Database(application_url(settings), pool_size=1)
        try:
            await asyncio.wait_for(database.ping(), TIMEOUT_SECONDS)
        finally:
            await database.dispose()

    try:
        pending = pending_heads(settings.database_url)
    except Exception as exc:
        return [_fail(check, f"cannot reach PostgreSQL as the schema owner: {_reason(exc)}")]
    findings = []
    if pending:
        findings.append(
            _fail(check, f"migrations pending ({', '.join(sorted(pending))}): run probant migrate")
        )
    try:
        asyncio.run(ping_app())
    except Exception as exc:
        findings.append(_fail(check, f"the application role cannot connect: {_reason(exc)}"))
    return findings or [_ok(check, "reachable as owner and application role; schema up to date")]


def check_storage(settings: Settings) -> list[Finding]:
    from probant_platform.storage import LocalBlobStore, store_for

    check = "storage"
    try:
        store = store_for(settings)
    except Exception as exc:
        return [_fail(check, f"PROBANT_STORAGE_URL is not usable: {_reason(exc)}")]
    if isinstance(store, LocalBlobStore):
        folder = store.root
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".doctor-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return [_fail(check, f"cannot write in {folder}: {_reason(exc)}")]
        if settings.is_production:
            return [_warn(check, f"local folder {folder}: one machine only, back it up yourself")]
        return [_ok(check, f"local folder {folder} is writable")]
    try:
        asyncio.run(asyncio.wait_for(store.exists("0" * 64), TIMEOUT_SECONDS))
        versioning = store.client.get_bucket_versioning(Bucket=store.bucket)
    except Exception as exc:
        return [_fail(check, f"bucket {store.bucket} is not reachable: {_reason(exc)}")]
    if versioning.get("Status") != "Enabled":
        return [
            _warn(
                check,
                f"bucket {store.bucket} is reachable but not versioned: an overwritten or "
                "deleted original could not be recovered (enable versioning or object lock)",
            )
        ]
    return [_ok(check, f"bucket {store.bucket} is reachable and versioned")]


def check_chain(settings: Settings) -> list[Finding]:
    from eth_account import Account
    from web3 import HTTPProvider, Web3

    check = "chain"
    url = settings.chain_rpc_url
    if not url:
        if settings.is_production:
            return [_fail(check, "PROBANT_CHAIN_RPC_URL is not set")]
        return [_ok(check, "development chain in the data folder (not a public ledger)")]
    if settings.chain_private_key is None:
        return [_fail(check, "PROBANT_CHAIN_PRIVATE_KEY is not set: nothing can be anchored")]
    try:
        address = Account.from_key(settings.chain_private_key.get_secret_value()).address
    except Exception:
        return [_fail(check, "PROBANT_CHAIN_PRIVATE_KEY is not a valid private key")]
    web3 = Web3(HTTPProvider(url, request_kwargs={"timeout": TIMEOUT_SECONDS}))
    try:
        chain_id, head = int(web3.eth.chain_id), int(web3.eth.block_number)
        balance = int(web3.eth.get_balance(address))
    except Exception as exc:
        return [_fail(check, f"cannot use the RPC at {_host(url)}: {_reason(exc)}")]
    where = f"chain {chain_id}, block {head}, account {address}"
    if balance == 0:
        return [_fail(check, f"{where} has no funds: it cannot pay for anchoring transactions")]
    return [_ok(check, f"{where}, balance {balance / 10**18:.6f}")]


def check_smtp(settings: Settings) -> list[Finding]:
    from probant_platform.notifications.mailer import SmtpMailer

    check = "smtp"
    if not settings.smtp_url:
        if settings.is_production:
            return [_fail(check, "PROBANT_SMTP_URL is not set")]
        return [_ok(check, f"emails are written to {settings.data_dir / 'outbox'} (development)")]
    mailer = SmtpMailer(settings.smtp_url)
    try:
        smtp: smtplib.SMTP
        if mailer.tls:
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(
                mailer.host, mailer.port, context=context, timeout=TIMEOUT_SECONDS
            )
        else:
            smtp = smtplib.SMTP(mailer.host, mailer.port, timeout=TIMEOUT_SECONDS)
        with smtp:
            smtp.ehlo()
            if mailer.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if mailer.username and mailer.password:
                smtp.login(mailer.username, mailer.password)
            smtp.noop()
    except Exception as exc:
        return [_fail(check, f"cannot talk to {mailer.host}:{mailer.port}: {_reason(exc)}")]
    return [_ok(check, f"{mailer.host}:{mailer.port} answers (nothing sent)")]


def check_signing(settings: Settings) -> list[Finding]:
    from cryptography.hazmat.primitives import serialization

    from probant_platform.documents.pki import platform_signer, trust_roots

    check = "signing"
    try:
        signer = platform_signer(settings)
    except Exception as exc:
        return [_fail(check, f"the platform's signing material cannot be loaded: {_reason(exc)}")]
    findings = _certificate_dates(check, "platform signing certificate", signer.certificate)
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    encoding = serialization.Encoding.DER
    if signer.key.public_key().public_bytes(
        encoding, public
    ) != signer.certificate.public_key().public_bytes(encoding, public):
        findings.append(_fail(check, "the signing key does not match its certificate"))
    try:
        roots = trust_roots(settings)
    except Exception as exc:
        findings.append(_fail(check, f"PROBANT_TRUST_ROOTS cannot be read: {_reason(exc)}"))
    else:
        if not roots:
            findings.append(_fail(check, "no trust root: verifiers could not check our PDFs"))
    findings.extend(_office_certificates(settings))
    if not any(f.status is not Status.OK for f in findings):
        return [_ok(check, f"signing as {signer.common_name!r}, {findings[0].message}")]
    return [f for f in findings if f.status is not Status.OK]


def check_push(settings: Settings) -> list[Finding]:
    """Web push: the VAPID key (nothing generated here; development makes one on first use)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from py_vapid import Vapid

    from probant_platform.notifications.push import public_key

    check = "push"
    if settings.vapid_private_key is None:
        if settings.is_production:
            return [
                _warn(
                    check,
                    "PROBANT_VAPID_PRIVATE_KEY is not set: web push is off "
                    "(the inbox and emails still work)",
                )
            ]
        path = settings.data_dir / "vapid" / "private_key.pem"
        if path.exists():
            return [_ok(check, f"VAPID key in {path} (development)")]
        return [_ok(check, f"a VAPID key will be generated in {path} on first use (development)")]
    try:
        private = Vapid.from_pem(settings.vapid_private_key.get_secret_value().encode()).private_key
    except Exception as exc:
        return [_fail(check, f"PROBANT_VAPID_PRIVATE_KEY cannot be read: {_reason(exc)}")]
    if not isinstance(private, ec.EllipticCurvePrivateKey) or not isinstance(
        private.curve, ec.SECP256R1
    ):
        return [_fail(check, "PROBANT_VAPID_PRIVATE_KEY is not a P-256 (prime256v1) key")]
    if not settings.vapid_subject.startswith(("mailto:", "https:")):
        return [_warn(check, "PROBANT_VAPID_SUBJECT is neither mailto: nor https:")]
    shown = public_key(settings) or ""
    return [_ok(check, f"web push on, VAPID public key {shown[:16]}…")]


def _certificate_dates(check: str, what: str, certificate: object) -> list[Finding]:
    now = dt.datetime.now(dt.UTC)
    not_after = certificate.not_valid_after_utc  # type: ignore[attr-defined]
    not_before = certificate.not_valid_before_utc  # type: ignore[attr-defined]
    if not_after <= now:
        return [_fail(check, f"the {what} expired on {not_after:%Y-%m-%d}")]
    if not_before > now:
        return [_fail(check, f"the {what} is not valid before {not_before:%Y-%m-%d}")]
    days = (not_after - now).days
    if days < CERTIFICATE_WARNING_DAYS:
        return [_warn(check, f"the {what} expires in {days} days ({not_after:%Y-%m-%d})")]
    return [_ok(check, f"valid until {not_after:%Y-%m-%d}")]


def _office_certificates(settings: Settings) -> list[Finding]:
    from probant_platform.documents.pki import load_pkcs12

    folder = settings.office_certificates_dir
    if folder is None:
        return []
    if not folder.is_dir():
        return [_fail("signing", f"PROBANT_OFFICE_CERTIFICATES_DIR {folder} is not a folder")]
    password = settings.office_certificates_password
    findings = []
    for path in sorted(Path(folder).glob("*.p12")):
        try:
            signer = load_pkcs12(
                path.read_bytes(), password.get_secret_value().encode() if password else None
            )
        except Exception as exc:
            findings.append(_fail("signing", f"office certificate {path.name}: {_reason(exc)}"))
            continue
        findings.extend(
            _certificate_dates("signing", f"office certificate {path.name}", signer.certificate)
        )
    return findings


def _host(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.hostname or url)


CHECKS: tuple[Callable[[Settings], list[Finding]], ...] = (
    check_configuration,
    check_database,
    check_storage,
    check_chain,
    check_smtp,
    check_signing,
    check_push,
)


def run_checks() -> list[Finding]:
    """Every check, in order; a check that crashes is reported, never raised."""
    settings, findings = load_settings()
    if settings is None:
        return findings
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            findings.extend(check(settings))
        except Exception as exc:
            findings.append(_fail(name, f"the check itself failed: {_reason(exc)}"))
    return findings
