"""Whether a sealed deposit's certified report is issued yet (what the capture widget polls)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.integrity.types import certificate_link
from probant_graphql.permissions import may, require
from probant_platform.evidence import deposits
from probant_platform.evidence import errors as evidence_errors
from probant_platform.evidence.models import DepositStatus
from probant_tenants.authz import Permission


@strawberry.enum(description="Where a deposit's certified report stands.")
class CertificateStatus(Enum):
    NOT_SEALED = "NOT_SEALED"
    PENDING = "PENDING"  # sealed; issued once every item is anchored
    ISSUED = "ISSUED"


@strawberry.type(description="A deposit's certified report: its status and, once issued, a link.")
class DepositCertificate:
    reference: str
    status: CertificateStatus
    url: str | None = strawberry.field(description="A signed link, valid 5 minutes.")


@strawberry.type
class IntegrityQuery:
    @strawberry.field(
        description="The certified report of one of your deposits (capture tokens may ask "
        "for the deposit they sealed): PENDING until it is issued, then ISSUED with a link."
    )
    async def deposit_certificate(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> DepositCertificate | None:
        actor = await require(info, Permission.DEPOSITS_CREATE)
        found = decode_id(str(deposit_id), "Deposit")
        if found is None:
            return None
        author = deposits.Author(
            actor.organisation_id,
            actor.membership_id,
            await may(info, actor, Permission.DEPOSITS_READ_ALL),
        )
        try:
            deposit = await deposits.get_deposit(
                session=info.context.session, author=author, deposit_id=found
            )
        except evidence_errors.DepositNotFound:
            return None
        if deposit.status in (DepositStatus.DRAFT, DepositStatus.DELETED):
            return DepositCertificate(
                reference=deposit.reference, status=CertificateStatus.NOT_SEALED, url=None
            )
        url = await certificate_link(info, str(deposit.id))
        status = CertificateStatus.ISSUED if url else CertificateStatus.PENDING
        return DepositCertificate(reference=deposit.reference, status=status, url=url)
