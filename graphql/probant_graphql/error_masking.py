"""What a GraphQL error may tell the client: always a code, details only when safe.

Passed to the schema as classes, like the limits in `probant_graphql.security`.
"""

from __future__ import annotations

import re
from typing import ClassVar

from graphql import GraphQLError
from graphql.error import GraphQLSyntaxError
from strawberry.extensions import MaskErrors

from probant_platform.db.errors import is_database_error
from probant_platform.errors import DomainError

INTERNAL_MESSAGE = "Erreur interne / Internal server error"
_SUGGESTION = re.compile(r" Did you mean .*\?$")


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


def _code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code
    return "INTERNAL_SERVER_ERROR" if original is not None else error_code(error)


class ErrorMasking(MaskErrors):
    """Every error leaves with a code; what an unexpected one says depends on the mode.

    Errors the GraphQL layer raised itself, errors raised with a code (NOT_AUTHENTICATED,
    NOT_ALLOWED…) and domain errors (their code, their message for people) keep their safe
    message. An unexpected exception becomes "internal error"
    with the request id in production; in development it keeps its message, except a
    database error, which could quote SQL and never leaves the server in any mode.
    """

    production: ClassVar[bool] = False
    suggestions: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_mask, error_message=INTERNAL_MESSAGE)

    def _should_mask(self, error: GraphQLError) -> bool:
        original = error.original_error
        if original is None or isinstance(original, DomainError):
            return False  # raised by GraphQL itself, or an expected failure in plain words
        if isinstance(original, GraphQLError) and error.extensions:
            return False
        return self.production or is_database_error(original)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        # The request id is added to every error (`extensions.requestId`) by the
        # observability extension, so a person can quote it.
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not error.extensions or "code" not in error.extensions:
                error.extensions = {**(error.extensions or {}), "code": _code(error)}
            if isinstance(error.original_error, DomainError):
                # graphql-core reads `.message`, a method here: give the words, like the
                # other shared errors, in both languages (no viewer locale at this point).
                domain = error.original_error
                error.message = f"{domain.message('fr')} / {domain.message('en')}"
            if not self.suggestions:
                error.message = _SUGGESTION.sub("", error.message)
        return processed


class ProductionErrorMasking(ErrorMasking):
    production = True
    suggestions = False


class SandboxErrorMasking(ErrorMasking):
    """Production for a partners' sandbox: errors masked, but suggestions kept."""

    production = True
