"""One-click unsubscribe (RFC 8058): a signed link per (person, kind) that works without
logging in. Every notification email carries it in `List-Unsubscribe` (with
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`) and in its footer."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from probant_platform.config import Settings

PATH = "/notifications/unsubscribe"


@dataclass(frozen=True)
class Subscription:
    user_id: uuid.UUID
    kind: str


def _key(settings: Settings) -> bytes:
    return bytes.fromhex(settings.derived_secret("notification-unsubscribe"))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token(settings: Settings, user_id: uuid.UUID, kind: str) -> str:
    payload = user_id.bytes + kind.encode()
    mac = hmac.new(_key(settings), payload, hashlib.sha256).digest()[:16]
    return f"{_b64(payload)}.{_b64(mac)}"


def read(settings: Settings, value: str | None) -> Subscription | None:
    """The (person, kind) a token names, or None when it is not one we signed."""
    try:
        body, mac = (value or "").split(".", 1)
        payload = _unb64(body)
        expected = hmac.new(_key(settings), payload, hashlib.sha256).digest()[:16]
        if len(payload) <= 16 or not hmac.compare_digest(expected, _unb64(mac)):
            return None
        return Subscription(uuid.UUID(bytes=payload[:16]), payload[16:].decode())
    except (ValueError, UnicodeDecodeError):
        return None


def url(settings: Settings, user_id: uuid.UUID, kind: str) -> str:
    return f"{settings.base_url.rstrip('/')}{PATH}?token={token(settings, user_id, kind)}"


def headers(link: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def link_of(settings: Settings, unsubscribe: dict[str, Any] | None) -> str | None:
    """The unsubscribe URL an email job carries as ids (`{"user_id", "kind"}`), or None."""
    if not unsubscribe:
        return None
    return url(settings, uuid.UUID(unsubscribe["user_id"]), unsubscribe["kind"])
