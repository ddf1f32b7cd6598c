"""A local stand-in for the Stripe API endpoints Probant calls, and Stripe-style webhook signing.

It speaks just enough of the real wire format (form-encoded nested parameters in, JSON
objects out, Stripe's error envelope on 404) for the official `stripe` library to talk to it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

WEBHOOK_SECRET = "whsec_test_probant"
_KEY = re.compile(r"([^\[\]]+)|\[([^\[\]]*)\]")


def parse_form(body: bytes) -> dict[str, Any]:
    """`a[b][0][c]=x` into nested dicts and lists, as Stripe decodes it."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        parts = [m.group(1) or m.group(2) for m in _KEY.finditer(key)]
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            nxt = None if last else parts[index + 1]
            container: Any = [] if (nxt is not None and nxt.isdigit()) else {}
            if isinstance(node, list):
                position = int(part)
                while len(node) <= position:
                    node.append(None)
                if last:
                    node[position] = value
                elif node[position] is None:
                    node[position] = container
                node = node[position] if not last else node
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, container)
    return root


@dataclass
class FakeStripe:
    """The fake's state: what was created, and the objects tests make it return."""

    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkout_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self._ids):06d}"

    def reset(self) -> None:
        for store in (self.customers, self.checkout_sessions, self.subscriptions, self.invoices):
            store.clear()
        self.requests.clear()


def _missing(kind: str, ident: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "message": f"No such {kind}: '{ident}'",
                "param": "id",
            }
        },
        status_code=404,
    )


def build_app(fake: FakeStripe) -> Starlette:
    async def record(request: Request) -> dict[str, Any]:
        if not request.headers.get("authorization", "").startswith("Bearer sk_test_"):
            raise PermissionError("no api key")
        params = parse_form(await request.body()) if request.method == "POST" else {}
        fake.requests.append((request.method, request.url.path, params, dict(request.headers)))
        return params

    async def create_customer(request: Request) -> JSONResponse:
        params = await record(request)
        ident = fake.new_id("cus")
        fake.customers[ident] = {"id": ident, "object": "customer", **params}
        return JSONResponse(fake.customers[ident])

    async def create_checkout(request: Request) -> JSONResponse:
        params = await record(request)
        ident = fake.new_id("cs")
        fake.checkout_sessions[ident] = {
            "id": ident,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.test/c/pay/{ident}",
            "status": "open",
            "payment_status": "unpaid",
            **params,
        }
        return JSONResponse(fake.checkout_sessions[ident])

    async def create_portal(request: Request) -> JSONResponse:
        params = await record(request)
        ident = fake.new_id("bps")
        return JSONResponse(
            {
                "id": ident,
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.test/p/session/{ident}",
                **params,
            }
        )

    def getter(store: str, kind: str) -> Any:
        async def get(request: Request) -> JSONResponse:
            await record(request)
            ident = request.path_params["id"]
            found = getattr(fake, store).get(ident)
            return JSONResponse(found) if found else _missing(kind, ident)

        return get

    return Starlette(
        routes=[
            Route("/v1/customers", create_customer, methods=["POST"]),
            Route("/v1/checkout/sessions", create_checkout, methods=["POST"]),
            Route("/v1/billing_portal/sessions", create_portal, methods=["POST"]),
            Route(
                "/v1/checkout/sessions/{id}",
                getter("checkout_sessions", "checkout.session"),
                methods=["GET"],
            ),
            Route(
                "/v1/subscriptions/{id}", getter("subscriptions", "subscription"), methods=["GET"]
            ),
            Route("/v1/invoices/{id}", getter("invoices", "invoice"), methods=["GET"]),
        ]
    )


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send for `payload`."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(event_id: str, kind: str, obj: dict[str, Any]) -> str:
    """A webhook payload as Stripe sends it (a snapshot event)."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
    )


def subscription(
    ident: str,
    *,
    customer: str,
    organisation_id: str,
    plan_id: str,
    status: str = "active",
    start: int,
    end: int,
) -> dict[str, Any]:
    """A subscription as the current API returns it (periods on the item)."""
    return {
        "id": ident,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": False,
        "metadata": {"organisation_id": organisation_id, "plan_id": plan_id},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{ident}",
                    "object": "subscription_item",
                    "current_period_start": start,
                    "current_period_end": end,
                }
            ],
        },
    }


def invoice(
    ident: str, *, customer: str, subscription_id: str, start: int, end: int
) -> dict[str, Any]:
    return {
        "id": ident,
        "object": "invoice",
        "customer": customer,
        "status": "paid",
        "amount_paid": 39_900,
        "hosted_invoice_url": f"https://invoice.stripe.test/i/{ident}",
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription_id},
        },
        "lines": {"object": "list", "data": [{"period": {"start": start, "end": end}}]},
    }
