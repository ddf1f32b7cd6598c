"""A local push service (RFC 8030) that checks what a real one checks, independently of our
sender: the VAPID JWT (RFC 8292, ES256 over the key in `k`, audience, expiry, subject), and
decrypts the aes128gcm payload (RFC 8291) with the subscription's private key, which the
test (playing the browser) holds. It answers each message with the next planned status."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One browser's subscription: its ECDH key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscription(self) -> dict[str, str]:
        return {"endpoint": self.endpoint, "p256dh": self.p256dh, "auth": b64(self.auth)}


@dataclass
class Delivered:
    path: str
    headers: dict[str, str]
    claims: dict[str, Any]
    vapid_key: str
    payload: dict[str, Any]


def verify_vapid(authorization: str, audience: str) -> tuple[dict[str, Any], str]:
    """The JWT's claims and the server key `k`, or AssertionError."""
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    token, key = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64(header_b64))
    assert header["alg"] == "ES256", header
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    raw = unb64(signature_b64)
    assert len(raw) == 64
    signature = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public.verify(signature, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(unb64(claims_b64))
    assert claims["aud"] == audience, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
    assert claims["sub"].startswith(("mailto:", "https:")), claims
    return claims, key


@dataclass
class PushService:
    port: int = 0
    browsers: dict[str, Browser] = field(default_factory=dict)
    replies: list[int] = field(default_factory=list)
    delivered: list[Delivered] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def browser(self) -> Browser:
        found = Browser(endpoint=f"{self.origin}/push/{b64(os.urandom(12))}")
        self.browsers[found.endpoint.removeprefix(self.origin)] = found
        return found

    def plan(self, *statuses: int) -> None:
        self.replies.extend(statuses)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        first, *lines = head.decode("latin-1").split("\r\n")
        path = first.split(" ")[1]
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines if h)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = self.replies.pop(0) if self.replies else 201
        try:
            browser = self.browsers[path]
            claims, key = verify_vapid(headers["authorization"], self.origin)
            assert headers["content-encoding"] == "aes128gcm"
            assert int(headers["ttl"]) > 0
            plain = http_ece.decrypt(
                body,
                private_key=browser.private_key,
                auth_secret=browser.auth,
                version="aes128gcm",
            )
            self.delivered.append(
                Delivered(path, headers, claims, key, json.loads(plain.decode("utf-8")))
            )
        except (AssertionError, KeyError, ValueError, InvalidSignature) as exc:
            self.refused.append(f"{type(exc).__name__}: {exc}")
            status = 400 if path in self.browsers else 404
        writer.write(
            f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".encode()
        )
        try:
            await writer.drain()
            writer.close()
        except ConnectionError:
            pass


@asynccontextmanager
async def running_push_service() -> AsyncIterator[PushService]:
    service = PushService()
    server = await asyncio.start_server(service._serve, "127.0.0.1", 0)
    service.port = server.sockets[0].getsockname()[1]
    try:
        yield service
    finally:
        server.close()
        await server.wait_closed()
