"""Schema extensions that bound what one request may ask for.

They are passed to the schema as classes, so strawberry builds a fresh instance per
operation and no state is shared between requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000

# One credential check per operation: several in one document would let one request
# make several guesses, and bind them to the fate of one transaction.
AUTHENTICATION_FIELDS = frozenset({"logIn", "signUp", "resetPassword", "activateAccount"})

NUL_MESSAGE = "Caractère nul interdit dans un texte / NUL character not allowed in a string"


# strawberry builds its extensions for every request, and these two build a new validation
# rule class in their constructor: the rule classes are made once here and shared, or the
# valid-document cache (keyed by the rules, `probant_graphql.validation_cache`) never hits.
_DEPTH_RULES = QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules
_ALIAS_RULES = MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules


class DepthLimit(QueryDepthLimiter):
    def __init__(self) -> None:
        AddValidationRules.__init__(self, _DEPTH_RULES)


class AliasLimit(MaxAliasesLimiter):
    def __init__(self) -> None:
        AddValidationRules.__init__(self, _ALIAS_RULES)


class TokenLimit(MaxTokensLimiter):
    def __init__(self) -> None:
        super().__init__(max_token_count=MAX_TOKENS)


class NoIntrospection(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([NoSchemaIntrospectionCustomRule])


class OneAuthenticationFieldRule(ValidationRule):
    """Refuses a mutation that carries more than one credential-checking field."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if node.operation is not OperationType.MUTATION:
            return
        names = list(self._root_fields(node.selection_set, set()))
        if sum(name in AUTHENTICATION_FIELDS for name in names) > 1:
            self.report_error(
                GraphQLError(
                    "Une seule authentification par requête / One authentication per request",
                    node,
                    extensions={"code": "TOO_MANY_AUTHENTICATION_FIELDS"},
                )
            )

    def _root_fields(self, selections: SelectionSetNode, seen: set[str]) -> Iterator[str]:
        # Through fragments too: `...F` can carry as many aliased fields as the operation.
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                yield selection.name.value
            elif isinstance(selection, InlineFragmentNode):
                yield from self._root_fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                fragment = self.context.get_fragment(selection.name.value)
                if fragment is not None:
                    yield from self._root_fields(fragment.selection_set, seen)


class OneAuthenticationField(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([OneAuthenticationFieldRule])


def has_nul(value: Any) -> bool:
    """Whether a string anywhere in `value` (variables: dicts, lists, strings) holds a NUL.

    PostgreSQL cannot store one: refused here, it never becomes a database error. Other
    control characters are the domain's to judge (names refuse them with a typed error).
    """
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


class NoNulRule(ValidationRule):
    """String literals of the document follow the same rule as variables (see the view)."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if has_nul(node.value):
            self.report_error(GraphQLError(NUL_MESSAGE, node, extensions={"code": "INVALID_INPUT"}))


class NoNul(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([NoNulRule])
