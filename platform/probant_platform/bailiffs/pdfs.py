"""The office's documents as PDFs: attestation de dépôt, PV de constat and its specimen."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.anchors import Anchor, anchors_of
from probant_platform.bailiffs.models import (
    BailiffOffice,
    ConstatOrder,
    RejectionReason,
    Submission,
)
from probant_platform.bailiffs.words import date_in_words, euros, paris_time, time_in_words
from probant_platform.documents.render import SHARED_TEMPLATES, Templates, qr_code_svg
from probant_platform.evidence.deposits import stored_items
from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_tenants.models import Organisation

# The shared folder first: the layout's relative links (its stylesheet) resolve against it.
TEMPLATES = Templates(SHARED_TEMPLATES, Path(__file__).parent / "templates")

REASONS_FR = {
    RejectionReason.UNUSABLE_BLURRED: "image inexploitable : floue",
    RejectionReason.UNUSABLE_EXPOSURE: "image inexploitable : sous- ou surexposée",
    RejectionReason.TERMS_SEXUAL: "contenu à caractère sexuel (conditions d'utilisation)",
    RejectionReason.TERMS_DISCRIMINATORY: "contenu discriminatoire (conditions d'utilisation)",
    RejectionReason.TERMS_DEFAMATORY: "contenu diffamatoire (conditions d'utilisation)",
    RejectionReason.TERMS_IMAGE_RIGHTS: "atteinte au droit à l'image d'un tiers",
    RejectionReason.TERMS_ILLEGAL: "contenu illicite (conditions d'utilisation)",
    RejectionReason.OTHER: "autre motif",
}
REASONS_EN = {
    RejectionReason.UNUSABLE_BLURRED: "unusable image: blurred",
    RejectionReason.UNUSABLE_EXPOSURE: "unusable image: under- or over-exposed",
    RejectionReason.TERMS_SEXUAL: "sexual content (terms of use)",
    RejectionReason.TERMS_DISCRIMINATORY: "discriminatory content (terms of use)",
    RejectionReason.TERMS_DEFAMATORY: "defamatory content (terms of use)",
    RejectionReason.TERMS_IMAGE_RIGHTS: "infringes a third party's image rights",
    RejectionReason.TERMS_ILLEGAL: "illegal content (terms of use)",
    RejectionReason.OTHER: "other reason",
}


def reason_text(reason: RejectionReason | None, locale: str | None) -> str:
    if reason is None:
        return ""
    return (REASONS_EN if locale == "en" else REASONS_FR)[reason]


@dataclass(frozen=True)
class OfficeIdentity:
    organisation: Organisation
    entry: BailiffOffice | None
    certificate_fingerprint: str


def _item_view(item: EvidenceItem, index: int) -> dict[str, Any]:
    if item.latitude is not None and item.longitude is not None:
        place = f"{item.latitude:.6f}, {item.longitude:.6f}"
        if item.accuracy_meters is not None:
            place += f" (± {item.accuracy_meters:.0f} m)"
    else:
        place = f"non localisé ({item.no_location_reason or 'motif non précisé'})"
    return {
        "index": index,
        "id": str(item.id),
        "media_type": item.media_type or item.declared_content_type,
        "size": item.size or 0,
        "size_label": f"{(item.size or 0):,}".replace(",", "\u202f") + " octets",
        "sha256": item.sha256 or "",
        "captured_at": paris_time(item.captured_at),
        "received_at": paris_time(item.received_at),
        "place": place,
        "clock_skew_flagged": item.clock_skew_flagged,
        "duration": item.duration_seconds,
        "comment": item.comment,
    }


def _deposit_view(deposit: Deposit) -> dict[str, Any]:
    address = ", ".join(
        p
        for p in (
            deposit.street,
            f"étage {deposit.floor}" if deposit.floor else "",
            f"appartement {deposit.flat}" if deposit.flat else "",
            deposit.building,
            f"{deposit.postcode} {deposit.city}".strip(),
        )
        if p
    )
    return {
        "reference": deposit.reference,
        "title": deposit.title,
        "address": address,
        "address_details": deposit.address_details,
        "description": deposit.description,
        "sealed_at": paris_time(deposit.sealed_at),
        "signed_by": deposit.signature_name or "",
    }


def _office_view(office: OfficeIdentity) -> dict[str, Any]:
    org = office.organisation
    return {
        "name": org.name,
        "address": ", ".join(
            p for p in (org.street, f"{org.postcode or ''} {org.city or ''}".strip()) if p
        ),
        "siren": org.siren or "",
        "city": org.city or "",
        "fingerprint": office.certificate_fingerprint,
    }


def _anchor_views(anchors: list[Anchor] | None) -> list[dict[str, Any]]:
    return [
        {
            "sequence": anchor.batch_sequence,
            "batch_root": anchor.batch_root,
            "transaction_hash": anchor.transaction_hash,
            "chain": anchor.chain,
            "block_number": anchor.block_number,
            "anchored_at": paris_time(anchor.anchored_at),
        }
        for anchor in anchors or []
    ]


async def _items(
    session: AsyncSession, deposit_id: uuid.UUID, excluded: set[str]
) -> tuple[list[EvidenceItem], list[EvidenceItem]]:
    items = await stored_items(session=session, deposit_id=deposit_id)
    kept = [i for i in items if str(i.id) not in excluded]
    return kept, [i for i in items if str(i.id) in excluded]


async def attestation_pdf(
    *,
    session: AsyncSession,
    office: OfficeIdentity,
    submission: Submission,
    deposit: Deposit,
    verify_url: str,
) -> bytes:
    """The attestation de dépôt (French), unsigned: the caller signs it with the office's key."""
    kept, rejected = await _items(session, deposit.id, set(submission.rejected_item_ids))
    anchors = await anchors_of(session=session, item_ids=[i.id for i in kept])
    decided = submission.decided_at or submission.submitted_at
    return await asyncio.to_thread(
        TEMPLATES.pdf,
        "attestation.html.j2",
        assets={"qr.svg": qr_code_svg(verify_url)},
        office=_office_view(office),
        requester=submission.requester_name,
        author=submission.author_name,
        deposit=_deposit_view(deposit),
        items=[_item_view(item, n) for n, item in enumerate(kept, start=1)],
        rejected=[_item_view(item, n) for n, item in enumerate(rejected, start=1)],
        reason=reason_text(submission.reason, "fr"),
        comment=submission.comment,
        anchors=_anchor_views(anchors),
        submitted_at=paris_time(submission.submitted_at),
        accepted_at=paris_time(decided),
        accepted_in_words=f"{date_in_words(decided)}, {time_in_words(decided)}",
        clerk=submission.decided_by_name or "",
        verify_url=verify_url,
    )


async def constat_pdf(
    *,
    session: AsyncSession,
    office: OfficeIdentity,
    order: ConstatOrder,
    deposit: Deposit,
    excluded_item_ids: list[str],
    verify_url: str,
    specimen: bool,
    when: datetime,
) -> bytes:
    """The PV de constat de dépôt; `specimen` adds the watermark and leaves the signature out."""
    kept, _ = await _items(session, deposit.id, set(excluded_item_ids))
    anchors = await anchors_of(session=session, item_ids=[i.id for i in kept])
    return await asyncio.to_thread(
        TEMPLATES.pdf,
        "constat.html.j2",
        assets={"qr.svg": qr_code_svg(verify_url)},
        specimen=specimen,
        office=_office_view(office),
        order={
            "legal_form": order.legal_form,
            "company_name": order.company_name,
            "rcs_number": " ".join(
                order.rcs_number[i : i + 3] for i in range(0, len(order.rcs_number), 3)
            ),
            "rcs_city": order.rcs_city,
            "street": order.street,
            "postcode": order.postcode,
            "city": order.city,
            "representative": f"{order.representative_first_name} {order.representative_last_name}",
            "expose": order.corrected_expose or order.expose,
            "price": euros(order.price_ttc_cents),
        },
        deposit=_deposit_view(deposit),
        items=[_item_view(item, n) for n, item in enumerate(kept, start=1)],
        anchors=_anchor_views(anchors),
        date_words=date_in_words(when),
        time_words=time_in_words(when),
        issued_at=paris_time(when),
        validated_by=order.validated_by_name or "",
        verify_url=verify_url,
    )
