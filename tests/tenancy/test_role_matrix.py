"""What each role may do, written out: a fresh authoriser decides exactly this table.

The table is literal on purpose (not derived from `ROLE_PERMISSIONS`): a permission added to or
dropped from a role, a changed casbin model or matcher, must show up here as a diff a reviewer
reads. Grants are per organisation: a role in one organisation gives nothing in another.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, select
from tests.factories import add_member, make_organisation

from probant_platform.db import Database, TenantScope
from probant_tenants.authz import Authorizer, Permission
from probant_tenants.authz.enforcer import bump_policy_version, grant_role
from probant_tenants.models import CasbinRule, Organisation, Role

OW, AD, CO, CL, CK, CJ, OP, PA = (
    "owner",
    "admin",
    "collab",
    "client",
    "clerk",
    "commissaire",
    "op",
    "api",
)
MATRIX: dict[str, set[str]] = {
    "organisation:read": {OW, AD, CO, CL, CK, CJ, OP, PA},
    "organisation:update": {OW, AD},
    "members:read": {OW, AD, CK, CJ, OP},
    "members:invite": {OW, AD, CJ},
    "members:manage": {OW, AD},
    "audit:read": {OW, AD, OP},
    "credits:buy": {OW, AD},
    "credits:transfer": {OW, AD},
    "credits:read_all": {OW, AD, PA},
    "deposits:create": {OW, AD, CO, CL, PA},
    "deposits:read_own": {OW, AD, CO, CL, PA},
    "deposits:read_all": {OW, AD, PA},
    "constat:order": {OW, AD, PA},
    "constat:validate": {CJ},
    "widget_keys:manage": {OW, AD},
    "webhooks:manage": {OW, AD, PA},
    "review:deposits": {CK, CJ},
    "office:manage": {OP},
    "platform:operate": {OP},
}
ROLES = {
    OW: Role.OWNER,
    AD: Role.ADMIN,
    CO: Role.COLLABORATOR,
    CL: Role.CLIENT,
    CK: Role.CLERK,
    CJ: Role.COMMISSAIRE,
    OP: Role.OPERATOR,
    PA: Role.PARTNER,
}


def test_the_table_names_every_permission_and_role() -> None:
    assert set(MATRIX) == {permission.value for permission in Permission}
    assert set(ROLES.values()) == set(Role)


@pytest.mark.parametrize("short", sorted(ROLES))
def test_a_fresh_authoriser_decides_the_table(short: str) -> None:
    authorizer = Authorizer.empty()
    organisation, elsewhere, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    authorizer.enforcer.add_grouping_policies([[str(user), ROLES[short].value, str(organisation)]])
    allowed = {
        permission.value
        for permission in Permission
        if authorizer.may(user_id=user, organisation_id=organisation, permission=permission)
    }
    assert allowed == {permission for permission, roles in MATRIX.items() if short in roles}
    # The same user in another organisation, where they hold no role: nothing.
    assert not any(
        authorizer.may(user_id=user, organisation_id=elsewhere, permission=permission)
        for permission in Permission
    )


def test_an_organisation_rule_applies_in_that_organisation_only() -> None:
    authorizer = Authorizer.empty()
    first, second, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    authorizer.enforcer.add_grouping_policies(
        [
            [str(user), Role.COLLABORATOR.value, str(first)],
            [str(user), Role.COLLABORATOR.value, str(second)],
        ]
    )
    read_all = Permission.DEPOSITS_READ_ALL
    authorizer.enforcer.add_policies(
        [[Role.COLLABORATOR.value, str(first), read_all.obj, read_all.act]]
    )
    assert authorizer.may(user_id=user, organisation_id=first, permission=read_all)
    assert not authorizer.may(user_id=user, organisation_id=second, permission=read_all)


async def test_a_remembered_decision_follows_the_organisations_new_rules(
    database: Database,
) -> None:
    # Decisions are remembered per organisation; a rule added there (its policy version moved)
    # must change the very next answer, in this process as in any other.
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    authorizer = Authorizer.empty()
    read_all = Permission.DEPOSITS_READ_ALL
    domain = str(owner.organisation_id)

    async def decide() -> bool:
        async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
            version = (
                await s.execute(
                    select(Organisation.policy_version).where(
                        Organisation.id == owner.organisation_id
                    )
                )
            ).scalar_one()
            if not authorizer.is_fresh(owner.organisation_id, version):
                await authorizer.refresh(
                    session=s, organisation_id=owner.organisation_id, version=version
                )
        return authorizer.may(
            user_id=colleague.user_id, organisation_id=owner.organisation_id, permission=read_all
        )

    assert await decide() is False
    assert await decide() is False  # remembered
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        s.add(CasbinRule(ptype="p", v0="COLLABORATOR", v1=domain, v2=read_all.obj, v3=read_all.act))
        await bump_policy_version(session=s, organisation_id=owner.organisation_id)
    assert await decide() is True


async def test_a_changed_role_or_a_removed_rule_is_gone_after_the_refresh(
    database: Database,
) -> None:
    # What an organisation's rows say, and only that: a demoted admin loses the admin's
    # permissions, a rule deleted stops applying, another organisation's rule never applies.
    owner = await make_organisation(database)
    other = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.ADMIN)
    authorizer = Authorizer.empty()
    buy, read_all = Permission.CREDITS_BUY, Permission.DEPOSITS_READ_ALL
    domain, elsewhere = str(owner.organisation_id), str(other.organisation_id)

    async def refreshed() -> None:
        async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
            version = (
                await s.execute(
                    select(Organisation.policy_version).where(
                        Organisation.id == owner.organisation_id
                    )
                )
            ).scalar_one()
            await authorizer.refresh(
                session=s, organisation_id=owner.organisation_id, version=version
            )
            assert authorizer.is_fresh(owner.organisation_id, version)
            assert not authorizer.is_fresh(owner.organisation_id, version + 1)

    def may(permission: Permission) -> bool:
        return authorizer.may(
            user_id=colleague.user_id, organisation_id=owner.organisation_id, permission=permission
        )

    await refreshed()
    assert may(buy)
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        await grant_role(
            session=s,
            user_id=colleague.user_id,
            organisation_id=owner.organisation_id,
            role=Role.COLLABORATOR,
        )
        s.add(CasbinRule(ptype="p", v0="COLLABORATOR", v1=domain, v2=read_all.obj, v3=read_all.act))
        await bump_policy_version(session=s, organisation_id=owner.organisation_id)
    async with database.unit_of_work(TenantScope(organisation_id=other.organisation_id)) as s:
        # The other organisation gives its collaborators credits:buy: not a rule of ours.
        s.add(CasbinRule(ptype="p", v0="COLLABORATOR", v1=elsewhere, v2=buy.obj, v3=buy.act))
    await refreshed()
    assert (may(buy), may(read_all)) == (False, True)
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        await s.execute(delete(CasbinRule).where(CasbinRule.ptype == "p", CasbinRule.v1 == domain))
        await bump_policy_version(session=s, organisation_id=owner.organisation_id)
    await refreshed()
    assert (may(buy), may(read_all)) == (False, False)
