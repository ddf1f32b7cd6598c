"""A local stand-in for the parts of Stripe's API that Probant calls, and Stripe-style signing.

It speaks form-encoded requests and JSON responses like api.stripe.com, keeps its objects in
memory, and records every request so tests can assert what was asked.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from tests.e2e.live import serve


def _nested(form: dict[str, str], prefix: str) -> dict[str, str]:
    """`metadata[key]=value` form fields as {key: value}."""
    start = f"{prefix}["
    return {
        k[len(start) : -1]: v for k, v in form.items() if k.startswith(start) and k.endswith("]")
    }


@dataclass
class FakeStripe:
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def _id(self, prefix: str) -> str:
        # Random like Stripe's: every stand-in shares one committed database with the others,
        # where customer ids are unique.
        return f"{prefix}_test{next(self._ids)}{secrets.token_hex(6)}"

    async def _record(self, request: Request) -> dict[str, str]:
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        self.requests.append((request.method, request.url.path, form))
        return form

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization", "").startswith("Bearer sk_test_")

    async def create_customer(self, request: Request) -> JSONResponse:
        form = await self._record(request)
        if not self._authorised(request):
            return JSONResponse(
                {"error": {"message": "bad key", "type": "invalid_request_error"}}, 401
            )
        customer = {
            "id": self._id("cus"),
            "object": "customer",
            "name": form.get("name"),
            "metadata": _nested(form, "metadata"),
        }
        self.customers[customer["id"]] = customer
        return JSONResponse(customer)

    async def create_session(self, request: Request) -> JSONResponse:
        form = await self._record(request)
        session_id = self._id("cs")
        checkout = {
            "id": session_id,
            "object": "checkout.session",
            "mode": form["mode"],
            "customer": form.get("customer"),
            "metadata": _nested(form, "metadata"),
            "subscription_metadata": _nested(form, "subscription_data[metadata]"),
            "amount_total": int(form.get("line_items[0][price_data][unit_amount]", "0")),
            "url": f"https://checkout.stripe.test/c/{session_id}",
            "payment_status": "unpaid",
        }
        self.sessions[session_id] = checkout
        return JSONResponse(checkout)

    async def create_portal(self, request: Request) -> JSONResponse:
        form = await self._record(request)
        return JSONResponse(
            {
                "id": self._id("bps"),
                "object": "billing_portal.session",
                "customer": form["customer"],
                "url": "https://billing.stripe.test/p/1",
            }
        )

    async def get_subscription(self, request: Request) -> JSONResponse:
        self.requests.append((request.method, request.url.path, {}))
        found = self.subscriptions.get(request.path_params["id"])
        if found is None:
            return JSONResponse(
                {"error": {"message": "No such subscription", "type": "invalid_request_error"}}, 404
            )
        return JSONResponse(found)

    async def get_invoice(self, request: Request) -> JSONResponse:
        self.requests.append((request.method, request.url.path, {}))
        found = self.invoices.get(request.path_params["id"])
        if found is None:
            return JSONResponse(
                {"error": {"message": "No such invoice", "type": "invalid_request_error"}}, 404
            )
        return JSONResponse(found)

    def set_subscription(
        self, subscription_id: str, *, status: str, metadata: dict[str, str], start: int, end: int
    ) -> None:
        """What Stripe would answer for the subscription now."""
        self.subscriptions[subscription_id] = {
            "id": subscription_id,
            "object": "subscription",
            "status": status,
            "metadata": metadata,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": "si_1",
                        "object": "subscription_item",
                        "current_period_start": start,
                        "current_period_end": end,
                    }
                ],
            },
        }

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/customers", self.create_customer, methods=["POST"]),
                Route("/v1/checkout/sessions", self.create_session, methods=["POST"]),
                Route("/v1/billing_portal/sessions", self.create_portal, methods=["POST"]),
                Route("/v1/subscriptions/{id}", self.get_subscription, methods=["GET"]),
                Route("/v1/invoices/{id}", self.get_invoice, methods=["GET"]),
            ]
        )


@contextmanager
def fake_stripe() -> Iterator[tuple[FakeStripe, str]]:
    stripe = FakeStripe()
    with serve(stripe.app()) as origin:
        yield stripe, origin


def sign(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send for `payload`."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def event(event_id: str, kind: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "api_version": "2025-10-29",
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()
