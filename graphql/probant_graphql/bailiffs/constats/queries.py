"""PV de constat de dépôt: its terms and legal identity, its specimen, the orders."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.constats.types import ConstatTerms, PdfFile
from probant_graphql.bailiffs.loaders import viewer_of, visible_page
from probant_graphql.bailiffs.types import (
    ConstatOrder,
    ConstatStatus,
    RequesterIdentity,
    office_node,
)
from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.evidence.mutations import author_of
from probant_graphql.permissions import require
from probant_platform.bailiffs import constats, queries
from probant_platform.bailiffs import models as m
from probant_platform.bailiffs.issuing import render_constat
from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.evidence.models import Deposit
from probant_tenants.authz import Permission
from probant_tenants.models import Organisation


@strawberry.type
class ConstatQuery:
    @strawberry.field(
        description="OWNER/ADMIN: the office, price and pre-filled legal identity for turning "
        "a sealed or accepted deposit into a PV de constat (null when it cannot be)."
    )
    async def constat_terms(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> ConstatTerms | None:
        actor = await require(info, Permission.CONSTAT_ORDER)
        author = await author_of(info, actor)
        deposit_uuid = decode_id(deposit_id, "Deposit")
        if deposit_uuid is None:
            return None
        session = info.context.session
        try:
            office, price = await constats.constat_terms(
                session=session,
                author=author,
                deposit_id=deposit_uuid,
                settings=info.context.settings,
            )
        except DomainError:
            return None
        organisation = await session.get(Organisation, actor.organisation_id)
        assert organisation is not None
        identity = constats.prefilled_identity(organisation)
        open_order = await queries.open_order(session=session, deposit_id=deposit_uuid)
        return ConstatTerms(
            office=office_node(info, office),
            price_ttc_cents=price,
            price=office_node(info, office).constat_price,
            requester=RequesterIdentity(**vars(identity)),
            open_order=ConstatOrder.from_model(open_order) if open_order else None,
        )

    @strawberry.field(
        description="The PV as it will read, watermarked SPECIMEN and unsigned (the requester "
        "before paying; the office before validating)."
    )
    async def constat_specimen(
        self, info: Info[Context, Any], order_id: strawberry.ID
    ) -> PdfFile | None:
        await require(info)
        viewer = await viewer_of(info)
        order_uuid = decode_id(order_id, "ConstatOrder")
        if viewer is None or order_uuid is None:
            return None
        found = await queries.visible_orders(
            session=info.context.session, viewer=viewer, ids=[order_uuid]
        )
        order = found.get(order_uuid)
        if order is None:
            return None
        deposit = await info.context.session.get(Deposit, order.deposit_id)
        if deposit is None:
            return None
        pdf = await render_constat(
            session=info.context.session,
            settings=info.context.settings,
            order=order,
            deposit=deposit,
            specimen=True,
            when=utcnow(),
        )
        return PdfFile(
            filename=f"specimen-pv-{deposit.reference}.pdf",
            content_type="application/pdf",
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            base64=base64.b64encode(pdf).decode(),
        )

    @strawberry.field(
        description="OWNER/ADMIN: the organisation's PV orders. Clerks: the paid orders "
        "addressed to their office. Newest first."
    )
    async def constat_orders(
        self,
        info: Info[Context, Any],
        status: ConstatStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[ConstatOrder]:
        return await visible_page(
            info,
            lambda viewer: queries.constat_orders(viewer, status),
            m.ConstatOrder,
            first=first,
            after=after,
            to_node=ConstatOrder.from_model,
        )
