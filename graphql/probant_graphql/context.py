"""Per-request GraphQL context: the runtime's services and one unit of work for the operation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from probant_platform.runtime import Runtime


@dataclass
class Context:
    """What every resolver receives as `info.context`.

    The session is one transaction for the whole operation: the view commits it when the
    operation ends without unexpected errors and rolls it back otherwise.
    """

    request: Request
    response: Response
    runtime: Runtime
    session: AsyncSession
    failed: bool = False
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Any:
        return self.runtime.settings

    @property
    def client_ip(self) -> str | None:
        """The client's address: the proxy-headers middleware has already replaced the
        peer's address with the forwarded one when (and only when) the peer is trusted."""
        client = self.request.client
        return client.host if client else None
