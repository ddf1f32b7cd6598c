"""Members' and organisations' rules, decided by tenancy: who lists an organisation's
members, who sees a member's own wallet, who hands ownership on, how many credits an
invitation allots, whether captures need a location."""

from __future__ import annotations

import uuid

import pytest
from tests.factories import Role, add_member, make_organisation

from probant_platform.billing import invitations as billing_invitations
from probant_platform.db import Database, TenantScope
from probant_platform.ledger.errors import InvalidAmount
from probant_tenants import members, profile, queries
from probant_tenants.models import Organisation

ORG, OTHER = uuid.uuid4(), uuid.uuid4()


def test_members_are_listed_in_ones_own_organisation_or_by_an_operator() -> None:
    own = queries.members_seen_by(organisation_id=ORG, viewer_organisation_id=ORG, operator=False)
    by_operator = queries.members_seen_by(
        organisation_id=ORG, viewer_organisation_id=OTHER, operator=True
    )
    elsewhere = queries.members_seen_by(
        organisation_id=ORG, viewer_organisation_id=OTHER, operator=False
    )
    assert own is not None and by_operator is not None
    assert elsewhere is None


@pytest.mark.parametrize(
    ("viewer", "reads_all", "sees"),
    [(ORG, True, True), (ORG, False, False), (OTHER, True, False), (None, False, False)],
)
def test_a_members_wallet_is_seen_by_who_reads_every_wallet_of_its_organisation(
    viewer: uuid.UUID | None, reads_all: bool, sees: bool
) -> None:
    assert (
        queries.sees_member_balance(
            member_organisation_id=ORG, viewer_organisation_id=viewer, reads_all_credits=reads_all
        )
        is sees
    )


async def test_only_the_owner_hands_ownership_on(database: Database) -> None:
    owner = await make_organisation(database)
    admin = await add_member(database, owner, role=Role.ADMIN)
    scope = TenantScope(organisation_id=owner.organisation_id, user_id=admin.user_id)
    async with database.unit_of_work(scope) as session:
        with pytest.raises(members.RoleNotAssignable):
            await members.transfer_ownership(
                session=session,
                organisation_id=owner.organisation_id,
                owner_membership_id=admin.membership_id,
                owner_role=Role.ADMIN,
                actor_user_id=admin.user_id,
                to_membership_id=owner.membership_id,
            )
        with pytest.raises(members.MemberNotFound):
            await members.transfer_ownership(
                session=session,
                organisation_id=owner.organisation_id,
                owner_membership_id=owner.membership_id,
                owner_role=Role.OWNER,
                actor_user_id=owner.user_id,
                to_membership_id=None,
            )


@pytest.mark.parametrize("credits", [-1, 100_001])
async def test_an_invitation_allots_between_zero_and_the_ledgers_maximum(
    database: Database, credits: int
) -> None:
    owner = await make_organisation(database)
    scope = TenantScope(organisation_id=owner.organisation_id, user_id=owner.user_id)
    async with database.unit_of_work(scope) as session:
        with pytest.raises(InvalidAmount):
            await billing_invitations.invite_member(
                session=session,
                organisation_id=owner.organisation_id,
                inviter_user_id=owner.user_id,
                email=f"bounds-{uuid.uuid4().hex[:8]}@example.com",
                role=Role.COLLABORATOR,
                credits=credits,
            )


async def test_an_organisation_requires_a_location_on_captures_or_not(database: Database) -> None:
    owner = await make_organisation(database)
    scope = TenantScope(organisation_id=owner.organisation_id, user_id=owner.user_id)
    for required in (True, False):
        async with database.unit_of_work(scope) as session:
            await profile.update_capture_settings(
                session=session, organisation_id=owner.organisation_id, location_required=required
            )
        async with database.unit_of_work(scope) as session:
            organisation = await session.get(Organisation, owner.organisation_id)
            assert organisation is not None
            assert organisation.capture_location_required is required
