"""The casbin enforcer: role templates for every organisation, role grants per organisation.

Role permissions are `p` rules in the platform-wide domain "*" (an organisation may add its
own `p` rules in its domain). Each membership is a `g` rule `user, ROLE, organisation`.
Rules live in `casbin_rules`; each process keeps them in memory and reloads one
organisation's rules when that organisation's `policy_version` moves past the cached one.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

import casbin
from casbin.model import Model
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from probant_tenants.models import CasbinRule, Organisation, Role

ALL_DOMAINS = "*"
# Members × permissions remembered per organisation (beyond it, decided each time).
MAX_DECISIONS_PER_ORGANISATION = 20_000


class Permission(StrEnum):
    """Objects and actions as `object:action`; the GraphQL layer checks them on every field."""

    ORGANISATION_READ = "organisation:read"
    ORGANISATION_UPDATE = "organisation:update"
    MEMBERS_READ = "members:read"
    MEMBERS_INVITE = "members:invite"
    MEMBERS_MANAGE = "members:manage"
    AUDIT_READ = "audit:read"
    CREDITS_BUY = "credits:buy"
    CREDITS_TRANSFER = "credits:transfer"
    CREDITS_READ_ALL = "credits:read_all"
    DEPOSITS_CREATE = "deposits:create"
    DEPOSITS_READ_OWN = "deposits:read_own"
    DEPOSITS_READ_ALL = "deposits:read_all"
    CONSTAT_ORDER = "constat:order"
    CONSTAT_VALIDATE = "constat:validate"
    WIDGET_KEYS_MANAGE = "widget_keys:manage"
    WEBHOOKS_MANAGE = "webhooks:manage"
    REVIEW_DEPOSITS = "review:deposits"
    OFFICE_MANAGE = "office:manage"
    PLATFORM_OPERATE = "platform:operate"

    @property
    def obj(self) -> str:
        return self.value.split(":", 1)[0]

    @property
    def act(self) -> str:
        return self.value.split(":", 1)[1]


_MEMBER = [Permission.ORGANISATION_READ, Permission.DEPOSITS_CREATE, Permission.DEPOSITS_READ_OWN]
_ADMIN = [
    *_MEMBER,
    Permission.ORGANISATION_UPDATE,
    Permission.MEMBERS_READ,
    Permission.MEMBERS_INVITE,
    Permission.MEMBERS_MANAGE,
    Permission.AUDIT_READ,
    Permission.CREDITS_BUY,
    Permission.CREDITS_TRANSFER,
    Permission.CREDITS_READ_ALL,
    Permission.DEPOSITS_READ_ALL,
    Permission.CONSTAT_ORDER,
    Permission.WIDGET_KEYS_MANAGE,
    Permission.WEBHOOKS_MANAGE,
]
_CLERK = [Permission.ORGANISATION_READ, Permission.REVIEW_DEPOSITS, Permission.MEMBERS_READ]
ROLE_PERMISSIONS: dict[Role, list[Permission]] = {
    Role.OWNER: _ADMIN,
    Role.ADMIN: _ADMIN,
    Role.COLLABORATOR: _MEMBER,
    Role.CLIENT: _MEMBER,
    Role.CLERK: _CLERK,
    # The sworn commissaire de justice: the only one who signs PVs (with their certificate).
    Role.COMMISSAIRE: [*_CLERK, Permission.CONSTAT_VALIDATE, Permission.MEMBERS_INVITE],
    Role.OPERATOR: [
        Permission.ORGANISATION_READ,
        Permission.MEMBERS_READ,
        Permission.AUDIT_READ,
        Permission.PLATFORM_OPERATE,
        Permission.OFFICE_MANAGE,
    ],
    # The most an API client may do; its token's scopes narrow it further.
    Role.PARTNER: [
        *_MEMBER,
        Permission.DEPOSITS_READ_ALL,
        Permission.CREDITS_READ_ALL,
        Permission.CONSTAT_ORDER,
        Permission.WEBHOOKS_MANAGE,
    ],
}


def default_policies() -> list[tuple[str, str, str, str]]:
    """The platform-wide `p` rules: what each role may do in its own organisation."""
    return [
        (role.value, ALL_DOMAINS, permission.obj, permission.act)
        for role, permissions in ROLE_PERMISSIONS.items()
        for permission in permissions
    ]


def _model() -> Model:
    model = Model()
    model.load_model_from_text(
        resources.files("probant_tenants.authz").joinpath("model.conf").read_text()
    )
    return model


@dataclass
class Authorizer:
    """One per process: decides `may(user, organisation, permission)` from cached rules."""

    enforcer: casbin.Enforcer
    versions: dict[str, int]
    lock: threading.Lock
    # Decisions already taken, per organisation: casbin's matcher costs ~0.2 ms, and every
    # request asks the same few questions. Dropped with the organisation's rules on refresh.
    decisions: dict[str, dict[tuple[str, Permission], bool]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Authorizer:
        enforcer = casbin.Enforcer(_model())
        enforcer.add_policies(default_policies())
        return cls(enforcer=enforcer, versions={}, lock=threading.Lock())

    def may(
        self, *, user_id: uuid.UUID, organisation_id: uuid.UUID, permission: Permission
    ) -> bool:
        domain, user = str(organisation_id), str(user_id)
        known = self.decisions.setdefault(domain, {})
        decided = known.get((user, permission))
        if decided is None:
            decided = bool(self.enforcer.enforce(user, domain, permission.obj, permission.act))
            if len(known) < MAX_DECISIONS_PER_ORGANISATION:
                known[(user, permission)] = decided
        return decided

    def is_fresh(self, organisation_id: uuid.UUID, version: int) -> bool:
        return self.versions.get(str(organisation_id)) == version

    async def refresh(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, version: int
    ) -> None:
        """Reload one organisation's rules from the database (its grants and custom rules)."""
        domain = str(organisation_id)
        rows = (
            await session.execute(
                select(CasbinRule).where(
                    or_(
                        and_(CasbinRule.ptype == "g", CasbinRule.v2 == domain),
                        and_(CasbinRule.ptype == "p", CasbinRule.v1 == domain),
                    )
                )
            )
        ).scalars()
        grants, rules = [], []
        for row in rows:
            if row.ptype == "g":
                grants.append([row.v0, row.v1, row.v2])
            else:
                rules.append([row.v0, row.v1, row.v2, row.v3])
        with self.lock:
            self.enforcer.remove_filtered_grouping_policy(2, domain)
            self.enforcer.remove_filtered_policy(1, domain)
            if grants:
                self.enforcer.add_grouping_policies(grants)
            if rules:
                self.enforcer.add_policies(rules)
            self.decisions.pop(domain, None)
            self.versions[domain] = version


async def grant_role(
    *, session: AsyncSession, user_id: uuid.UUID, organisation_id: uuid.UUID, role: Role
) -> None:
    """Record `user` holds `role` in the organisation (replacing any previous role there)."""
    await revoke_roles(session=session, user_id=user_id, organisation_id=organisation_id)
    session.add(CasbinRule(ptype="g", v0=str(user_id), v1=role.value, v2=str(organisation_id)))
    await session.flush()


async def revoke_roles(
    *, session: AsyncSession, user_id: uuid.UUID, organisation_id: uuid.UUID
) -> None:
    await session.execute(
        delete(CasbinRule).where(
            CasbinRule.ptype == "g",
            CasbinRule.v0 == str(user_id),
            CasbinRule.v2 == str(organisation_id),
        )
    )
    await bump_policy_version(session=session, organisation_id=organisation_id)


async def bump_policy_version(*, session: AsyncSession, organisation_id: uuid.UUID) -> None:
    """Tell every process its cached rules for this organisation are stale."""
    await session.execute(
        update(Organisation)
        .where(Organisation.id == organisation_id)
        .values(policy_version=Organisation.policy_version + 1)
    )


_authorizer: Authorizer | None = None


def get_authorizer() -> Authorizer:
    """The process-wide authoriser (rules loaded lazily, per organisation)."""
    global _authorizer
    if _authorizer is None:
        _authorizer = Authorizer.empty()
    return _authorizer
