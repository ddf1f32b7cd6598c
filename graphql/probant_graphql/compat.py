"""Schema stability: what changed since the last released schema would break a client.

Each release keeps its schema as `released-<version>.graphql` beside `schema.graphql`; the
newest is the baseline.
A field or type leaves the API only after a `@deprecated` period (docs/partners.md).
"""

from __future__ import annotations

from importlib import resources

from graphql import BreakingChange, build_schema, find_breaking_changes
from graphql import GraphQLSchema as CoreSchema


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in _version(name).split("."))


def _version(name: str) -> str:
    return name.removeprefix("released-").removesuffix(".graphql")


def released_sdl() -> tuple[str, str]:
    """(version, SDL) of the newest released schema."""
    folder = resources.files("probant_graphql")
    names = [p.name for p in folder.iterdir() if p.name.startswith("released-")]
    newest = max(names, key=_version_key)
    return _version(newest), folder.joinpath(newest).read_text()


def breaking_changes(current: CoreSchema) -> list[BreakingChange]:
    """The changes from the newest released schema that would break its clients."""
    _, sdl = released_sdl()
    return find_breaking_changes(build_schema(sdl), current)
