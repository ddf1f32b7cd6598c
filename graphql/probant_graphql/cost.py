"""A query-cost limit beside the depth, alias and token limits: the cost is estimated from
the document before anything runs, each field counting once per object it may be asked of.

A field taking `first`/`last` multiplies what is below it by that number; another list field
by `DEFAULT_LIST_SIZE` (a connection's `edges` are already counted by its `first`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

DEFAULT_LIST_SIZE = 10
DEFAULT_MAX_COST = 10_000
COST_KEY = "query_cost"


class Estimator:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]):
        self.schema, self.variables = schema, variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        return self.selections(operation.selection_set, root, set()) if root else 0

    def selections(
        self, selection_set: SelectionSetNode | None, parent: Any, seen: set[str]
    ) -> int:
        if selection_set is None or parent is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, target, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    inner = seen | {selection.name.value}
                    total += self.selections(fragment.selection_set, target, inner)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType, seen: set[str]) -> int:
        fields = getattr(parent, "fields", {})
        definition = fields.get(node.name.value)
        if definition is None:
            return 1
        child = get_named_type(definition.type)
        below = self.selections(node.selection_set, child, seen)
        return 1 + self.multiplier(node, definition, parent) * below

    def multiplier(self, node: FieldNode, definition: Any, parent: GraphQLNamedType) -> int:
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                value = self.value(argument.value)
                if value is not None:
                    return max(1, value)
        if "first" in definition.args or "last" in definition.args:
            return DEFAULT_LIST_SIZE
        listed = isinstance(get_nullable_type(definition.type), GraphQLList)
        return 1 if not listed or parent.name.endswith("Connection") else DEFAULT_LIST_SIZE

    def value(self, node: Any) -> int | None:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            found = self.variables.get(node.name.value)
            return found if isinstance(found, int) else None
        return None


def estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    operation_name: str | None = None,
) -> int:
    estimator = Estimator(schema, document, variables or {})
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    return max((estimator.operation(o) for o in chosen), default=0)


class QueryCostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost is above the limit, before it runs."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            cost = estimate(
                context.schema._schema, document, context.variables, context.operation_name
            )
            settings = getattr(context.context, "settings", None)
            limit = getattr(settings, "max_query_cost", DEFAULT_MAX_COST)
            cache = getattr(context.context, "cache", None)
            if isinstance(cache, dict):
                cache[COST_KEY] = cost
            if cost > limit:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Requête trop coûteuse ({cost} > {limit}) / "
                            f"Query too costly ({cost} > {limit}): ask for fewer items.",
                            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit},
                        )
                    ],
                )
        yield
