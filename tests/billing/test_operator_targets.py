"""Operators name an organisation by ID: an unknown one is `NotFound` in the operator's language,
and after acting in the customer's scope the request is back in the operator's own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from tests.bailiffs.helpers import operator  # noqa: F401  (a committed platform operator)
from tests.factories import MemberInfo, gql, log_in, make_organisation, set_language

from probant_platform.db import Database, TenantScope
from probant_platform.db.session import acting_as

OVERRIDE = """mutation($org: ID!) { setPriceOverride(organisationId: $org, productId: "pack-12",
  priceTtcCents: 9000) { __typename ... on Error { message } } }"""
ADJUST = """mutation($org: ID!) { adjustCredits(organisationId: $org, amount: 5, reason: "geste",
  idempotencyKey: "k") { __typename ... on Error { message } } }"""


async def test_an_unknown_organisation_is_not_found_in_the_operators_language(
    database: Database,
    client_factory: Any,
    operator: MemberInfo,  # noqa: F811
) -> None:
    ops = client_factory()
    await log_in(ops, operator)
    for mutation, field in ((OVERRIDE, "setPriceOverride"), (ADJUST, "adjustCredits")):
        for bad in ("nope", "T3JnYW5pc2F0aW9uOm5vcGU="):
            assert (await gql(ops, mutation, {"org": bad}))[field] == {
                "__typename": "NotFound",
                "message": "Organisation introuvable.",
            }
    await set_language(database, operator, "en")
    english = client_factory()
    await log_in(english, operator)
    assert (await gql(english, ADJUST, {"org": "nope"}))["adjustCredits"] == {
        "__typename": "NotFound",
        "message": "Organisation not found.",
    }
    await set_language(database, operator, "fr")


async def _tenant(session: Any) -> str:
    return str(
        (await session.execute(text("SELECT current_setting('probant.tenant_id')"))).scalar()
    )


async def test_acting_as_returns_to_the_callers_scope_even_on_failure(database: Database) -> None:
    mine, theirs = await make_organisation(database), await make_organisation(database)
    own = TenantScope(organisation_id=mine.organisation_id)
    async with database.unit_of_work(own) as session:
        assert await _tenant(session) == str(mine.organisation_id)
        async with acting_as(session, TenantScope(organisation_id=theirs.organisation_id)):
            assert await _tenant(session) == str(theirs.organisation_id)
        assert await _tenant(session) == str(mine.organisation_id)
        try:
            async with acting_as(session, TenantScope(organisation_id=theirs.organisation_id)):
                raise LookupError("refused")
        except LookupError:
            pass
        assert await _tenant(session) == str(mine.organisation_id)
