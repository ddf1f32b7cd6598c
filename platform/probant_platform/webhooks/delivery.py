"""One delivery attempt: sign, send to the checked address, log, then retry or give up.

The HTTP call happens outside any transaction; what it found is recorded in a second one.
After the last attempt fails the endpoint is disabled and the organisation's admins are told.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.events.models import DomainEvent
from probant_platform.jobs import enqueue
from probant_platform.observability_metrics import observe_webhook
from probant_platform.webhooks import secrets
from probant_platform.webhooks.addresses import InvalidEndpointUrl, Target, resolve
from probant_platform.webhooks.endpoints import TEST_EVENT
from probant_platform.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from probant_platform.webhooks.payloads import body_of, signed_headers
from probant_platform.webhooks.schedule import MAX_ATTEMPTS, RETRY_DELAYS, schedule_delivery
from probant_tenants.models import Membership, MembershipStatus, Organisation, Role, User

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Request:
    url: str
    body: str
    headers: dict[str, str]
    attempt: int


@dataclass(frozen=True)
class Result:
    status: int | None
    latency_ms: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


async def deliver(
    *, database: Database, settings: Settings, organisation_id: uuid.UUID, delivery_id: uuid.UUID
) -> DeliveryStatus | None:
    """Run the delivery's next attempt; None when there is nothing (more) to do."""
    scope = TenantScope(organisation_id=organisation_id)
    async with database.unit_of_work(scope) as session:
        request = await _prepare(session, settings, delivery_id)
    if request is None:
        return None
    result = await send(settings, request)
    observe_webhook(status=result.status, latency_ms=result.latency_ms)
    async with database.unit_of_work(scope) as session:
        return await _record(session, delivery_id, request.attempt, result)


async def _prepare(
    session: AsyncSession, settings: Settings, delivery_id: uuid.UUID
) -> Request | None:
    row = (
        await session.execute(
            select(WebhookDelivery, WebhookEndpoint, DomainEvent)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .join(DomainEvent, DomainEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id)
            .with_for_update(of=WebhookDelivery)
        )
    ).one_or_none()
    if row is None or row[0].status is not DeliveryStatus.PENDING:
        return None
    delivery, endpoint, event = row
    if not endpoint.enabled and event.type != TEST_EVENT:
        delivery.status = DeliveryStatus.FAILED
        return None
    body = body_of(event)
    headers = signed_headers(
        secret=secrets.unseal(settings, endpoint.secret_encrypted),
        message_id=f"msg_{event.id.hex}",
        body=body,
        now=utcnow(),
    )
    return Request(url=endpoint.url, body=body, headers=headers, attempt=delivery.attempts + 1)


async def send(settings: Settings, request: Request) -> Result:
    """POST to the address checked just now; redirects are not followed."""
    try:
        target = await resolve(request.url, allow_loopback=settings.webhooks_may_reach_loopback)
    except InvalidEndpointUrl as exc:
        return Result(status=None, latency_ms=None, error=exc.message("en")[:300])
    started = time.perf_counter()
    try:
        async with httpx.AsyncClient(
            follow_redirects=False, timeout=settings.webhook_timeout_seconds, trust_env=False
        ) as http:
            response = await http.post(
                _pinned(target),
                content=request.body.encode(),
                headers={**request.headers, "host": _host_header(target)},
                extensions={"sni_hostname": target.host},
            )
    except httpx.TimeoutException:
        return Result(status=None, latency_ms=_since(started), error="timeout")
    except httpx.HTTPError as exc:
        return Result(status=None, latency_ms=_since(started), error=type(exc).__name__)
    error = "redirect not followed" if response.is_redirect else None
    return Result(status=response.status_code, latency_ms=_since(started), error=error)


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _pinned(target: Target) -> str:
    """The URL with its host replaced by the checked address (no second DNS lookup)."""
    address = f"[{target.address}]" if ":" in target.address else target.address
    parts = httpx.URL(target.url)
    return str(parts.copy_with(host=address.strip("[]"), port=target.port))


def _host_header(target: Target) -> str:
    default = 443 if target.url.startswith("https:") else 80
    return target.host if target.port == default else f"{target.host}:{target.port}"


async def _record(
    session: AsyncSession, delivery_id: uuid.UUID, attempt: int, result: Result
) -> DeliveryStatus:
    delivery = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
    assert delivery is not None
    endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id, with_for_update=True)
    assert endpoint is not None
    session.add(
        WebhookAttempt(
            organisation_id=delivery.organisation_id,
            delivery_id=delivery.id,
            attempt=attempt,
            attempted_at=utcnow(),
            response_status=result.status,
            latency_ms=result.latency_ms,
            error=result.error,
            succeeded=result.succeeded,
        )
    )
    delivery.attempts = attempt
    if result.succeeded:
        delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, utcnow()
        delivery.next_attempt_at = None
        endpoint.consecutive_failures = 0
    elif attempt < MAX_ATTEMPTS:
        endpoint.consecutive_failures += 1
        await schedule_delivery(session, delivery, delay_seconds=RETRY_DELAYS[attempt - 1])
    else:
        endpoint.consecutive_failures += 1
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        if endpoint.enabled:
            await _disable(session, endpoint, attempt, result)
    await session.flush()
    return delivery.status


async def _disable(
    session: AsyncSession, endpoint: WebhookEndpoint, attempts: int, result: Result
) -> None:
    endpoint.enabled, endpoint.disabled_at = False, utcnow()
    error = result.error or f"HTTP {result.status}"
    endpoint.disabled_reason = f"every attempt failed ({error})"[:200]
    log.warning("webhook.endpoint_disabled", endpoint_id=str(endpoint.id), error=error)
    organisation = await session.get(Organisation, endpoint.organisation_id)
    admins = await session.execute(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == endpoint.organisation_id,
            Membership.role.in_([Role.OWNER, Role.ADMIN]),
            Membership.status == MembershipStatus.ACTIVE,
            User.deleted_at.is_(None),
        )
    )
    for admin in admins.scalars():
        await enqueue(
            session,
            "notifications.send_email",
            to=admin.email,
            template="webhook_disabled",
            locale=admin.locale,
            context={
                "url": endpoint.url,
                "attempts": attempts,
                "error": error,
                "organisation": organisation.name if organisation else "",
            },
        )
