"""The certified report: rendered once every item is anchored, signed, stored and emailed."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import urls
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.documents import pki
from probant_platform.documents.render import (
    SHARED_TEMPLATES,
    Templates,
    qr_code_svg,
    render_pdf,
)
from probant_platform.documents.signing import sign_pdf
from probant_platform.documents.timestamps import LongTerm, long_term_async
from probant_platform.events.outbox import publish
from probant_platform.evidence.deposits import stored_items
from probant_platform.evidence.media.thumbnails import make_preview
from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem
from probant_platform.integrity import published
from probant_platform.integrity.certificate_labels import LABELS
from probant_platform.integrity.models import (
    Anchor,
    AnchorStatus,
    Batch,
    Certificate,
    Leaf,
    PublishedKind,
)
from probant_platform.integrity.people import AuthorView, author_of
from probant_platform.moments import utc_offset
from probant_platform.notifications import emails as notification_emails
from probant_platform.notifications.mailer import Mailer
from probant_platform.notifications.templates import render_email
from probant_platform.storage import BlobStore, store_for
from probant_tenants.models import Membership, User

log = structlog.get_logger(__name__)
TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATES = Templates(TEMPLATE_DIR)
PARIS = ZoneInfo("Europe/Paris")
MAX_PDF_BYTES = 50 * 1024 * 1024


def _when(moment: datetime | None, locale: str) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(PARIS)
    pattern = "%d/%m/%Y %H:%M:%S" if locale == "fr" else "%Y-%m-%d %H:%M:%S"
    zone = f"Europe/Paris, {utc_offset(local)}"
    return f"{local.strftime(pattern)} ({zone}) — {moment.isoformat(timespec='seconds')}"


def report_locale(deposit: Deposit, author: AuthorView) -> str:
    """The deposit's language (the one it was sealed in), else its author's."""
    return "en" if (deposit.locale or author.locale) == "en" else "fr"


def _address(deposit: Deposit) -> str:
    parts = [deposit.street, deposit.building, deposit.floor, deposit.flat]
    line = ", ".join(p for p in parts if p)
    return f"{line}, {deposit.postcode} {deposit.city}".strip(", ")


async def _thumbnail(store: BlobStore, item: EvidenceItem, settings: Settings) -> bytes | None:
    if item.thumbnail_key is not None and await store.exists(item.thumbnail_key):
        async with store.local_copy(item.thumbnail_key) as path:
            return path.read_bytes()
    if item.blob_key is None:
        return None
    try:
        async with store.local_copy(item.blob_key) as original:
            return await make_preview(original, media_type=item.media_type, settings=settings)
    except Exception:  # an unreadable preview must not block the report
        log.warning("certificate.no_thumbnail", item=str(item.id))
        return None


async def _anchors(session: AsyncSession, deposit_id: uuid.UUID) -> list[dict[str, Any]] | None:
    """The deposit's batches and anchors, or None while one is not confirmed."""
    rows = (
        await session.execute(
            select(Leaf.batch_id, Batch, Anchor)
            .outerjoin(Batch, Batch.id == Leaf.batch_id)
            .outerjoin(Anchor, Anchor.batch_id == Leaf.batch_id)
            .where(Leaf.deposit_id == deposit_id)
        )
    ).all()
    if not rows or any(a is None or a.status is not AnchorStatus.CONFIRMED for _, _, a in rows):
        return None
    seen: dict[int, dict[str, Any]] = {}
    for _, batch, anchor in rows:
        seen[batch.sequence] = {
            "sequence": batch.sequence,
            "root": batch.root,
            "chain_id": anchor.chain_id,
            "development": anchor.development,
            "tx_hash": anchor.tx_hash,
            "block_number": anchor.block_number,
            "block_time": anchor.block_time,
        }
    return [seen[key] for key in sorted(seen)]


async def render_certificate(
    *,
    session: AsyncSession,
    settings: Settings,
    store: BlobStore,
    deposit: Deposit,
    author: AuthorView,
    anchors: list[dict[str, Any]],
    locale: str,
) -> tuple[bytes, pki.Signer]:
    """The signed PDF of `deposit` in `locale` (fr or en), and its signer."""
    items = await stored_items(session=session, deposit_id=deposit.id)
    url = urls.verify_url(settings.base_url, deposit.reference)
    assets: dict[str, bytes] = {"qr.svg": qr_code_svg(url)}
    if deposit.signature_png:
        assets["signature.png"] = deposit.signature_png
    views = []
    for number, item in enumerate(items, start=1):
        thumbnail = await _thumbnail(store, item, settings)
        if thumbnail:
            assets[f"thumb-{number}.jpg"] = thumbnail
        location = (
            f"{item.latitude:.6f}, {item.longitude:.6f} (± {item.accuracy_meters or 0:.0f} m)"
            if item.latitude is not None and item.longitude is not None
            else None
        )
        views.append(
            {
                "thumbnail": f"thumb-{number}.jpg" if thumbnail else None,
                "media_type": item.media_type,
                "size": item.size,
                "sha256": item.sha256,
                "captured_at": _when(item.captured_at, locale),
                "received_at": _when(item.received_at, locale),
                "clock_skew_flagged": item.clock_skew_flagged,
                "location": location,
                "comment": item.comment,
            }
        )
    for anchor in anchors:
        anchor["block_time"] = _when(anchor["block_time"], locale)
    context = {
        "deposit": deposit,
        "author": author,
        "address": _address(deposit),
        "sealed_at": _when(deposit.sealed_at, locale),
        "items": views,
        "signature_image": bool(deposit.signature_png),
        "anchors": anchors,
        "verification_url": url,
    }
    signer = await asyncio.to_thread(pki.platform_signer, settings)
    pdf = await asyncio.to_thread(
        build_pdf,
        signer=signer,
        context=context,
        assets=assets,
        locale=locale,
        long_term=await long_term_async(settings),
    )
    return pdf, signer


def build_pdf(
    *,
    signer: pki.Signer,
    context: dict[str, Any],
    assets: dict[str, bytes],
    locale: str,
    long_term: LongTerm | None = None,
) -> bytes:
    """Render the report template and sign it (synchronous: run it in a thread)."""
    html = TEMPLATES.render("certificate.html.j2", lang=locale, labels=LABELS[locale], **context)
    # The shared folder first: relative URLs (document.css) resolve against the first one.
    pdf = render_pdf(html, folders=[SHARED_TEMPLATES, TEMPLATE_DIR], assets=assets)
    reference = context["deposit"].reference
    return sign_pdf(
        pdf,
        signer,
        reason=LABELS[locale]["sign_reason"].format(reference=reference),
        location="Probant",
        long_term=long_term,
    )


async def certify_deposit(
    *,
    database: Database,
    settings: Settings,
    mailer: Mailer,
    organisation_id: uuid.UUID,
    deposit_id: uuid.UUID,
) -> Certificate | None:
    """Issue (once) and email (once) the deposit's report; None while anchoring is pending."""
    store = store_for(settings)
    scope = TenantScope(organisation_id=organisation_id)
    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, deposit_id)
        if deposit is None or deposit.status in (DepositStatus.DRAFT, DepositStatus.DELETED):
            return None
        certificate = (
            await session.execute(
                select(Certificate).where(Certificate.deposit_id == deposit_id).with_for_update()
            )
        ).scalar_one_or_none()
        author = await author_of(session=session, membership_id=deposit.author_membership_id)
        locale = report_locale(deposit, author)
        if certificate is None:
            anchors = await _anchors(session, deposit_id)
            if anchors is None:
                return None
            await publish(
                session,
                organisation_id=deposit.organisation_id,
                type="deposit.anchored",
                key=f"deposit.anchored:{deposit.id}",
                data={"deposit_id": deposit.id, "reference": deposit.reference},
            )
            pdf, signer = await render_certificate(
                session=session,
                settings=settings,
                store=store,
                deposit=deposit,
                author=author,
                anchors=anchors,
                locale=locale,
            )
            blob = await store.put_stream(
                chunks=_once(pdf), max_bytes=MAX_PDF_BYTES, expected_sha256=None
            )
            certificate = Certificate(
                deposit_id=deposit.id,
                organisation_id=deposit.organisation_id,
                locale=locale,
                blob_key=blob.key,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                signer_fingerprint=signer.fingerprint,
                created_at=utcnow(),
            )
            session.add(certificate)
            await session.flush()
            await published.register_pdf(
                session=session,
                sha256=certificate.pdf_sha256,
                kind=PublishedKind.CERTIFIED_REPORT,
                reference=deposit.reference,
                locale=locale,
                signer_name=signer.common_name,
                signer_fingerprint=signer.fingerprint,
                issued_at=certificate.created_at,
            )
            await publish(
                session,
                organisation_id=deposit.organisation_id,
                type="certificate.issued",
                key=f"certificate.issued:{deposit.id}",
                data={
                    "deposit_id": deposit.id,
                    "reference": deposit.reference,
                    "sha256": certificate.pdf_sha256,
                },
            )
            log.info("certificate.issued", reference=deposit.reference, size=len(pdf))
        reference, title = deposit.reference, deposit.title
        name = deposit.signature_name or author.full_name
        member = await session.get(Membership, deposit.author_membership_id)
        user = await session.get(User, member.user_id) if member is not None else None
        wanted = await notification_emails.wanted(session, user, "certificate")
        unsubscribe = notification_emails.unsubscribe_for(user, "certificate")
    if wanted and certificate.emailed_at is None and author.email and certificate.blob_key:
        await _email(
            settings=settings,
            mailer=mailer,
            store=store,
            certificate=certificate,
            to=author.email,
            locale=locale,
            unsubscribe_url=notification_emails.link_of(settings, unsubscribe),
            context={
                "name": name,
                "reference": reference,
                "title": title,
                "verification_url": urls.verify_url(settings.base_url, reference),
            },
        )
        async with database.unit_of_work(scope) as session:
            stored = await session.get(Certificate, certificate.id)
            if stored is not None:
                stored.emailed_at = certificate.emailed_at = utcnow()
    return certificate


async def report_in_language(
    *, session: AsyncSession, settings: Settings, deposit: Deposit, locale: str
) -> bytes | None:
    """The issued report re-rendered in `locale` (fr or en) and signed now; registered on
    /verify like the original. None while the report is not issued."""
    issued = (
        await session.execute(select(Certificate).where(Certificate.deposit_id == deposit.id))
    ).scalar_one_or_none()
    anchors = await _anchors(session, deposit.id)
    if issued is None or anchors is None:
        return None
    author = await author_of(session=session, membership_id=deposit.author_membership_id)
    pdf, signer = await render_certificate(
        session=session,
        settings=settings,
        store=store_for(settings),
        deposit=deposit,
        author=author,
        anchors=anchors,
        locale=locale,
    )
    await published.register_pdf(
        session=session,
        sha256=hashlib.sha256(pdf).hexdigest(),
        kind=PublishedKind.CERTIFIED_REPORT,
        reference=deposit.reference,
        locale=locale,
        signer_name=signer.common_name,
        signer_fingerprint=signer.fingerprint,
        issued_at=utcnow(),
    )
    return pdf


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _email(
    *,
    settings: Settings,
    mailer: Mailer,
    store: BlobStore,
    certificate: Certificate,
    to: str,
    locale: str,
    context: dict[str, str],
    unsubscribe_url: str | None = None,
) -> None:
    assert certificate.blob_key is not None
    async with store.local_copy(certificate.blob_key) as path:
        pdf = path.read_bytes()
    message = render_email(
        "certificate",
        to=to,
        sender=settings.mail_from,
        locale=locale,
        context=context,
        unsubscribe_url=unsubscribe_url,
    )
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=f"{context['reference']}.pdf"
    )
    await mailer.send(message)
