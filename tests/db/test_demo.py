"""`probant demo`: the demo accounts exist, can log in, and running it twice changes nothing."""

from __future__ import annotations

import httpx
from tests.factories import LOG_IN, gql

from probant_platform.config import Settings
from probant_platform.demo import seed_demo


async def test_demo_is_idempotent_and_its_accounts_log_in(
    settings: Settings, committed_database: object, client_factory: object
) -> None:
    first = await seed_demo(settings)
    second = await seed_demo(settings)
    assert first == second
    roles = {(a["kind"], a["role"]) for a in first}
    assert {
        ("LAW_FIRM", "OWNER"),
        ("LAW_FIRM", "COLLABORATOR"),
        ("LAW_FIRM", "CLIENT"),
        ("COMPANY", "OWNER"),
        ("INDIVIDUAL", "OWNER"),
        ("BAILIFF_OFFICE", "CLERK"),
        ("BAILIFF_OFFICE", "COMMISSAIRE"),
        ("PLATFORM", "OPERATOR"),
    } <= roles
    assert sum(1 for a in first if a["kind"] == "BAILIFF_OFFICE") == 4  # a clerk, a commissaire


async def test_a_demo_lawyer_logs_in_and_has_credits(
    settings: Settings, committed_database: object
) -> None:
    from probant_platform.web.app import create_app

    accounts = await seed_demo(settings)
    lawyer = next(a for a in accounts if a["kind"] == "LAW_FIRM" and a["role"] == "OWNER")
    app = create_app(settings, database=committed_database, configure_logs=False)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as c:
        result = await gql(c, LOG_IN, {"email": lawyer["email"], "password": lawyer["password"]})
        assert result["logIn"]["__typename"] == "LogInPayload"
        # 30 demo credits and Business's 180 a month, two sample deposits sealed at 1 each
        assert (await gql(c, "{ creditBalance }"))["creditBalance"] == 208
        plan = await gql(c, "{ subscription { planId status providerLabel } }")
        assert plan["subscription"] == {
            "planId": "business",
            "status": "ACTIVE",
            "providerLabel": "development payment — no money moved",
        }
        archive = await gql(c, "{ deposits { edges { node { status items { sha256 } } } } }")
        edges = archive["deposits"]["edges"]
        assert [e["node"]["status"] for e in edges] == ["SEALED", "SEALED"]
        assert sorted(len(e["node"]["items"]) for e in edges) == [1, 3]
