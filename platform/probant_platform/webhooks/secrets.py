"""Endpoint signing secrets: `whsec_` + base64 (as Standard Webhooks says), kept encrypted."""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet

from probant_platform.config import Settings


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _fernet(settings: Settings) -> Fernet:
    key = bytes.fromhex(settings.derived_secret("webhook-endpoint-secrets"))
    return Fernet(base64.urlsafe_b64encode(key))


def seal(settings: Settings, secret: str) -> str:
    return _fernet(settings).encrypt(secret.encode()).decode()


def unseal(settings: Settings, sealed: str) -> str:
    return _fernet(settings).decrypt(sealed.encode()).decode()
