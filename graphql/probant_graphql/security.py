"""Schema extensions that bound what one request may ask for.

They are passed to the schema as classes, so strawberry builds a fresh instance per
operation and no state is shared between requests.
"""

from __future__ import annotations

from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000


class DepthLimit(QueryDepthLimiter):
    def __init__(self) -> None:
        super().__init__(max_depth=MAX_DEPTH)


class AliasLimit(MaxAliasesLimiter):
    def __init__(self) -> None:
        super().__init__(max_alias_count=MAX_ALIASES)


class TokenLimit(MaxTokensLimiter):
    def __init__(self) -> None:
        super().__init__(max_token_count=MAX_TOKENS)


class ProductionErrorMasking(MaskErrors):
    """Replaces unexpected errors' messages; typed errors are payloads and are never masked."""

    def __init__(self) -> None:
        super().__init__(error_message="Erreur interne / Internal server error")
