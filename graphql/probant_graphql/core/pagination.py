"""Keyset (cursor) pagination for Relay connections: stable under inserts, one query per page."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from strawberry import relay

from probant_platform.errors import DomainError
from probant_platform.text import contains_pattern  # noqa: F401  (re-exported)

T = TypeVar("T")
N = TypeVar("N", bound=relay.Node)

MAX_PAGE = 100
DEFAULT_PAGE = 20


class InvalidCursor(DomainError):
    code = "INVALID_CURSOR"
    message_fr = "Curseur de pagination invalide."
    message_en = "Invalid pagination cursor."


def encode_cursor(created_at: datetime, row_id: Any) -> str:
    if isinstance(row_id, uuid.UUID):
        # The same bytes as `json.dumps` (neither part has a character JSON escapes), at half
        # the cost: a page encodes a cursor per row.
        raw = f'["{created_at.isoformat()}", "{row_id}"]'.encode()
    else:
        raw = json.dumps([created_at.isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created), str(row_id)
    except (ValueError, TypeError) as exc:
        raise InvalidCursor() from exc


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    return max(1, min(first, MAX_PAGE))


def newest_first(
    query: Any,
    *,
    created: InstrumentedAttribute[Any],
    ident: InstrumentedAttribute[Any],
    after: str | None,
    first: int | None,
) -> Any:
    """Order by (created, id) descending, start after the cursor, fetch one extra row."""
    if after:
        when, row_id = decode_cursor(after)
        try:
            typed_id = ident.type.python_type(row_id)
        except ValueError as exc:
            raise InvalidCursor() from exc
        query = query.where(or_(created < when, and_(created == when, ident < typed_id)))
    return query.order_by(created.desc(), ident.desc()).limit(page_size(first) + 1)


def empty_connection() -> relay.Connection[Any]:
    """A connection without a row (a viewer who sees none)."""
    return relay.Connection(
        edges=[],
        page_info=relay.PageInfo(
            has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None
        ),
    )


def connection(
    rows: Sequence[T],
    *,
    first: int | None,
    after: str | None,
    cursor_of: Callable[[T], str],
    to_node: Callable[[T], N],
) -> relay.Connection[N]:
    """A Relay connection for one page of `rows` (fetched with one extra row)."""
    size = page_size(first)
    edges = [relay.Edge(cursor=cursor_of(row), node=to_node(row)) for row in rows[:size]]
    return relay.Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def page(
    session: AsyncSession,
    query: Any,
    *,
    created: InstrumentedAttribute[Any],
    ident: InstrumentedAttribute[Any],
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], N],
    rows: bool = False,
    cursor_of: Callable[[Any], str] | None = None,
) -> relay.Connection[N]:
    """One page of a query, newest first, as a Relay connection (one query).

    The query selects one model, or with `rows` several columns or models (the rows are
    handed over as they are); `cursor_of` reads a row's cursor, by default from its
    `created` and `ident` attributes."""
    found = await session.execute(
        newest_first(query, created=created, ident=ident, after=after, first=first)
    )
    return connection(
        found.all() if rows else found.scalars().all(),
        first=first,
        after=after,
        cursor_of=cursor_of
        or (lambda row: encode_cursor(getattr(row, created.key), getattr(row, ident.key))),
        to_node=to_node,
    )
