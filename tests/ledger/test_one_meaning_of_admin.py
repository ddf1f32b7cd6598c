"""Whose wallet a member sees and spends is decided once, from permissions: an organisation's
own casbin rule that lets collaborators act for the organisation moves their balance, their
quotes, their history and their spending to the organisation's wallet together."""

from __future__ import annotations

import httpx
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database, TenantScope
from probant_platform.evidence.media.samples import photo_jpeg
from probant_tenants.authz import Permission
from probant_tenants.authz.enforcer import bump_policy_version
from probant_tenants.models import CasbinRule

WALLET = """
query($d: ID!) {
  creditBalance
  depositQuoteFor(photos: 1) { balance }
  depositQuote(depositId: $d) { credits balance }
  ledgerEntries { edges { node { amount } } }
}
"""


async def _grant_collaborators(database: Database, owner: MemberInfo) -> None:
    """The organisation's own rule: its collaborators read every deposit (act for it)."""
    permission = Permission.DEPOSITS_READ_ALL
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        s.add(
            CasbinRule(
                ptype="p",
                v0=Role.COLLABORATOR.value,
                v1=str(owner.organisation_id),
                v2=permission.obj,
                v3=permission.act,
            )
        )
        await s.flush()
        await bump_policy_version(session=s, organisation_id=owner.organisation_id)


async def _draft(client: httpx.AsyncClient) -> str:
    session = (await start(client))["captureSession"]
    assert (await capture_one(client, session["id"], photo_jpeg(seed=7))).status_code < 300
    deposit_id: str = session["deposit"]["id"]
    assert (await fill(client, deposit_id))["__typename"] == "DepositPayload"
    return deposit_id


async def test_an_organisation_rule_moves_a_collaborators_wallet_everywhere_at_once(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 10)
    await fund(database, owner.organisation_id, 3, colleague.membership_id)  # org 10, own 3
    await log_in(client, colleague)
    deposit_id = await _draft(client)

    own = await gql(client, WALLET, {"d": deposit_id})
    assert own["creditBalance"] == 3
    assert own["depositQuoteFor"]["balance"] == 3
    assert own["depositQuote"] == {"credits": 1, "balance": 3}
    assert [e["node"]["amount"] for e in own["ledgerEntries"]["edges"]] == [3]

    await _grant_collaborators(database, owner)

    shared = await gql(client, WALLET, {"d": deposit_id})
    assert shared["creditBalance"] == 10
    assert shared["depositQuoteFor"]["balance"] == 10
    assert shared["depositQuote"] == {"credits": 1, "balance": 10}
    # The organisation's history: funded 10 and 3, then 3 passed on to the collaborator.
    assert sorted(e["node"]["amount"] for e in shared["ledgerEntries"]["edges"]) == [-3, 3, 10]

    # Sealing spends from the wallet the quote showed: the organisation's.
    assert (await seal(client, deposit_id))["__typename"] == "DepositPayload"
    after = await gql(client, WALLET, {"d": deposit_id})
    assert after["creditBalance"] == 9
    assert after["depositQuote"]["balance"] == 9
    assert after["ledgerEntries"]["edges"][0]["node"]["amount"] == -1
