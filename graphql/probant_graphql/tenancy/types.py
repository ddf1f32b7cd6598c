"""The tenancy folder's shared types: organisation, member, viewer, audit event."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.core.pagination import connection, encode_cursor, newest_first
from probant_graphql.permissions import current_actor, may, require
from probant_tenants import models, queries
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission

OrganisationKind = strawberry.enum(models.OrganisationKind, name="OrganisationKind")
Role = strawberry.enum(models.Role, name="Role")
MembershipStatus = strawberry.enum(models.MembershipStatus, name="MembershipStatus")
OfficeChoice = strawberry.enum(models.OfficeChoice, name="OfficeChoice")
AuditActionEnum = strawberry.enum(AuditAction, name="AuditAction")


@strawberry.type(description="The legal identity reused on constats and invoices.")
class LegalIdentity:
    legal_form: str | None
    company_name: str | None
    siren: str | None
    rcs_city: str | None
    street: str | None
    postcode: str | None
    city: str | None
    representative_first_name: str | None
    representative_last_name: str | None


@strawberry.type(name="Member")
class Member(relay.Node):
    """A person's membership of an organisation."""

    membership_id: relay.NodeID[str]
    email: str
    full_name: str
    role: Role  # type: ignore[valid-type]
    status: MembershipStatus  # type: ignore[valid-type]
    joined_at: datetime
    organisation_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, membership: models.Membership, user: models.User) -> Member:
        return cls(
            membership_id=str(membership.id),
            email=user.email,
            full_name=user.full_name,
            role=membership.role,
            status=membership.status,
            joined_at=membership.created_at,
            organisation_id=membership.organisation_id,
        )

    @strawberry.field(
        description="OWNER/ADMIN: the credits in this member's own wallet (null for others)."
    )
    async def credit_balance(self, info: Info[Context, Any]) -> int | None:
        from probant_graphql.bailiffs.loaders import loader
        from probant_platform.ledger.services import member_balances

        actor = await current_actor(info)
        if not queries.sees_member_balance(
            member_organisation_id=self.organisation_id,
            viewer_organisation_id=actor.organisation_id if actor is not None else None,
            reads_all_credits=actor is not None
            and await may(info, actor, Permission.CREDITS_READ_ALL),
        ):
            return None

        async def fetch(ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
            return await member_balances(
                session=info.context.session,
                organisation_id=self.organisation_id,
                membership_ids=ids,
            )

        return await loader(info, "member_balances", fetch).load(uuid.UUID(self.membership_id))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[Member | None]:
        actor = await current_actor(info)
        if actor is None:
            return [None for _ in node_ids]
        see_all = await may(info, actor, Permission.MEMBERS_READ)
        ids = [i for i in (decode_id(n, "Member") for n in node_ids) if i is not None]
        rows = await queries.members_by_id(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            ids=ids,
            only_user_id=None if see_all else actor.user_id,
        )
        found = {str(key): cls.from_row(m, u) for key, (m, u) in rows.items()}
        return [found.get(n) for n in node_ids]


@strawberry.type(name="Organisation")
class Organisation(relay.Node):
    organisation_id: relay.NodeID[str]
    kind: OrganisationKind  # type: ignore[valid-type]
    name: str
    locale: str
    legal_identity: LegalIdentity
    office_choice: OfficeChoice  # type: ignore[valid-type]
    preferred_office_id: strawberry.ID | None
    capture_location_required: bool

    @classmethod
    def from_model(cls, org: models.Organisation) -> Organisation:
        return cls(
            organisation_id=str(org.id),
            kind=org.kind,
            name=org.name,
            locale=org.locale,
            office_choice=org.office_choice,
            capture_location_required=org.capture_location_required,
            preferred_office_id=strawberry.ID(str(org.preferred_office_id))
            if org.preferred_office_id
            else None,
            legal_identity=LegalIdentity(
                legal_form=org.legal_form,
                company_name=org.company_name,
                siren=org.siren,
                rcs_city=org.rcs_city,
                street=org.street,
                postcode=org.postcode,
                city=org.city,
                representative_first_name=org.representative_first_name,
                representative_last_name=org.representative_last_name,
            ),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[Organisation | None]:
        actor = await current_actor(info)
        if actor is None:
            return [None for _ in node_ids]
        operator = await may(info, actor, Permission.PLATFORM_OPERATE)
        result: list[Organisation | None] = []
        for node_id in node_ids:
            org = await queries.visible_organisation(
                session=info.context.session,
                organisation_id=decode_id(node_id, "Organisation"),
                viewer_organisation_id=actor.organisation_id,
                operator=operator,
            )
            result.append(cls.from_model(org) if org is not None else None)
        return result

    @strawberry.field(description="Members of the organisation, newest first (OWNER/ADMIN).")
    async def members(
        self,
        info: Info[Context, Any],
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[Member]:
        actor = await require(info, Permission.MEMBERS_READ)
        listed = queries.members_seen_by(
            organisation_id=uuid.UUID(self.organisation_id),
            viewer_organisation_id=actor.organisation_id,
            operator=await may(info, actor, Permission.PLATFORM_OPERATE),
        )
        if listed is None:
            return connection([], first=first, after=after, cursor_of=str, to_node=lambda r: r)
        query = newest_first(
            listed,
            created=models.Membership.created_at,
            ident=models.Membership.id,
            after=after,
            first=first,
        )
        rows = (await info.context.session.execute(query)).all()
        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda r: encode_cursor(r[0].created_at, r[0].id),
            to_node=lambda r: Member.from_row(r[0], r[1]),
        )


@strawberry.type
class ViewerUser:
    id: strawberry.ID
    email: str
    full_name: str
    locale: str
    email_verified: bool
    notify_email: bool
    notify_push: bool


@strawberry.type(description="The authenticated person, their organisation and what they may do.")
class Viewer:
    user: ViewerUser
    organisation: Organisation
    role: Role  # type: ignore[valid-type]
    permissions: list[str]
    csrf_token: str | None = strawberry.field(
        description="Send it as the `x-probant-csrf` header with cookie-authenticated mutations."
    )


@strawberry.type(name="AuditEvent")
class AuditEvent(relay.Node):
    event_id: relay.NodeID[str]
    action: str
    actor_user_id: strawberry.ID | None
    target: str | None
    ip: str | None
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.AuditEvent) -> AuditEvent:
        return cls(
            event_id=str(row.id),
            action=row.action,
            actor_user_id=strawberry.ID(str(row.actor_user_id)) if row.actor_user_id else None,
            target=row.target,
            ip=row.ip,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[AuditEvent | None]:
        return [None for _ in node_ids]  # read through `auditLog` only
