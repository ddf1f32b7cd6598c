"""A bridge for the bailiffs folder, which still imports `author_of(actor, can_read_all)`
from here; it moves to `probant_graphql.evidence.mutations.author_of(info, actor)` (the one
meaning of "admin", `core.actors`) and this module goes."""

from __future__ import annotations

from probant_platform.evidence import deposits
from probant_tenants.context import Actor


def author_of(actor: Actor, can_read_all: bool) -> deposits.Author:
    return deposits.Author(actor.organisation_id, actor.membership_id, can_read_all)
