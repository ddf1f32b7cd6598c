"""The committed SDL is the schema the code builds: a change to the API shows in review."""

from __future__ import annotations

from pathlib import Path

from probant_graphql.schema import schema

SDL = Path(__file__).resolve().parents[2] / "graphql" / "probant_graphql" / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    assert SDL.read_text() == schema.as_str() + "\n", (
        "graphql/probant_graphql/schema.graphql is stale: run `probant export-schema`"
    )
