"""Where a webhook may be sent: https in production, and never to a private, loopback,
link-local or otherwise non-public address — checked on the addresses DNS gives at delivery
time, and the connection then goes to the address that was checked (no second lookup)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from probant_platform.errors import DomainError

MAX_URL = 2000


class InvalidEndpointUrl(DomainError):
    code = "INVALID_ENDPOINT_URL"
    message_fr = "Adresse de webhook refusée : {reason}."
    message_en = "Webhook URL refused: {reason}."


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: int
    address: str  # the checked IP the request goes to


def check_url(url: str, *, require_https: bool) -> str:
    """The URL if its form is acceptable (the address is checked at each delivery)."""
    parts = urlsplit(url.strip())
    if len(url) > MAX_URL or parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidEndpointUrl(reason="https://host/path")
    if require_https and parts.scheme != "https":
        raise InvalidEndpointUrl(reason="https")
    if parts.username or parts.password or parts.fragment:
        raise InvalidEndpointUrl(reason="user, password or fragment")
    return url.strip()


def _public(address: str, *, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


async def resolve(url: str, *, allow_loopback: bool) -> Target:
    """The address to deliver to; refuses when any address the name resolves to is not public."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InvalidEndpointUrl(reason=f"{host} does not resolve") from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    refused = [a for a in addresses if not _public(a, allow_loopback=allow_loopback)]
    if not addresses or refused:
        raise InvalidEndpointUrl(reason=f"{host} resolves to a non-public address")
    return Target(url=url, host=host, port=port, address=addresses[0])
