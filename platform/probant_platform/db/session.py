"""Engines, sessions and the unit of work that pins each transaction to one tenant."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

SCOPE_KEY = "probant.scope"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message names the host, never a password."""


@dataclass(frozen=True, slots=True)
class TenantScope:
    """What the row-level-security policies see for one transaction.

    `organisation_id` is the acting tenant; `office_id` is set for bailiff-office staff so
    the office policies can grant access to deposits assigned to that office; `user_id`
    lets ownership policies and audit triggers know the actor. `system` marks platform
    maintenance done on behalf of no tenant (it still sees no tenant rows).
    """

    organisation_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    office_id: uuid.UUID | None = None

    def settings(self) -> dict[str, str]:
        return {
            "probant.tenant_id": str(self.organisation_id or ""),
            "probant.user_id": str(self.user_id or ""),
            "probant.office_id": str(self.office_id or ""),
        }


NO_TENANT = TenantScope()


def _apply_scope(session: Session, transaction: SessionTransaction | None, connection: Any) -> None:
    scope: TenantScope = session.info.get(SCOPE_KEY, NO_TENANT)
    if scope == NO_TENANT and transaction is not None and not connection.in_nested_transaction():
        # A new top-level transaction has no transaction-local settings yet (they are never
        # set per connection): no tenant is already what the policies see. Inside a SAVEPOINT
        # (tests) an earlier unit of work's settings may still be there, so they are cleared.
        return
    values = scope.settings()
    # Transaction-local (third argument true): a pooled connection never carries a tenant over.
    connection.execute(
        text(
            "SELECT set_config('probant.tenant_id', :t, true),"
            " set_config('probant.user_id', :u, true),"
            " set_config('probant.office_id', :o, true)"
        ),
        {
            "t": values["probant.tenant_id"],
            "u": values["probant.user_id"],
            "o": values["probant.office_id"],
        },
    )


event.listen(Session, "after_begin", _apply_scope)


def to_async_url(url: str) -> str:
    """Normalise any PostgreSQL URL to the psycopg 3 async driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def describe_host(url: str) -> str:
    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "localhost"
    return f"{host}:{parsed.port or 5432}/{parsed.database or ''}"


async def rescope(session: AsyncSession, scope: TenantScope) -> None:
    """Pin the session to another scope, starting with the transaction already open."""
    session.info[SCOPE_KEY] = scope
    if session.in_transaction():
        conn = await session.connection()
        await conn.run_sync(lambda sync_conn: _apply_scope(session.sync_session, None, sync_conn))


@asynccontextmanager
async def acting_as(session: AsyncSession, scope: TenantScope) -> AsyncIterator[AsyncSession]:
    """Run the block in another tenant's scope, then return to the session's own.

    The one way a service acts across tenants (an operator crediting an organisation, an
    account deleted in each of its organisations). The scope goes back on an exception too;
    when the failure has aborted the transaction, the caller's rollback undoes it instead.
    """
    previous: TenantScope = session.info.get(SCOPE_KEY, NO_TENANT)
    await rescope(session, scope)
    try:
        yield session
    except BaseException:
        session.info[SCOPE_KEY] = previous
        with contextlib.suppress(DBAPIError):
            await rescope(session, previous)
        raise
    await rescope(session, previous)


class Database:
    """The application's database: an engine connected as the non-owner application role."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        bind: AsyncConnection | None = None,
        pre_ping: bool = True,
    ):
        self.url = url
        # The API serves with `pre_ping=False`: no ping round trip on every checkout (that is
        # every request). Connections are recycled after half an hour instead, and one found
        # dead mid-request invalidates the whole pool (SQLAlchemy's disconnect handling), so
        # after a database restart one request fails, not one per pooled connection.
        self.engine: AsyncEngine = create_async_engine(
            to_async_url(url),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=pre_ping,
            pool_recycle=1800,
        )
        # In tests, `bind` is one outer connection whose transaction is rolled back at the end;
        # every unit of work then runs in a SAVEPOINT of it.
        self._bind = bind
        self._factory = async_sessionmaker(
            bind=bind or self.engine,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )

    def session(self, scope: TenantScope = NO_TENANT) -> AsyncSession:
        """A new session whose every transaction is pinned to `scope`."""
        session = self._factory()
        session.info[SCOPE_KEY] = scope
        return session

    @asynccontextmanager
    async def unit_of_work(self, scope: TenantScope = NO_TENANT) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        async with self.session(scope) as session, session.begin():
            yield session

    async def ping(self) -> None:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise DatabaseUnavailable(
                f"cannot reach PostgreSQL at {describe_host(self.url)}: {type(exc).__name__}"
            ) from exc

    async def dispose(self) -> None:
        await self.engine.dispose()
