"""The request's shared reads of the bailiff folder: the viewer (its permissions asked once),
the DataLoaders of related rows (one query for every key asked on a page), and the page and
node lookups that go through the domain's visibility rules (`probant_platform.bailiffs.queries`).

They return the domain's rows; `types.py` turns them into GraphQL types.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.core.pagination import empty_connection, page
from probant_graphql.permissions import current_actor, may, operation_allowed, require
from probant_platform.bailiffs import models, queries
from probant_platform.bailiffs.directory import OfficeHit
from probant_platform.evidence.models import Deposit
from probant_tenants.authz import Permission

V = TypeVar("V")
N = TypeVar("N", bound=relay.Node)


def loader(
    info: Info[Context, Any],
    name: str,
    fetch: Callable[[Sequence[uuid.UUID]], Awaitable[dict[uuid.UUID, V]]],
) -> DataLoader[uuid.UUID, V | None]:
    """The request's DataLoader called `name`: one query for every key asked on the page."""
    found = info.context.cache.get(name)
    if found is None:

        async def load(keys: list[uuid.UUID]) -> list[V | None]:
            rows = await fetch(keys)
            return [rows.get(key) for key in keys]

        found = DataLoader(load_fn=load)
        info.context.cache[name] = found
    return found


async def viewer_of(info: Info[Context, Any]) -> queries.Viewer | None:
    """The request's viewer for the bailiff read side (its permissions asked once), or None."""
    found = info.context.cache.get("bailiffs.viewer")
    if found is not None:
        return found
    actor = await current_actor(info)
    if actor is None:
        return None
    found = queries.Viewer(
        organisation_id=actor.organisation_id,
        membership_id=actor.membership_id,
        user_id=actor.user_id,
        office_id=queries.office_of(actor),
        reviews_deposits=await may(info, actor, Permission.REVIEW_DEPOSITS),
        orders_constats=await may(info, actor, Permission.CONSTAT_ORDER),
        reads_all_deposits=await may(info, actor, Permission.DEPOSITS_READ_ALL),
        reads_deposits=operation_allowed(info, actor),
    )
    info.context.cache["bailiffs.viewer"] = found
    return found


async def visible_page(
    info: Info[Context, Any],
    listing: Callable[[queries.Viewer], Any],
    model: Any,
    *,
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], N],
) -> relay.Connection[N]:
    """One page, newest first, of the rows a listing rule of the domain shows the viewer."""
    await require(info)
    viewer = await viewer_of(info)
    if viewer is None:
        return empty_connection()
    return await page(
        info.context.session,
        listing(viewer),
        created=model.created_at,
        ident=model.id,
        first=first,
        after=after,
        to_node=to_node,
    )


def decode_ids(node_ids: list[str], type_name: str) -> list[uuid.UUID | None]:
    return [decode_id(n, type_name) for n in node_ids]


async def visible_nodes(
    info: Info[Context, Any],
    node_ids: list[str],
    type_name: str,
    visible: Callable[..., Awaitable[dict[uuid.UUID, Any]]],
    to_node: Callable[[Any], V],
) -> list[V | None]:
    """`resolve_nodes` of a type the viewer sees through one of the domain's visibility rules."""
    viewer = await viewer_of(info)
    ids = decode_ids(node_ids, type_name)
    found = {}
    if viewer is not None:
        wanted = [i for i in ids if i is not None]
        found = await visible(session=info.context.session, viewer=viewer, ids=wanted)
    return [to_node(found[i]) if i in found else None for i in ids]


async def office_hits(
    info: Info[Context, Any], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, OfficeHit]:
    return await queries.offices_by_id(session=info.context.session, ids=ids)


async def office_hit(info: Info[Context, Any], office_id: uuid.UUID) -> OfficeHit | None:
    return await loader(info, "bailiffs.offices", lambda ids: office_hits(info, ids)).load(
        office_id
    )


async def office_document(
    info: Info[Context, Any], kind: models.DocumentKind, subject_id: uuid.UUID
) -> models.OfficeDocument | None:
    async def fetch(ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, models.OfficeDocument]:
        return await queries.documents_by_subject(
            session=info.context.session, kind=kind, subject_ids=ids
        )

    return await loader(info, f"bailiffs.documents.{kind.value}", fetch).load(subject_id)


async def deposit(info: Info[Context, Any], deposit_id: uuid.UUID) -> Deposit | None:
    async def fetch(ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Deposit]:
        return await queries.deposits_by_id(session=info.context.session, ids=ids)

    return await loader(info, "bailiffs.deposits", fetch).load(deposit_id)


async def submission_of_deposit(
    info: Info[Context, Any], deposit_id: uuid.UUID
) -> models.Submission | None:
    """The submission of a deposit the viewer already sees (one query per page)."""

    async def fetch(ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, models.Submission]:
        return await queries.submissions_by_deposit(session=info.context.session, deposit_ids=ids)

    return await loader(info, "bailiffs.submission_of_deposit", fetch).load(deposit_id)
