"""Root query fields of the core."""

from __future__ import annotations

import strawberry

from probant_platform import __version__


@strawberry.type
class CoreQuery:
    @strawberry.field(description="The version of the Probant API serving this request.")
    def api_version(self) -> str:
        return __version__
