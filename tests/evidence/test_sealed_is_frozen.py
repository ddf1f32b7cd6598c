"""The database itself refuses every way to change sealed evidence, even to the application
role acting with the owning tenant's settings: each column, each path, each reversal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from tests.bailiffs.helpers import make_office, submit
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database, TenantScope
from probant_platform.evidence.media.samples import photo_jpeg

INSUFFICIENT_PRIVILEGE = "42501"


@dataclass(frozen=True)
class Evidence:
    owner: MemberInfo
    sealed: uuid.UUID
    sealed_node: str
    item: uuid.UUID
    draft: uuid.UUID
    draft_item: uuid.UUID

    @property
    def scope(self) -> TenantScope:
        return TenantScope(organisation_id=self.owner.organisation_id, user_id=self.owner.user_id)


async def _deposit_with_item(
    database: Database, client: httpx.AsyncClient, owner: MemberInfo, seed: int
) -> tuple[str, uuid.UUID, uuid.UUID]:
    session = (await start(client))["captureSession"]
    response = await capture_one(client, session["id"], photo_jpeg(seed=seed))
    assert response.status_code == 201, response.text
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        row = (
            await s.execute(
                text(
                    "SELECT d.id AS deposit, i.id AS item FROM deposits d "
                    "JOIN evidence_items i ON i.deposit_id = d.id WHERE d.reference = :r"
                ),
                {"r": session["deposit"]["reference"]},
            )
        ).one()
    return session["deposit"]["id"], row.deposit, row.item


@pytest.fixture
async def evidence(database: Database, client: httpx.AsyncClient) -> Evidence:
    """A sealed deposit with one photo, and a draft with one photo, in one organisation."""
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 5)
    await log_in(client, owner)
    node, sealed, item = await _deposit_with_item(database, client, owner, seed=41)
    await fill(client, node)
    assert (await seal(client, node))["__typename"] == "DepositPayload"
    _, draft, draft_item = await _deposit_with_item(database, client, owner, seed=42)
    return Evidence(owner, sealed, node, item, draft, draft_item)


async def _at_commit(session: AsyncSession) -> None:
    """Run now the checks PostgreSQL defers to COMMIT (the review status and its submission,
    the ledger's zero sum): the `database` fixture's units of work are SAVEPOINTs of a
    transaction rolled back at the end, which never reaches a real COMMIT. Pending checks of
    earlier units of work of the test (an app flow's) run here too."""
    await session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    await session.execute(text("SET CONSTRAINTS ALL DEFERRED"))


async def _refused(
    database: Database, scope: TenantScope, sql: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(DBAPIError) as caught:
        async with database.unit_of_work(scope) as session:
            await session.execute(text(sql), params)
            await _at_commit(session)
    assert getattr(caught.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE, caught.value
    assert message in str(caught.value.orig), caught.value


async def _run(database: Database, scope: TenantScope, sql: str, params: dict[str, Any]) -> int:
    async with database.unit_of_work(scope) as session:
        count: int = (await session.execute(text(sql), params)).rowcount  # type: ignore[attr-defined]
        await _at_commit(session)
        return count


async def _columns(database: Database, table: str) -> set[str]:
    async with database.unit_of_work() as session:
        rows = await session.execute(
            text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
            {"t": table},
        )
        return set(rows.scalars())


# One change per column; a column added later without an entry here fails the test below.
DEPOSIT_CHANGES = {
    "id": "gen_random_uuid()",
    "reference": "'PRB-2026-FORGED'",
    "author_membership_id": ":other_member",
    "author_user_id": "gen_random_uuid()",
    "kind": "'VIDEO'",
    "title": "'Une autre histoire'",
    "street": "'1 rue du Faux'",
    "postcode": "'13001'",
    "city": "'Marseille'",
    "floor": "'9'",
    "flat": "'B'",
    "building": "'C'",
    "address_details": "'ailleurs'",
    "description": "'réécrit'",
    "signature_name": "'Quelqu''un d''autre'",
    "signature_png": "'\\x89504e47'::bytea",
    "locale": "'en'",
    "credits_spent": "credits_spent + 1",
    "created_at": "created_at - interval '1 day'",
    "sealed_at": "sealed_at - interval '1 day'",
    "deleted_at": "now()",
    "organisation_id": ":other_organisation",
}
ITEM_CHANGES = {
    "id": "gen_random_uuid()",
    "capture_session_id": ":other_capture",
    "status": "'STAGED'",
    "upload_token_hash": "repeat('a', 64)",
    "declared_sha256": "repeat('b', 64)",
    "declared_size": "declared_size + 1",
    "declared_content_type": "'image/png'",
    "sha256": "repeat('0', 64)",
    "size": "size + 1",
    "media_type": "'image/png'",
    "width": "width + 1",
    "height": "height + 1",
    "duration_seconds": "coalesce(duration_seconds, 0) + 1",
    "blob_key": "'sha256/00/00/' || repeat('0', 64)",
    "captured_at": "captured_at - interval '1 hour'",
    "received_at": "received_at - interval '1 hour'",
    "clock_skew_seconds": "coalesce(clock_skew_seconds, 0) + 60",
    "clock_skew_flagged": "NOT clock_skew_flagged",
    "latitude": "latitude + 1",
    "longitude": "longitude + 1",
    "accuracy_meters": "accuracy_meters + 100",
    "location_fixed_at": "coalesce(location_fixed_at, now()) - interval '1 hour'",
    "no_location_reason": "'TIMEOUT'",
    "user_agent": "'forged/1.0'",
    "comment": "'réécrit'",
    "position": "position + 1",
    "created_at": "created_at - interval '1 hour'",
    "organisation_id": ":other_organisation",
}


async def _others(database: Database, evidence: Evidence) -> dict[str, Any]:
    other = await add_member(database, evidence.owner, role=Role.ADMIN)
    elsewhere = await make_organisation(database)
    async with database.unit_of_work(evidence.scope) as session:
        capture = await session.execute(
            text("SELECT id FROM capture_sessions WHERE deposit_id = :d"), {"d": evidence.draft}
        )
        other_capture = capture.scalar_one()
    return {
        "other_member": other.membership_id,
        "other_organisation": elsewhere.organisation_id,
        "other_capture": other_capture,
    }


@pytest.mark.parametrize(
    ("table", "changes", "row", "tested_below"),
    [
        ("deposits", DEPOSIT_CHANGES, "sealed", {"status"}),
        ("evidence_items", ITEM_CHANGES, "item", {"deposit_id", "thumbnail_key"}),
    ],
)
async def test_every_column_of_sealed_evidence_is_refused(
    database: Database,
    evidence: Evidence,
    table: str,
    changes: dict[str, str],
    row: str,
    tested_below: set[str],
) -> None:
    assert await _columns(database, table) == {*changes, *tested_below}
    params = {**await _others(database, evidence), "row": getattr(evidence, row)}
    for column, value in changes.items():
        sql = f"UPDATE {table} SET {column} = {value} WHERE id = :row"
        await _refused(database, evidence.scope, sql, params, "sealed deposit")


async def test_a_preview_is_set_once_and_never_rewritten(
    database: Database, evidence: Evidence
) -> None:
    # The preview job may run after the seal: setting a missing preview is the one write.
    sql = "UPDATE evidence_items SET thumbnail_key = :k WHERE id = :i"
    assert await _run(database, evidence.scope, sql, {"k": "sha256/aa/aa/a", "i": evidence.item})
    await _refused(
        database, evidence.scope, sql, {"k": "sha256/bb/bb/b", "i": evidence.item}, "sealed"
    )
    await _refused(database, evidence.scope, sql, {"k": None, "i": evidence.item}, "sealed")


@pytest.mark.parametrize("status", ["DRAFT", "DELETED", "ACCEPTED", "REJECTED", "IN_REVIEW"])
async def test_a_sealed_deposit_never_goes_back_nor_forward_on_its_own(
    database: Database, evidence: Evidence, status: str
) -> None:
    await _refused(
        database,
        evidence.scope,
        "UPDATE deposits SET status = :s WHERE id = :d",
        {"s": status, "d": evidence.sealed},
        "sealed deposit",
    )


async def test_the_draft_rewrite_reseal_reversal_fails_at_its_first_step(
    database: Database, evidence: Evidence
) -> None:
    await _refused(
        database,
        evidence.scope,
        "UPDATE deposits SET status = 'DRAFT', sealed_at = NULL WHERE id = :d",
        {"d": evidence.sealed},
        "sealed deposit",
    )
    # Even all three steps in one statement's worth of transaction change nothing.
    with pytest.raises(DBAPIError):
        async with database.unit_of_work(evidence.scope) as session:
            for sql in (
                "UPDATE deposits SET status = 'DRAFT' WHERE id = :d",
                "UPDATE evidence_items SET sha256 = repeat('0', 64) WHERE deposit_id = :d",
                "UPDATE deposits SET status = 'SEALED' WHERE id = :d",
            ):
                await session.execute(text(sql), {"d": evidence.sealed})
    assert await _sha256_of(database, evidence) != "0" * 64


async def _sha256_of(database: Database, evidence: Evidence) -> str:
    async with database.unit_of_work(evidence.scope) as session:
        found = await session.execute(
            text("SELECT sha256 FROM evidence_items WHERE id = :i"), {"i": evidence.item}
        )
        return str(found.scalar_one())


async def _all_refused(
    database: Database, evidence: Evidence, cases: list[tuple[str, dict[str, Any], str]]
) -> None:
    for sql, params, message in cases:
        await _refused(database, evidence.scope, sql, params, message)


MOVE = "UPDATE evidence_items SET deposit_id = :to WHERE id = :i"
COPY_INTO = (
    "INSERT INTO evidence_items SELECT (jsonb_populate_record(NULL::evidence_items, "
    "to_jsonb(i) || jsonb_build_object('id', gen_random_uuid(), 'deposit_id', "
    "CAST(:to AS uuid)))).* FROM evidence_items i WHERE i.id = :i"
)


async def test_an_item_cannot_leave_or_enter_a_sealed_deposit(
    database: Database, evidence: Evidence
) -> None:
    e = evidence
    await _all_refused(
        database,
        e,
        [
            # Out to a draft (to be rewritten there and moved back): refused at the first move.
            (MOVE, {"to": e.draft, "i": e.item}, "never a sealed deposit"),
            (MOVE, {"to": e.sealed, "i": e.draft_item}, "never a sealed deposit"),
            # A new item (a copy of the draft's, with a new id) added to the sealed deposit.
            (COPY_INTO, {"to": e.sealed, "i": e.draft_item}, "never a sealed deposit"),
        ],
    )
    # The draft's own item still changes freely: the refusals are about the seal.
    sql = "UPDATE evidence_items SET comment = 'ok' WHERE id = :i"
    assert await _run(database, e.scope, sql, {"i": e.draft_item})


async def test_items_and_the_deposit_cannot_be_deleted(
    database: Database, evidence: Evidence
) -> None:
    e = evidence
    await _all_refused(
        database,
        e,
        [
            ("DELETE FROM evidence_items WHERE id = :i", {"i": e.item}, "cannot be deleted"),
            # Its capture session's deletion would cascade to the items.
            ("DELETE FROM capture_sessions WHERE deposit_id = :d", {"d": e.sealed}, "deleted"),
            ("DELETE FROM deposits WHERE id = :d", {"d": e.sealed}, "cannot be deleted"),
        ],
    )
    assert await _sha256_of(database, evidence)


async def test_a_deposit_is_born_a_draft_and_items_stay_in_their_organisation(
    database: Database, evidence: Evidence
) -> None:
    await _refused(
        database,
        evidence.scope,
        "INSERT INTO deposits (id, organisation_id, reference, author_membership_id, kind, "
        "status, created_at, sealed_at) VALUES (gen_random_uuid(), :o, 'PRB-2026-NEW', :m, "
        "'PHOTOS', 'SEALED', now() - interval '1 year', now() - interval '1 year')",
        {"o": evidence.owner.organisation_id, "m": evidence.owner.membership_id},
        "must be created as a draft",
    )
    # A draft of another tenant, found by its id, cannot receive this tenant's item.
    elsewhere = await make_organisation(database)
    theirs = TenantScope(organisation_id=elsewhere.organisation_id)
    async with database.unit_of_work(theirs) as session:
        await session.execute(
            text(
                "INSERT INTO deposits (id, organisation_id, reference, author_membership_id, "
                "kind, status, created_at) VALUES (:d, :o, 'PRB-2026-THEIRS', :m, 'PHOTOS', "
                "'DRAFT', now())"
            ),
            {
                "d": (their_draft := uuid.uuid4()),
                "o": elsewhere.organisation_id,
                "m": elsewhere.membership_id,
            },
        )
    await _refused(
        database,
        evidence.scope,
        "UPDATE evidence_items SET deposit_id = :to WHERE id = :i",
        {"to": their_draft, "i": evidence.draft_item},
        "of its organisation",
    )


DELETE = """mutation($d: ID!) { deleteDeposit(depositId: $d) {
  __typename ... on DepositDeleted { tombstone } } }"""


async def test_the_tombstone_is_the_one_way_out_and_is_final(
    database: Database, client: httpx.AsyncClient, evidence: Evidence
) -> None:
    # A "tombstone" that also rewrites what proves is refused...
    await _refused(
        database,
        evidence.scope,
        "UPDATE deposits SET status = 'DELETED', deleted_at = now(), title = '', street = '', "
        "postcode = '', city = '', floor = '', flat = '', building = '', "
        "address_details = '', description = '', signature_name = NULL, signature_png = NULL, "
        "reference = 'PRB-2026-OTHER' WHERE id = :d",
        {"d": evidence.sealed},
        "can only become a tombstone",
    )
    # ...while the real deletion service leaves one, through the database's checks.
    deleted = await gql(client, DELETE, {"d": evidence.sealed_node})
    assert deleted["deleteDeposit"] == {"__typename": "DepositDeleted", "tombstone": True}
    d, i = {"d": evidence.sealed}, {"i": evidence.item}
    await _all_refused(
        database,
        evidence,
        [
            ("UPDATE deposits SET status = 'SEALED' WHERE id = :d", d, "tombstone"),
            ("UPDATE deposits SET status = 'DRAFT' WHERE id = :d", d, "tombstone"),
            ("UPDATE deposits SET title = 'revenu' WHERE id = :d", d, "tombstone"),
            ("DELETE FROM deposits WHERE id = :d", d, "tombstone"),
            ("UPDATE evidence_items SET sha256 = repeat('0', 64) WHERE id = :i", i, "tombstone"),
            ("UPDATE evidence_items SET comment = 'de retour' WHERE id = :i", i, "tombstone"),
            ("DELETE FROM evidence_items WHERE id = :i", i, "cannot be deleted"),
        ],
    )
    assert len(await _sha256_of(database, evidence)) == 64  # the hash stays checkable


async def test_only_the_office_moves_a_sent_deposit_and_never_backwards(
    database: Database, client: httpx.AsyncClient, evidence: Evidence
) -> None:
    office = await make_office(database)
    assert (await submit(client, evidence.sealed_node, office.node_id))[
        "__typename"
    ] == "SubmissionPayload"
    set_status = "UPDATE deposits SET status = :s WHERE id = :d"
    as_office = TenantScope(organisation_id=office.office_id, office_id=office.office_id)

    async def refused(scope: TenantScope, status: str, message: str = "cannot go from") -> None:
        params = {"s": status, "d": evidence.sealed}
        await _refused(database, scope, set_status, params, message)

    async def moved(status: str) -> None:
        # The review status moves with the submission, in one transaction (0940).
        params = {"s": status, "d": evidence.sealed}
        async with database.unit_of_work(as_office) as session:
            await session.execute(text(SET_SUBMISSION), params)
            assert (await session.execute(text(set_status), params)).rowcount == 1  # type: ignore[attr-defined]
            await _at_commit(session)

    await refused(evidence.scope, "ACCEPTED")  # the author cannot accept their own deposit
    await refused(evidence.scope, "SEALED")
    await refused(as_office, "DRAFT", "review status")  # the offices' own guard (0720)
    # Alone, without its submission, the deposit does not move even one allowed step.
    await refused(as_office, "IN_REVIEW", "the review status moves with the submission")
    await moved("IN_REVIEW")
    await moved("ACCEPTED")
    await refused(as_office, "IN_REVIEW")  # a decision is final
    await refused(as_office, "REJECTED")
    assert await _review_of(database, evidence) == ("ACCEPTED", "ACCEPTED")


SET_SUBMISSION = "UPDATE submissions SET status = :s WHERE deposit_id = :d"


async def _review_of(database: Database, evidence: Evidence) -> tuple[str, str | None]:
    async with database.unit_of_work(evidence.scope) as session:
        row = (
            await session.execute(
                text(
                    "SELECT d.status AS deposit, s.status AS submission FROM deposits d "
                    "LEFT JOIN submissions s ON s.deposit_id = d.id WHERE d.id = :d"
                ),
                {"d": evidence.sealed},
            )
        ).one()
    return str(row.deposit), row.submission


async def test_a_tenant_cannot_show_its_deposit_as_sent_without_a_submission(
    database: Database, evidence: Evidence
) -> None:
    # The one forward step the author may take, taken alone: no office received anything.
    await _refused(
        database,
        evidence.scope,
        "UPDATE deposits SET status = 'SUBMITTED' WHERE id = :d",
        {"d": evidence.sealed},
        "cannot be SUBMITTED without a submission to an office",
    )
    assert await _review_of(database, evidence) == ("SEALED", None)


@pytest.mark.parametrize("then", ["no tenant", "another tenant"])
async def test_changing_scope_before_commit_does_not_hide_the_deposit_from_the_check(
    database: Database, evidence: Evidence, then: str
) -> None:
    # The check runs at COMMIT: leaving the tenant's scope first must not make it pass.
    other = "" if then == "no tenant" else str((await make_organisation(database)).organisation_id)
    with pytest.raises(DBAPIError) as caught:
        async with database.unit_of_work(evidence.scope) as session:
            await session.execute(
                text("UPDATE deposits SET status = 'SUBMITTED' WHERE id = :d"),
                {"d": evidence.sealed},
            )
            await session.execute(
                text("SELECT set_config('probant.tenant_id', :o, true)"), {"o": other}
            )
            await _at_commit(session)
    assert getattr(caught.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE, caught.value
    assert "cannot be SUBMITTED without a submission" in str(caught.value.orig)
    assert await _review_of(database, evidence) == ("SEALED", None)


@pytest.mark.parametrize("status", ["IN_REVIEW", "ACCEPTED", "PARTIALLY_ACCEPTED", "REJECTED"])
async def test_a_tenant_cannot_decide_its_own_submission(
    database: Database, client: httpx.AsyncClient, evidence: Evidence, status: str
) -> None:
    office = await make_office(database)
    sent = await submit(client, evidence.sealed_node, office.node_id)
    assert sent["__typename"] == "SubmissionPayload"
    async with database.unit_of_work(evidence.scope) as session:
        await _at_commit(session)  # the real submission passes the commit-time check
    params = {"s": status, "d": evidence.sealed}
    # The submission alone (only its office reviews it, 0970), and the deposit moved first
    # to be in step with it: both refused.
    await _refused(database, evidence.scope, SET_SUBMISSION, params, "only its office reviews it")
    with pytest.raises(DBAPIError) as caught:
        async with database.unit_of_work(evidence.scope) as session:
            await session.execute(
                text("UPDATE deposits SET status = :s WHERE id = :d"),
                {"s": "ACCEPTED" if status == "PARTIALLY_ACCEPTED" else status, "d": params["d"]},
            )
            await session.execute(text(SET_SUBMISSION), params)
            await _at_commit(session)
    assert getattr(caught.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE
    assert "cannot go from SUBMITTED" in str(caught.value.orig)
    assert await _review_of(database, evidence) == ("SUBMITTED", "SUBMITTED")


async def test_an_office_cannot_decide_a_deposit_it_never_received(
    database: Database, evidence: Evidence
) -> None:
    office = await make_office(database)
    as_office = TenantScope(organisation_id=office.office_id, office_id=office.office_id)
    # Unaddressed, the deposit is not even visible to the office: nothing is updated.
    for status in ("IN_REVIEW", "ACCEPTED", "REJECTED"):
        params = {"s": status, "d": evidence.sealed}
        assert (
            await _run(database, as_office, "UPDATE deposits SET status = :s WHERE id = :d", params)
            == 0
        )
    assert await _review_of(database, evidence) == ("SEALED", None)
