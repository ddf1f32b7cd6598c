"""The evidence read side as the API asks for it: the reader a request stands for, the
deposits and items it may fetch by id, and the DataLoader of a page's items."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.permissions import current_actor, may
from probant_platform.evidence import queries
from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_tenants.authz import Permission
from probant_tenants.context import Actor

T = TypeVar("T")


async def reader_for(info: Info[Context, Any], actor: Actor) -> queries.Reader:
    """The actor as a reader of deposits (the permission is asked once per request)."""
    return queries.Reader(
        organisation_id=actor.organisation_id,
        membership_id=actor.membership_id,
        reads_all=await may(info, actor, Permission.DEPOSITS_READ_ALL),
    )


async def reader_of(info: Info[Context, Any]) -> queries.Reader | None:
    """The request's reader, or None for an anonymous one (or a token not minted for this
    field)."""
    actor = await current_actor(info)
    return None if actor is None else await reader_for(info, actor)


async def visible_deposits(
    info: Info[Context, Any], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Deposit]:
    reader = await reader_of(info)
    if reader is None or not ids:
        return {}
    return await queries.visible_deposits(session=info.context.session, reader=reader, ids=ids)


async def visible_items(
    info: Info[Context, Any], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EvidenceItem]:
    reader = await reader_of(info)  # also pins the session to the viewer's tenant
    if reader is None:
        return {}
    return await queries.visible_items(session=info.context.session, reader=reader, ids=ids)


def items_loader(
    info: Info[Context, Any], to_item: Callable[[queries.AnyRow], T]
) -> DataLoader[uuid.UUID, list[T]]:
    """The request's loader of deposits' stored items: one query for a whole page."""
    found = info.context.cache.get("deposit_items")
    if found is None:

        async def load(keys: list[uuid.UUID]) -> list[list[T]]:
            grouped = await queries.stored_items_of(session=info.context.session, deposit_ids=keys)
            return [[to_item(row) for row in grouped[key]] for key in keys]

        found = DataLoader(load_fn=load)
        info.context.cache["deposit_items"] = found
    return found
