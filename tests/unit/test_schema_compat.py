"""The API only grows: nothing of the last released schema is removed or changed in a way
that breaks a client (deprecate first, see docs/partners.md)."""

from __future__ import annotations

from graphql import build_schema

from probant_graphql.compat import breaking_changes, released_sdl
from probant_graphql.schema import schema


def test_no_breaking_change_since_the_last_release() -> None:
    version, _ = released_sdl()
    found = breaking_changes(schema._schema)
    assert found == [], f"breaking changes since {version}: " + "; ".join(
        f"{c.type.name}: {c.description}" for c in found
    )


def test_the_check_sees_a_removed_field() -> None:
    _, sdl = released_sdl()
    field = '  """The version of the Probant API serving this request."""\n  apiVersion: String!\n'
    assert field in sdl
    without = build_schema(sdl.replace(field, "", 1))
    assert any("apiVersion" in c.description for c in breaking_changes(without))
