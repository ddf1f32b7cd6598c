"""The JSON a webhook carries, and its Standard Webhooks signature headers.

Ids are the GraphQL API's global ids (the ones `node(id:)` takes); no media, no personal data.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import Webhook

from probant_platform.events.models import DomainEvent

NODE_TYPES = {
    "deposit_id": ("deposit", "Deposit"),
    "submission_id": ("submission", "Submission"),
    "order_id": ("constat_order", "ConstatOrder"),
    "request_id": ("onsite_request", "OnSiteRequest"),
    "office_id": ("office", "BailiffOffice"),
}


def _global_id(type_name: str, value: str) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def body_of(event: DomainEvent) -> str:
    data: dict[str, Any] = {}
    for key, value in event.data.items():
        if key in NODE_TYPES and value:
            name, type_name = NODE_TYPES[key]
            data[f"{name}_id"] = _global_id(type_name, str(value))
        else:
            data[key] = value
    payload = {
        "id": f"evt_{event.id.hex}",
        "type": event.type,
        "version": event.version,
        "timestamp": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(*, secret: str, message_id: str, body: str, now: datetime) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": "Probant-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
    }
