"""Which budgets a partner request draws on: its client's and its organisation's.

Found from the bearer alone (a JWT's verified claims, or an `sk_` key's tenant), before the
request's own work: a refused request costs one small query, not a resolver.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.partners.tokens import verify
from probant_platform.ratelimits.windows import Verdict, consume, tightest
from probant_tenants.tokens import digest


@dataclass(frozen=True)
class Budget:
    client: str
    organisation: str


async def budget_of(database: Database, settings: Settings, authorization: str) -> Budget | None:
    if not authorization.lower().startswith("bearer "):
        return None
    token = authorization[7:].strip()
    if token.startswith("eyJ"):
        claims = verify(settings, token)
        if claims is None:
            return None
        return Budget(client=claims.client_id, organisation=str(claims.organisation_id))
    if token.startswith("sk_") and len(token) <= 200:
        hashed = digest(token)
        async with database.unit_of_work() as session:
            found = await session.execute(text("SELECT probant_api_key_tenant(:h)"), {"h": hashed})
            organisation = found.scalar_one_or_none()
        if organisation is not None:
            return Budget(client=f"sk:{hashed[:16]}", organisation=str(organisation))
    return None


async def charge(database: Database, settings: Settings, budget: Budget, cost: int) -> Verdict:
    """One request and `cost` units against the client and its organisation, per minute."""
    verdicts = [
        await consume(
            database, key=f"api:client:{budget.client}", limit=settings.api_requests_per_minute
        ),
        await consume(
            database,
            key=f"api:org:{budget.organisation}",
            limit=settings.organisation_requests_per_minute,
        ),
        await consume(
            database,
            key=f"cost:client:{budget.client}",
            limit=settings.api_cost_per_minute,
            cost=max(cost, 1),
        ),
    ]
    return tightest(verdicts)
