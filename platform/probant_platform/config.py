"""The one settings object: every knob Probant reads from the environment or `.env`."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
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
