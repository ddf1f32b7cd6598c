"""That a partner token's scopes cover each field it reads (see `FIELD_SCOPES`).

Only the few fields listed in `FIELD_SCOPES` need a check, and they are known when the schema
is built: `guard_field_scopes` wraps those fields' resolvers once, at start-up. Every other
field resolves with no hook at all (this used to be a schema extension's `resolve` hook, which
graphql-core ran around every resolved field of every request: ~200 calls for a page of
twenty deposits). A guarded field read by a cookie session (whose actor is already known: no
scopes to enforce) costs one dictionary lookup; a partner token's decision is taken once per
request and field, whatever the number of rows.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo, default_field_resolver

from probant_graphql.permissions import (
    FIELD_SCOPES,
    PermissionDenied,
    cached_actor,
    current_actor,
    field_scope_allows,
)

INSUFFICIENT_SCOPE = "Portée du jeton insuffisante / Insufficient token scope"

_GUARD_MARK = "_probant_field_scope"


class UnknownScopedField(LookupError):
    """`FIELD_SCOPES` names a field the schema does not have (a typo would leave it open)."""


def guard_field_scopes(schema: strawberry.Schema) -> None:
    """Wrap the resolver of every field in `FIELD_SCOPES` with its scope check (idempotent)."""
    type_map = schema._schema.type_map
    for field in FIELD_SCOPES:
        type_name, _, field_name = field.partition(".")
        graphql_type = type_map.get(type_name)
        definition = (
            graphql_type.fields.get(field_name)
            if isinstance(graphql_type, GraphQLObjectType)
            else None
        )
        if definition is None:
            raise UnknownScopedField(field)
        if getattr(definition.resolve, _GUARD_MARK, None) == field:
            continue
        definition.resolve = _guarded(definition.resolve or default_field_resolver, field)


def _guarded(resolve: Callable[..., Any], field: str) -> Callable[..., Any]:
    decision_key = f"field-scope:{field}"

    async def checked(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        cache = info.context.cache
        allowed = cache.get(decision_key)
        if allowed is None:
            actor = await current_actor(info)  # type: ignore[arg-type]
            allowed = field_scope_allows(actor, field)
            cache[decision_key] = allowed
        if not allowed:
            raise PermissionDenied("INSUFFICIENT_SCOPE", INSUFFICIENT_SCOPE)
        result = resolve(root, info, **kwargs)
        return await result if inspect.isawaitable(result) else result

    def guarded(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        actor = cached_actor(info)  # type: ignore[arg-type]
        if actor is not None and actor.scopes is None:
            # A cookie session (or any actor without scopes): nothing to enforce.
            return resolve(root, info, **kwargs)
        return checked(root, info, **kwargs)

    setattr(guarded, _GUARD_MARK, field)
    return guarded
