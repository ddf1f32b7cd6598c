"""An owner or admin cannot move credits to (or back from) their own member wallet."""

from __future__ import annotations

import httpx
from strawberry.relay import to_base64
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import TRANSFER, fund

from probant_platform.db import Database

RECLAIM = TRANSFER.replace("transferCredits", "reclaimCredits")
LEDGER = "{ creditBalance ledgerEntries { edges { node { kind } } } }"


async def test_an_owner_transferring_to_themselves_gets_a_clear_error(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    await log_in(client, owner)
    before = await gql(client, LEDGER)
    myself = to_base64("Member", str(owner.membership_id))

    sent = await gql(client, TRANSFER, {"member": myself, "amount": 1, "key": "self-1"})
    taken = await gql(client, RECLAIM, {"member": myself, "amount": 1, "key": "self-2"})

    assert sent["transferCredits"]["__typename"] == "SelfTransfer"
    assert sent["transferCredits"]["message"].startswith(
        "Vous ne pouvez pas vous transférer des crédits à vous-même"
    )
    assert taken["reclaimCredits"]["__typename"] == "SelfTransfer"
    assert await gql(client, LEDGER) == before  # nothing moved
