"""The proof bundle: everything needed to check a deposit without trusting Probant.

Format `probant-proof-bundle`, version 2 (version 1 plus timestamp tokens and, in an export,
the digests of the C2PA-credentialed copies), documented field by field in
docs/verification.md.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import urls
from probant_platform.config import Settings
from probant_platform.db import utcnow
from probant_platform.evidence.deposits import stored_items
from probant_platform.evidence.models import Deposit
from probant_platform.integrity import issued_documents, merkle
from probant_platform.integrity.formats import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    DEVELOPMENT_LABEL,
    AnchorPayload,
    timestamp,
)
from probant_platform.integrity.models import Anchor, Batch, Certificate, Leaf, SealedRecord
from probant_platform.integrity.timestamps import attach_timestamps

CHAIN_CONTEXT = 2  # neighbouring batches included on each side, so the chain link shows


async def batch_tree(session: AsyncSession, batch_id: Any) -> merkle.MerkleTree:
    """Rebuild a batch's tree from its leaves in leaf order (proofs are not stored)."""
    rows = await session.execute(
        select(Leaf.record_sha256).where(Leaf.batch_id == batch_id).order_by(Leaf.leaf_index)
    )
    return merkle.build([bytes.fromhex(h) for h in rows.scalars()])


def anchor_view(anchor: Anchor | None, batch: Batch) -> dict[str, Any] | None:
    if anchor is None or anchor.block_number is None or anchor.block_time is None:
        return None
    payload = AnchorPayload(batch.sequence, batch.root, batch.previous_root)
    return {
        "network": "development" if anchor.development else "evm",
        "label": DEVELOPMENT_LABEL["en"] if anchor.development else None,
        "chain_id": anchor.chain_id,
        "transaction_hash": anchor.tx_hash,
        "sender": anchor.sender,
        "block_number": anchor.block_number,
        "block_hash": anchor.block_hash,
        "block_time": timestamp(anchor.block_time),
        "confirmations": anchor.confirmations,
        "data": "0x" + payload.encode().hex(),
    }


def batch_view(batch: Batch, anchor: Anchor | None) -> dict[str, Any]:
    return {
        "sequence": batch.sequence,
        "root": batch.root,
        "previous_root": batch.previous_root,
        "leaf_count": batch.leaf_count,
        "opened_at": timestamp(batch.opened_at),
        "closed_at": timestamp(batch.closed_at),
        "anchor": anchor_view(anchor, batch),
    }


def _item_view(record: SealedRecord, leaf: Leaf, batch: Batch | None, proof: Any) -> Any:
    facts = json.loads(record.record)["item"]
    leaf_hash = merkle.leaf_hash(bytes.fromhex(record.record_sha256)).hex()
    return {
        **facts,
        "sealed_record": record.record,
        "leaf": {
            "batch": batch.sequence if batch else None,
            "index": leaf.leaf_index,
            "hash": leaf_hash,
        },
        "proof": [
            {"side": "left" if step.sibling_on_left else "right", "hash": step.sibling.hex()}
            for step in proof
        ],
    }


async def proof_bundle(
    *, session: AsyncSession, settings: Settings, deposit: Deposit
) -> dict[str, Any]:
    """The bundle of `deposit` as it stands (complete once every batch is anchored)."""
    items = await stored_items(session=session, deposit_id=deposit.id)
    records = {
        r.item_id: r
        for r in (
            await session.execute(select(SealedRecord).where(SealedRecord.deposit_id == deposit.id))
        ).scalars()
    }
    leaves = {
        leaf.item_id: leaf
        for leaf in (
            await session.execute(select(Leaf).where(Leaf.deposit_id == deposit.id))
        ).scalars()
    }
    batch_ids = {leaf.batch_id for leaf in leaves.values() if leaf.batch_id is not None}
    own = {
        b.id: b
        for b in (await session.execute(select(Batch).where(Batch.id.in_(batch_ids)))).scalars()
    }
    trees = {batch_id: await batch_tree(session, batch_id) for batch_id in own}
    views = []
    for item in items:
        record, leaf = records.get(item.id), leaves.get(item.id)
        if record is None or leaf is None:
            continue
        batch = own.get(leaf.batch_id) if leaf.batch_id else None
        proof = (
            trees[batch.id].proof(leaf.leaf_index)
            if batch is not None and leaf.leaf_index is not None
            else []
        )
        views.append(_item_view(record, leaf, batch, proof))
    chain = await _chain_segment(session, [b.sequence for b in own.values()])
    await attach_timestamps(session, chain)
    complete = (
        len(views) == len(items)
        and all(view["leaf"]["batch"] is not None for view in views)
        and all(b["anchor"] is not None for b in chain if b["sequence"] in _seqs(own))
    )
    first = json.loads(next(iter(records.values())).record)["deposit"] if records else None
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "generated_at": timestamp(utcnow()),
        "status": "complete" if complete else "pending",
        "verification_url": urls.verify_url(settings.base_url, deposit.reference),
        "deposit": first,
        "items": views,
        "batches": chain,
        "certificate": await _certificate_view(session, deposit),
        "office_documents": await issued_documents.source().for_bundle(
            session=session, deposit_id=deposit.id
        ),
    }


def _seqs(batches: dict[Any, Batch]) -> set[int]:
    return {b.sequence for b in batches.values()}


async def _chain_segment(session: AsyncSession, sequences: list[int]) -> list[dict[str, Any]]:
    if not sequences:
        return []
    low, high = min(sequences) - CHAIN_CONTEXT, max(sequences) + CHAIN_CONTEXT
    rows = await session.execute(
        select(Batch, Anchor)
        .outerjoin(Anchor, Anchor.batch_id == Batch.id)
        .where(Batch.sequence.between(low, high))
        .order_by(Batch.sequence)
    )
    return [batch_view(batch, anchor) for batch, anchor in rows]


async def _certificate_view(session: AsyncSession, deposit: Deposit) -> dict[str, Any] | None:
    certificate = (
        await session.execute(select(Certificate).where(Certificate.deposit_id == deposit.id))
    ).scalar_one_or_none()
    if certificate is None:
        return None
    return {
        "pdf_sha256": certificate.pdf_sha256,
        "signer_certificate_sha256": certificate.signer_fingerprint,
        "created_at": timestamp(certificate.created_at),
    }


def with_credentials(bundle: dict[str, Any], copies: dict[str, dict[str, str]]) -> dict[str, Any]:
    """`bundle` whose items name their C2PA-credentialed copy (`items[].credentials`: the
    copy's file name in the export and its SHA-256, manifest included), keyed by item id.
    An optional v2 field: a v1 reader ignores it, the v1 parts are unchanged."""
    items = [
        {**item, "credentials": copies[item["id"]]} if item.get("id") in copies else item
        for item in bundle["items"]
    ]
    return {**bundle, "items": items}


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def bundle_sha256(bundle: dict[str, Any]) -> str:
    return hashlib.sha256(bundle_bytes(bundle)).hexdigest()
