"""Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291), through
pywebpush (encryption) and py_vapid (the signed JWT).

Subscriptions are registered by the web app's service worker; a push is a job per
(notification, subscription), run after the transaction that caused it, so a push service
that fails never holds anything back. It retries on 429/5xx/timeouts; a subscription the
push service says is gone (404/410) is removed.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httpx
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import runtime, urls
from probant_platform.config import Settings, write_once
from probant_platform.db import TenantScope, utcnow
from probant_platform.errors import DomainError
from probant_platform.jobs import task
from probant_platform.notifications import kinds
from probant_platform.notifications.models import Notification, PushSubscription
from probant_platform.webhooks.addresses import InvalidEndpointUrl, check_url, resolve
from probant_tenants.models import User

log = structlog.get_logger(__name__)

TTL_SECONDS = 24 * 3600
MAX_SUBSCRIPTIONS = 20  # per person: the oldest go first


class InvalidSubscription(DomainError):
    code = "INVALID_PUSH_SUBSCRIPTION"
    message_fr = "Abonnement push invalide : {reason}."
    message_en = "Invalid push subscription: {reason}."


class PushUnavailable(DomainError):
    code = "PUSH_UNAVAILABLE"
    message_fr = "Les notifications push ne sont pas configurées sur ce serveur."
    message_en = "Push notifications are not configured on this server."


class PushServiceBusy(RuntimeError):
    """The push service answered 429/5xx or not at all: the job is retried."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=4)
def _vapid_from_pem(pem: bytes) -> Vapid:
    return Vapid.from_pem(pem)


def vapid(settings: Settings) -> Vapid | None:
    """The application server's key: configured, else (development only) generated once in
    the data folder; None in production without a key (push is then off)."""
    if settings.vapid_private_key is not None:
        return _vapid_from_pem(settings.vapid_private_key.get_secret_value().encode())
    if settings.is_production:
        return None
    path = settings.data_dir / "vapid" / "private_key.pem"
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        write_once(
            path,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
    return _vapid_from_pem(path.read_bytes())


def public_key(settings: Settings) -> str | None:
    """The `applicationServerKey` browsers subscribe with (base64url, uncompressed point)."""
    key = vapid(settings)
    if key is None:
        return None
    return _b64(
        key.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def _check_keys(p256dh: str, auth: str) -> None:
    try:
        point, secret = _unb64(p256dh.strip()), _unb64(auth.strip())
    except ValueError:
        raise InvalidSubscription(reason="keys") from None
    if len(point) != 65 or point[0] != 4:
        raise InvalidSubscription(reason="p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise InvalidSubscription(reason="p256dh") from None
    if len(secret) != 16:
        raise InvalidSubscription(reason="auth")


async def subscribe(
    session: AsyncSession,
    settings: Settings,
    *,
    user_id: uuid.UUID,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str,
) -> PushSubscription:
    """Store (or refresh) this browser's subscription for `user_id`."""
    if vapid(settings) is None:
        raise PushUnavailable()
    try:
        endpoint = check_url(endpoint, require_https=not settings.webhooks_may_reach_loopback)
    except InvalidEndpointUrl:
        raise InvalidSubscription(reason="endpoint") from None
    _check_keys(p256dh, auth)
    # The browser may have been someone else's (a shared computer): it moves to this person.
    await session.execute(text("SELECT probant_claim_push_endpoint(:e)"), {"e": endpoint})
    existing = (
        await session.execute(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    ).scalar_one_or_none()
    if existing is None:
        existing = PushSubscription(user_id=user_id, endpoint=endpoint, created_at=utcnow())
        session.add(existing)
    existing.p256dh, existing.auth = p256dh.strip(), auth.strip()
    existing.user_agent = (user_agent or "")[:300]
    await session.flush()
    mine = (
        await session.execute(
            select(PushSubscription.id)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.created_at.desc())
        )
    ).scalars()
    stale = list(mine)[MAX_SUBSCRIPTIONS:]
    if stale:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(stale)))
    return existing


async def unsubscribe(session: AsyncSession, *, user_id: uuid.UUID, endpoint: str) -> bool:
    gone = await session.execute(
        delete(PushSubscription)
        .where(PushSubscription.user_id == user_id, PushSubscription.endpoint == endpoint.strip())
        .returning(PushSubscription.id)
    )
    return gone.first() is not None


async def subscriptions_of(session: AsyncSession, user_id: uuid.UUID) -> list[PushSubscription]:
    rows = await session.execute(
        select(PushSubscription)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at)
    )
    return list(rows.scalars())


@dataclass(frozen=True)
class Message:
    endpoint: str
    p256dh: str
    auth: str
    payload: str
    topic: str


def headers_for(settings: Settings, key: Vapid, endpoint: str, topic: str) -> dict[str, str]:
    parts = urlsplit(endpoint)
    claims: dict[str, str | int] = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "sub": settings.vapid_subject,
        "exp": int(time.time()) + 12 * 3600,
    }
    signed: dict[str, str] = key.sign(claims)
    return {
        "authorization": signed["Authorization"],
        "ttl": str(TTL_SECONDS),
        "urgency": "normal",
        "topic": topic,  # replaces an undelivered copy of the same notification
    }


async def deliver(settings: Settings, message: Message) -> int | None:
    """POST the encrypted message to the checked address; the status, None without one."""
    key = vapid(settings)
    if key is None:
        return None
    target = await resolve(message.endpoint, allow_loopback=settings.webhooks_may_reach_loopback)
    keys = {"p256dh": message.p256dh, "auth": message.auth}
    pusher = WebPusher({"endpoint": message.endpoint, "keys": keys})
    encoded = pusher.encode(message.payload.encode(), "aes128gcm")
    headers = {
        **headers_for(settings, key, message.endpoint, message.topic),
        "content-encoding": "aes128gcm",
        "content-type": "application/octet-stream",
        "host": _host_header(message.endpoint, target.port),
    }
    address = f"[{target.address}]" if ":" in target.address else target.address
    pinned = httpx.URL(message.endpoint).copy_with(host=address.strip("[]"), port=target.port)
    async with httpx.AsyncClient(
        follow_redirects=False, timeout=settings.push_timeout_seconds, trust_env=False
    ) as http:
        response = await http.post(
            pinned,
            content=encoded["body"],
            headers=headers,
            extensions={"sni_hostname": target.host},
        )
    return response.status_code


def _host_header(endpoint: str, port: int) -> str:
    parts = urlsplit(endpoint)
    default = 443 if parts.scheme == "https" else 80
    host = parts.hostname or ""
    return host if port == default else f"{host}:{port}"


def payload_of(settings: Settings, notification: Notification, locale: str) -> str:
    """What the service worker shows: a title, the notification's text, where a click goes."""
    route = kinds.link(notification.kind, notification.data)
    values = dict(notification.data)
    reason = values.get("reason_en" if locale == "en" else "reason_fr")
    if reason:
        values["reason"] = reason
    return json.dumps(
        {
            "title": "Probant",
            "body": kinds.title(notification.kind, values, locale),
            "url": urls.app_url(settings.base_url, route or "/notifications"),
            "tag": notification.id.hex,
            "kind": notification.kind,
        },
        ensure_ascii=False,
    )


@task(name="notifications.send_push", queue="notifications")
async def send_push(*, organisation_id: str, notification_id: str, subscription_id: str) -> None:
    rt = runtime.current()
    await push_one(
        rt,
        organisation_id=uuid.UUID(organisation_id),
        notification_id=uuid.UUID(notification_id),
        subscription_id=uuid.UUID(subscription_id),
    )


async def push_one(
    rt: runtime.Runtime,
    *,
    organisation_id: uuid.UUID,
    notification_id: uuid.UUID,
    subscription_id: uuid.UUID,
) -> int | None:
    """Send one notification to one device; the push service's answer."""
    settings = rt.settings
    async with rt.database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        notification = await session.get(Notification, notification_id)
        subscription = await session.get(PushSubscription, subscription_id)
        if notification is None or subscription is None:
            return None
        user = await session.get(User, subscription.user_id)
        if user is None or user.deleted_at is not None or user.id != notification.user_id:
            return None
        message = Message(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            payload=payload_of(settings, notification, user.locale),
            topic=notification.id.hex,
        )
    try:
        status = await deliver(settings, message)
    except InvalidEndpointUrl as exc:
        log.warning("push.refused_address", error=exc.message("en"))
        return None
    except httpx.HTTPError as exc:
        raise PushServiceBusy(type(exc).__name__) from exc
    log.info("push.sent", status=status)
    if status in (404, 410):
        async with rt.database.unit_of_work(TenantScope()) as session:
            await session.execute(
                delete(PushSubscription).where(PushSubscription.id == subscription_id)
            )
        return status
    if status is not None and (status == 429 or status >= 500):
        raise PushServiceBusy(f"HTTP {status}")
    if status is not None and 200 <= status < 300:
        async with rt.database.unit_of_work(TenantScope()) as session:
            row = await session.get(PushSubscription, subscription_id)
            if row is not None:
                row.last_success_at = utcnow()
    return status
