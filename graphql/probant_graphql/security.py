"""Schema extensions that bound what one request may ask for, and what its errors may say.

They are passed to the schema as classes, so strawberry builds a fresh instance per
operation and no state is shared between requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import structlog
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
from graphql.error import GraphQLSyntaxError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from probant_platform.db.errors import is_database_error

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000

# One credential check per operation: several in one document would let one request
# make several guesses, and bind them to the fate of one transaction.
AUTHENTICATION_FIELDS = frozenset({"logIn", "signUp", "resetPassword", "activateAccount"})

INTERNAL_MESSAGE = "Erreur interne / Internal server error"
_SUGGESTION = re.compile(r" Did you mean .*\?$")
NUL_MESSAGE = "Caractère nul interdit dans un texte / NUL character not allowed in a string"


class DepthLimit(QueryDepthLimiter):
    def __init__(self) -> None:
        super().__init__(max_depth=MAX_DEPTH)


class AliasLimit(MaxAliasesLimiter):
    def __init__(self) -> None:
        super().__init__(max_alias_count=MAX_ALIASES)


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


def error_code(error: GraphQLError) -> str:
    """The stable code of an error the GraphQL layer itself raised (syntax, validation, limits)."""
    message = error.message
    if isinstance(error, GraphQLSyntaxError) or message.startswith("Syntax Error"):
        return "QUERY_TOO_LARGE" if "tokens" in message else "GRAPHQL_PARSE_FAILED"
    if "exceeds maximum operation depth" in message:
        return "QUERY_TOO_DEEP"
    if "aliases found" in message:
        return "TOO_MANY_ALIASES"
    return "GRAPHQL_VALIDATION_FAILED"


class ErrorMasking(MaskErrors):
    """Every error leaves with a code; what an unexpected one says depends on the mode.

    Errors the GraphQL layer raised itself and errors raised with a code (NOT_AUTHENTICATED,
    NOT_ALLOWED…) keep their safe message. An unexpected exception becomes "internal error"
    with the request id in production; in development it keeps its message, except a
    database error, which could quote SQL and never leaves the server in any mode.
    """

    production: ClassVar[bool] = False
    suggestions: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_mask, error_message=INTERNAL_MESSAGE)

    def _should_mask(self, error: GraphQLError) -> bool:
        original = error.original_error
        if original is None or (isinstance(original, GraphQLError) and error.extensions):
            return False
        return self.production or is_database_error(original)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "request_id": request_id}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not error.extensions or "code" not in error.extensions:
                code = "INTERNAL_SERVER_ERROR" if error.original_error else error_code(error)
                error.extensions = {**(error.extensions or {}), "code": code}
            if not self.suggestions:
                error.message = _SUGGESTION.sub("", error.message)
        return processed


class ProductionErrorMasking(ErrorMasking):
    production = True
    suggestions = False


class SandboxErrorMasking(ErrorMasking):
    """Production for a partners' sandbox: errors masked, but suggestions kept."""

    production = True
