"""Checks on every field that a partner token's scopes cover it (see `FIELD_SCOPES`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from probant_graphql.permissions import (
    FIELD_SCOPES,
    PermissionDenied,
    current_actor,
    field_scope_allows,
)

INSUFFICIENT_SCOPE = "Portée du jeton insuffisante / Insufficient token scope"


class FieldScopes(SchemaExtension):
    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        field = f"{info.parent_type.name}.{info.field_name}"
        if field not in FIELD_SCOPES:
            return _next(root, info, *args, **kwargs)
        return self._guarded(_next, root, info, field, *args, **kwargs)

    async def _guarded(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        field: str,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        actor = await current_actor(info)  # type: ignore[arg-type]
        if not field_scope_allows(actor, field):
            raise PermissionDenied("INSUFFICIENT_SCOPE", INSUFFICIENT_SCOPE)
        result = _next(root, info, *args, **kwargs)
        return await result if inspect.isawaitable(result) else result
