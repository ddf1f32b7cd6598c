"""The one settings object: every knob Probant reads from the environment or `.env`."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import os
import secrets
import tempfile
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Typed configuration; see the README's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    app_database_url: str | None = Field(default=None, alias="PROBANT_APP_DATABASE_URL")
    data_dir: Path = Field(default=Path("var"), alias="PROBANT_DATA_DIR")
    secret_key: SecretStr | None = Field(default=None, alias="PROBANT_SECRET_KEY")
    env: Environment = Field(default=Environment.DEVELOPMENT, alias="PROBANT_ENV")
    base_url: str = Field(default="http://127.0.0.1:8000", alias="PROBANT_BASE_URL")
    smtp_url: str | None = Field(default=None, alias="PROBANT_SMTP_URL")
    mail_from: str = Field(
        default="Probant <no-reply@probant.localhost>", alias="PROBANT_MAIL_FROM"
    )
    log_level: str = Field(default="INFO", alias="PROBANT_LOG_LEVEL")
    db_pool_size: int = Field(default=10, alias="PROBANT_DB_POOL_SIZE", ge=1, le=200)
    storage_url: str | None = Field(default=None, alias="PROBANT_STORAGE_URL")
    widget_dist_dir: Path | None = Field(default=None, alias="PROBANT_WIDGET_DIST")
    app_dist_dir: Path | None = Field(default=None, alias="PROBANT_APP_DIST")
    graphiql_dist_dir: Path | None = Field(default=None, alias="PROBANT_GRAPHIQL_DIST")

    # Resource limits (docs/operations-limits.md): no client may hold the pool or the memory.
    uploads_per_user: int = Field(default=4, alias="PROBANT_UPLOADS_PER_USER", ge=1, le=100)
    uploads_max: int = Field(default=32, alias="PROBANT_UPLOADS_MAX", ge=1, le=10_000)
    upload_read_timeout: float = Field(
        default=30.0, alias="PROBANT_UPLOAD_READ_TIMEOUT", gt=0, le=3_600
    )
    image_max_decoded_mb: int = Field(
        default=160, alias="PROBANT_IMAGE_MAX_DECODED_MB", ge=1, le=4_096
    )
    image_max_aspect_ratio: float = Field(
        default=20.0, alias="PROBANT_IMAGE_MAX_ASPECT_RATIO", ge=1, le=1_000
    )
    media_decode_workers: int = Field(default=2, alias="PROBANT_MEDIA_DECODE_WORKERS", ge=1, le=64)
    worker_heartbeat_seconds: float = Field(
        default=10.0, alias="PROBANT_WORKER_HEARTBEAT_SECONDS", gt=0, le=600
    )
    worker_stalled_seconds: float = Field(
        default=60.0, alias="PROBANT_WORKER_STALLED_SECONDS", gt=0, le=86_400
    )
    trusted_proxies: str = Field(default="", alias="PROBANT_TRUSTED_PROXIES")
    graphql_introspection: bool | None = Field(default=None, alias="PROBANT_GRAPHQL_INTROSPECTION")
    graphql_max_body_bytes: int = Field(
        default=1_000_000, alias="PROBANT_GRAPHQL_MAX_BODY_BYTES", ge=1_024, le=100_000_000
    )
    metrics_token: SecretStr | None = Field(default=None, alias="PROBANT_METRICS_TOKEN")

    stripe_secret_key: SecretStr | None = Field(default=None, alias="STRIPE_SECRET_KEY")
    stripe_webhook_secret: SecretStr | None = Field(default=None, alias="STRIPE_WEBHOOK_SECRET")
    stripe_api_base: str | None = Field(default=None, alias="STRIPE_API_BASE")

    chain_rpc_url: str | None = Field(default=None, alias="PROBANT_CHAIN_RPC_URL")
    chain_private_key: SecretStr | None = Field(default=None, alias="PROBANT_CHAIN_PRIVATE_KEY")
    chain_confirmations: int = Field(default=1, alias="PROBANT_CHAIN_CONFIRMATIONS", ge=1, le=100)
    batch_seconds: int = Field(default=60, alias="PROBANT_BATCH_SECONDS", ge=1, le=86_400)
    batch_max_leaves: int = Field(
        default=10_000, alias="PROBANT_BATCH_MAX_LEAVES", ge=1, le=1_000_000
    )

    signing_p12: Path | None = Field(default=None, alias="PROBANT_SIGNING_P12")
    signing_p12_password: SecretStr | None = Field(
        default=None, alias="PROBANT_SIGNING_P12_PASSWORD"
    )
    signing_cert: Path | None = Field(default=None, alias="PROBANT_SIGNING_CERT")
    signing_key: Path | None = Field(default=None, alias="PROBANT_SIGNING_KEY")
    signing_key_password: SecretStr | None = Field(
        default=None, alias="PROBANT_SIGNING_KEY_PASSWORD"
    )
    trust_roots: Path | None = Field(default=None, alias="PROBANT_TRUST_ROOTS")
    tsa_url: str | None = Field(default=None, alias="PROBANT_TSA_URL")
    tsa_username: str | None = Field(default=None, alias="PROBANT_TSA_USERNAME")
    tsa_password: SecretStr | None = Field(default=None, alias="PROBANT_TSA_PASSWORD")
    timestamp_renewal_days: int = Field(
        default=180, alias="PROBANT_TIMESTAMP_RENEWAL_DAYS", ge=1, le=3650
    )
    root_retimestamp_hash: Literal["sha384", "sha512"] | None = Field(
        default=None, alias="PROBANT_ROOT_RETIMESTAMP_HASH"
    )
    """When set, the renewal job adds to every batch a new RFC 3161 token under this hash,
    over the batch root and the batch's newest token (docs/verification.md)."""

    constat_price_cents: int = Field(
        default=18_000, alias="PROBANT_CONSTAT_PRICE_CENTS", ge=0, le=10_000_000
    )
    review_hours: int = Field(default=24, alias="PROBANT_REVIEW_HOURS", ge=1, le=720)
    office_certificates_dir: Path | None = Field(
        default=None, alias="PROBANT_OFFICE_CERTIFICATES_DIR"
    )
    office_certificates_password: SecretStr | None = Field(
        default=None, alias="PROBANT_OFFICE_CERTIFICATES_PASSWORD"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        for part in _split(value):
            ipaddress.ip_network(part)  # a ValueError names the bad entry
        return value

    # Partners (docs/partners.md).
    partner_jwks: Path | None = Field(default=None, alias="PROBANT_PARTNER_JWKS")
    partner_token_minutes: int = Field(
        default=15, alias="PROBANT_PARTNER_TOKEN_MINUTES", ge=1, le=60
    )
    token_requests_per_minute: int = Field(
        default=30, alias="PROBANT_TOKEN_REQUESTS_PER_MINUTE", ge=1, le=100_000
    )
    api_requests_per_minute: int = Field(
        default=600, alias="PROBANT_API_REQUESTS_PER_MINUTE", ge=1, le=1_000_000
    )
    organisation_requests_per_minute: int = Field(
        default=1200, alias="PROBANT_ORGANISATION_REQUESTS_PER_MINUTE", ge=1, le=1_000_000
    )
    api_cost_per_minute: int = Field(
        default=20_000, alias="PROBANT_API_COST_PER_MINUTE", ge=1, le=100_000_000
    )
    max_query_cost: int = Field(default=10_000, alias="PROBANT_MAX_QUERY_COST", ge=1)
    webhooks_allow_loopback: bool | None = Field(
        default=None, alias="PROBANT_WEBHOOKS_ALLOW_LOOPBACK"
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, alias="PROBANT_WEBHOOK_TIMEOUT_SECONDS", gt=0, le=60
    )

    # Web push (RFC 8030 + VAPID, RFC 8292): the application server's P-256 key (PEM). In
    # development it is generated once in the data folder; in production push is off without it.
    vapid_private_key: SecretStr | None = Field(default=None, alias="PROBANT_VAPID_PRIVATE_KEY")
    vapid_subject: str = Field(
        default="mailto:no-reply@probant.localhost", alias="PROBANT_VAPID_SUBJECT"
    )
    push_timeout_seconds: float = Field(
        default=10.0, alias="PROBANT_PUSH_TIMEOUT_SECONDS", gt=0, le=60
    )

    @property
    def webhooks_may_reach_loopback(self) -> bool:
        """Loopback endpoints are for development and tests only."""
        if self.webhooks_allow_loopback is not None:
            return self.webhooks_allow_loopback and not self.is_production
        return not self.is_production

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.env == Environment.PRODUCTION:
            if self.secret_key is None:
                raise ValueError("PROBANT_SECRET_KEY is required when PROBANT_ENV=production")
            if self.database_url is None:
                raise ValueError("DATABASE_URL is required when PROBANT_ENV=production")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == Environment.PRODUCTION

    @property
    def trusted_proxy_networks(self) -> list[str]:
        """Addresses or CIDRs of the proxies whose X-Forwarded-* headers are believed."""
        return _split(self.trusted_proxies)

    def secret(self) -> bytes:
        """The signing secret; in development generated once and kept in the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret_key"
        if not path.exists():
            write_once(path, secrets.token_urlsafe(48).encode())
        return path.read_text().strip().encode()

    def derived_secret(self, purpose: str) -> str:
        """A secret for one purpose, derived from the main one so each can be rotated apart."""
        return hmac.new(self.secret(), purpose.encode(), hashlib.sha256).hexdigest()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def write_once(path: Path, data: bytes) -> bytes:
    """Create `path` (mode 0600) holding `data` unless it exists; return what it holds.

    Atomic across processes: the file appears whole or not at all, and when two processes
    race, both end up reading the winner's bytes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_bytes()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
