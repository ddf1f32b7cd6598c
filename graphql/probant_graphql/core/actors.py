"""One meaning of "admin": whether the actor acts for their whole organisation.

An actor acts for the organisation — spends from and reads the organisation's wallet (not a
member's own), acts on every deposit of it — when casbin grants their role
`ORGANISATION_WIDE` (`DEPOSITS_READ_ALL`) in the organisation: the platform's templates give
it to OWNER, ADMIN and API clients, and an organisation's own rules may give it to another
role. Every such decision of the API goes through `acts_for_organisation`, decided once per
request (`may`'s cache); the role's name is never read for it.

A partner token's scopes narrow what it may read (`may` applies them), not whose wallet it
uses: they are left out of this decision.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.permissions import may
from probant_tenants.authz import Permission
from probant_tenants.context import Actor

ORGANISATION_WIDE = Permission.DEPOSITS_READ_ALL


async def acts_for_organisation(info: Info[Context, Any], actor: Actor) -> bool:
    """Whether the actor's role (with the organisation's own rules) grants `ORGANISATION_WIDE`."""
    return await may(info, replace(actor, scopes=None), ORGANISATION_WIDE)


async def wallet_of(info: Info[Context, Any], actor: Actor) -> uuid.UUID | None:
    """The wallet the actor spends from and reads: None for the organisation's, else the
    membership's own."""
    return None if await acts_for_organisation(info, actor) else actor.membership_id
