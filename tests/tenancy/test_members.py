# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Managing members: roles, removal (sessions end at once), ownership handed over."""

from __future__ import annotations

import httpx
from strawberry.relay import to_base64
from tests.factories import Role, add_member, gql, log_in, make_organisation

from probant_platform.db import Database

ROLE = "mutation($m: ID!, $r: Role!) { updateMemberRole(memberId: $m, role: $r) { __typename ... on MemberPayload { member { role } } } }"
REMOVE = "mutation($m: ID!) { removeMember(memberId: $m) { __typename ... on MemberPayload { member { status } } } }"
TRANSFER = "mutation($m: ID!) { transferOwnership(memberId: $m) { __typename ... on MemberPayload { member { role } } } }"


def member_id(membership_id: object) -> str:
    return to_base64("Member", str(membership_id))


async def test_an_admin_changes_a_role_and_the_new_rights_apply_at_once(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    admin, other = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    await log_in(other, colleague)
    assert (
        "credits:transfer"
        not in (await gql(other, "{ viewer { permissions } }"))["viewer"]["permissions"]
    )
    changed = await gql(admin, ROLE, {"m": member_id(colleague.membership_id), "r": "ADMIN"})
    assert changed["updateMemberRole"]["member"]["role"] == "ADMIN"
    assert (
        "credits:transfer"
        in (await gql(other, "{ viewer { permissions } }"))["viewer"]["permissions"]
    )


async def test_a_removed_member_is_logged_out_at_once(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.CLIENT)
    admin, other = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    await log_in(other, colleague)
    removed = await gql(admin, REMOVE, {"m": member_id(colleague.membership_id)})
    assert removed["removeMember"]["member"]["status"] == "REMOVED"
    assert (await gql(other, "{ viewer { role } }"))["viewer"] is None


async def test_the_last_owner_can_neither_leave_nor_be_demoted(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    assert (await gql(client, REMOVE, {"m": member_id(owner.membership_id)}))["removeMember"][
        "__typename"
    ] == "LastOwner"
    assert (await gql(client, ROLE, {"m": member_id(owner.membership_id), "r": "ADMIN"}))[
        "updateMemberRole"
    ]["__typename"] == "LastOwner"


async def test_ownership_is_handed_over_and_the_former_owner_stays_admin(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    successor = await add_member(database, owner, role=Role.ADMIN)
    old, new = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(old, owner)
    await log_in(new, successor)
    done = await gql(old, TRANSFER, {"m": member_id(successor.membership_id)})
    assert done["transferOwnership"]["member"]["role"] == "OWNER"
    assert (await gql(old, "{ viewer { role } }"))["viewer"]["role"] == "ADMIN"
    assert (await gql(new, "{ viewer { role } }"))["viewer"]["role"] == "OWNER"
    again = await gql(old, TRANSFER, {"m": member_id(owner.membership_id)})
    assert again["transferOwnership"]["__typename"] == "NotAllowed"
    assert (await gql(old, "{ viewer { role } }"))["viewer"]["role"] == "ADMIN"
    assert (await gql(new, "{ viewer { role } }"))["viewer"]["role"] == "OWNER"


async def test_owner_is_not_a_role_one_can_assign(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await log_in(client, owner)
    result = await gql(client, ROLE, {"m": member_id(colleague.membership_id), "r": "OWNER"})
    assert result["updateMemberRole"]["__typename"] == "NotAllowed"
    members = await gql(client, "{ organisation { members { edges { node { role } } } } }")
    roles = sorted(e["node"]["role"] for e in members["organisation"]["members"]["edges"])
    assert roles == ["COLLABORATOR", "OWNER"]
