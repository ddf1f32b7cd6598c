"""The clerk's queue page costs a fixed number of SQL statements, whatever its length.

50 submissions from 50 of 100 tenants (the other 50 have sealed deposits never submitted):
the page of 50, with each deposit's items and signed links, the office and the attestation,
runs the same statements as a page of 5.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from tests.bailiffs.helpers import make_office
from tests.evidence.rows import add_sealed_deposit
from tests.factories import gql, log_in

from probant_platform.bailiffs.models import Submission, SubmissionStatus
from probant_platform.bailiffs.submissions import spend_key
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.evidence.models import (
    DepositStatus,
)
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import TransactionKind
from probant_tenants.models import Membership, Organisation, OrganisationKind, Role, User

PAGE = """
query($n: Int) { reviewQueue(first: $n) { edges { node {
  id status overdue requesterName office { name } attestation { filename }
  deposit { reference title items { id sha256 size downloadUrl thumbnailUrl } }
} } } }"""


async def _tenant(database: Database, office_id: uuid.UUID, submitted: bool, n: int) -> None:
    org = uuid.uuid4()
    now = utcnow()
    async with database.unit_of_work(TenantScope(organisation_id=org)) as s:
        s.add(Organisation(id=org, kind=OrganisationKind.COMPANY, name=f"Tenant {n}"))
        user = User(id=uuid.uuid4(), email=f"queue-{secrets.token_hex(6)}@example.com")
        s.add(user)
        await s.flush()
        member = Membership(id=uuid.uuid4(), organisation_id=org, user_id=user.id, role=Role.OWNER)
        s.add(member)
        await s.flush()
        deposit = await add_sealed_deposit(
            s,
            organisation_id=org,
            membership_id=member.id,
            reference_prefix="PRB-Q",
            title=f"Dépôt {n}",
            created_at=now,
        )
        if submitted:
            # Paid as `submit_deposit` pays: the database refuses a submission without it.
            await ledger.issue(
                session=s,
                organisation_id=org,
                kind=TransactionKind.ADJUSTMENT,
                credits=1,
                idempotency_key=f"queue-fund-{n}",
                reason="test funding",
            )
            await ledger.spend(
                session=s,
                organisation_id=org,
                membership_id=member.id,
                role_is_admin=True,
                credits=1,
                idempotency_key=spend_key(deposit.id),
                reference=deposit.reference,
            )
            deposit.status = DepositStatus.SUBMITTED
            s.add(
                Submission(
                    organisation_id=org,
                    deposit_id=deposit.id,
                    office_id=office_id,
                    submitted_by_membership_id=member.id,
                    requester_name=f"Tenant {n}",
                    author_name="Auteur",
                    status=SubmissionStatus.SUBMITTED,
                    credits_spent=1,
                    submitted_at=now,
                    due_at=now + timedelta(hours=24, minutes=n),
                    rejected_item_ids=[],
                )
            )


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_a_queue_page_costs_the_same_statements_for_5_or_50_submissions(
    database: Database, client: httpx.AsyncClient, app_engine: AsyncEngine
) -> None:
    office = await make_office(database)
    for n in range(100):
        await _tenant(database, office.office_id, submitted=n % 2 == 0, n=n)
    await log_in(client, office.clerk)
    await gql(client, PAGE, {"n": 1})  # warm the authorisation cache

    with counting(app_engine) as small:
        five = await gql(client, PAGE, {"n": 5})
    with counting(app_engine) as large:
        fifty = await gql(client, PAGE, {"n": 50})

    assert len(five["reviewQueue"]["edges"]) == 5
    assert len(fifty["reviewQueue"]["edges"]) == 50
    assert {len(e["node"]["deposit"]["items"]) for e in fifty["reviewQueue"]["edges"]} == {2}
    assert len({e["node"]["requesterName"] for e in fifty["reviewQueue"]["edges"]}) == 50
    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= 15, "\n".join(large)  # session, actor, scope, then 4 for the page
