"""RFC 3161 tokens over batch roots: a second witness of time, beside the chain anchor.

The message imprint is the batch root itself (the SHA-256 Merkle root, hash algorithm
SHA-256), so anyone can check a token with `openssl ts -verify -digest <root> -token_in`.
Stamping never blocks anchoring: a batch whose authority did not answer is stamped by the
next integrity tick.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import uuid
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from asn1crypto import cms, tsp
from cryptography import x509
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.documents import timestamps as tsa
from probant_platform.integrity.formats import timestamp
from probant_platform.integrity.models import Batch, BatchRetimestamp, BatchTimestamp

log = structlog.get_logger(__name__)
T = TypeVar("T")

DEVELOPMENT_TSA_LABEL = "development time-stamping authority — not a trusted time source"


def token_time(token: bytes) -> Any:
    """The `genTime` the authority signed (a datetime)."""
    return _tst_info(cms.ContentInfo.load(token))["gen_time"].native


def _tst_info(info: cms.ContentInfo) -> tsp.TSTInfo:
    parsed = info["content"]["encap_content_info"]["content"].parsed
    if not isinstance(parsed, tsp.TSTInfo):
        raise ValueError("the token does not hold a TSTInfo")
    return parsed


async def stamp_batch(
    *, database: Database, settings: Settings, batch_id: uuid.UUID
) -> BatchTimestamp:
    """The batch's token, asked of the authority the first time (idempotent)."""
    async with database.unit_of_work() as session:
        existing = await _stored(session, batch_id)
        batch = await session.get(Batch, batch_id)
    if existing is not None:
        return existing
    if batch is None:
        raise LookupError(f"no batch {batch_id}")
    stamper = await asyncio.to_thread(tsa.timestamper, settings)
    token = await tsa.timestamp_token(stamper, bytes.fromhex(batch.root))
    async with database.unit_of_work() as session:
        existing = await _stored(session, batch_id, lock=True)
        if existing is not None:
            return existing
        row = BatchTimestamp(
            batch_id=batch_id,
            token=token,
            generated_at=token_time(token),
            development=not settings.tsa_url,
        )
        session.add(row)
    return row


async def stamp_quietly(*, database: Database, settings: Settings, batch_id: uuid.UUID) -> None:
    """`stamp_batch`, logging instead of raising: the tick retries what fails here."""
    try:
        await stamp_batch(database=database, settings=settings, batch_id=batch_id)
    except Exception as exc:
        log.warning("timestamp.failed", batch=str(batch_id), error=type(exc).__name__)


async def stamp_unstamped(*, database: Database, settings: Settings, limit: int = 50) -> int:
    async with database.unit_of_work() as session:
        ids = list(
            (
                await session.execute(
                    select(Batch.id)
                    .outerjoin(BatchTimestamp, BatchTimestamp.batch_id == Batch.id)
                    .where(BatchTimestamp.id.is_(None))
                    .order_by(Batch.sequence)
                    .limit(limit)
                )
            ).scalars()
        )
    for batch_id in ids:
        await stamp_quietly(database=database, settings=settings, batch_id=batch_id)
    return len(ids)


async def _stored(
    session: AsyncSession, batch_id: uuid.UUID, *, lock: bool = False
) -> BatchTimestamp | None:
    query = select(BatchTimestamp).where(BatchTimestamp.batch_id == batch_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


def timestamp_view(row: BatchTimestamp) -> dict[str, Any]:
    """The bundle (v2) form of a token: the DER in base64 and what it claims, for reading."""
    return {
        "type": "rfc3161",
        "imprint_algorithm": "sha256",
        "generated_at": timestamp(row.generated_at),
        "label": DEVELOPMENT_TSA_LABEL if row.development else None,
        "token": base64.b64encode(row.token).decode("ascii"),
    }


def retimestamp_imprint(algorithm: str, root_hex: str, previous_token: bytes) -> bytes:
    """What a re-timestamp vouches for: `algorithm(root ‖ previous token)`, the root as its
    32 bytes and the previous token as DER (the batch's first token, or the re-timestamp
    before)."""
    return hashlib.new(algorithm, bytes.fromhex(root_hex) + previous_token).digest()


async def retimestamp_batches(
    *, database: Database, settings: Settings, limit: int = 200
) -> list[uuid.UUID]:
    """Under `PROBANT_ROOT_RETIMESTAMP_HASH`, a new token over each stamped batch whose newest
    token is not yet under that hash (its imprint: `retimestamp_imprint`). Off by default.
    Returns the batches re-timestamped; a failure is logged and left to the next run."""
    algorithm = settings.root_retimestamp_hash
    if algorithm is None:
        return []
    async with database.unit_of_work() as session:
        firsts = (
            await session.execute(
                select(Batch.id, Batch.root, BatchTimestamp.token)
                .join(BatchTimestamp, BatchTimestamp.batch_id == Batch.id)
                .order_by(Batch.sequence)
            )
        ).all()
        later: dict[uuid.UUID, BatchRetimestamp] = {}
        for row in (
            await session.execute(select(BatchRetimestamp).order_by(BatchRetimestamp.position))
        ).scalars():
            later[row.batch_id] = row
    due = [
        (batch_id, root, later.get(batch_id), first)
        for batch_id, root, first in firsts
        if batch_id not in later or later[batch_id].hash_algorithm != algorithm
    ][:limit]
    if not due:
        return []
    stamper = await asyncio.to_thread(tsa.timestamper, settings)
    written = []
    for batch_id, root, newest, first in due:
        previous = newest.token if newest is not None else first
        position = newest.position + 1 if newest is not None else 1
        try:
            digest = retimestamp_imprint(algorithm, root, previous)
            token: cms.ContentInfo = await stamper.async_timestamp(digest, algorithm)
            der = token.dump()
            async with database.unit_of_work() as session:
                row = BatchRetimestamp(
                    batch_id=batch_id,
                    position=position,
                    hash_algorithm=algorithm,
                    token=der,
                    generated_at=token_time(der),
                    development=not settings.tsa_url,
                )
                session.add(row)
            written.append(batch_id)
        except Exception as exc:
            log.warning("timestamp.retimestamp_failed", batch=str(batch_id), error=repr(exc))
    log.info("timestamp.retimestamped", count=len(written), algorithm=algorithm)
    return written


def retimestamp_view(row: BatchRetimestamp) -> dict[str, Any]:
    """The bundle (v2) form of a re-timestamp (`batches[].retimestamps[]`)."""
    return {
        "type": "rfc3161",
        "imprint_algorithm": row.hash_algorithm,
        "covers": "root+previous-token",
        "generated_at": timestamp(row.generated_at),
        "label": DEVELOPMENT_TSA_LABEL if row.development else None,
        "token": base64.b64encode(row.token).decode("ascii"),
    }


async def attach_timestamps(session: AsyncSession, batches: list[dict[str, Any]]) -> None:
    """Add each batch's token (when it has one) to the bundle's batch views."""
    sequences = [b["sequence"] for b in batches]
    rows = await session.execute(
        select(Batch.sequence, BatchTimestamp)
        .join(BatchTimestamp, BatchTimestamp.batch_id == Batch.id)
        .where(Batch.sequence.in_(sequences))
    )
    found = {sequence: row for sequence, row in rows}
    later: dict[int, list[dict[str, Any]]] = {}
    for sequence, retimestamp in await session.execute(
        select(Batch.sequence, BatchRetimestamp)
        .join(BatchRetimestamp, BatchRetimestamp.batch_id == Batch.id)
        .where(Batch.sequence.in_(sequences))
        .order_by(BatchRetimestamp.position)
    ):
        later.setdefault(sequence, []).append(retimestamp_view(retimestamp))
    for view in batches:
        row = found.get(view["sequence"])
        view["timestamp"] = timestamp_view(row) if row is not None else None
        if view["sequence"] in later:
            # Only when there are some: a bundle without re-timestamps is unchanged.
            view["retimestamps"] = later[view["sequence"]]


def _run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine to completion from sync code, even under a running loop (the
    verifier is synchronous and is also called from async code)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str
    message: str


def check_token(
    view: dict[str, Any],
    root_hex: str,
    roots: Sequence[x509.Certificate],
    *,
    previous_token: bytes | None = None,
) -> TokenCheck:
    """Check a bundle token offline: readable, over this root, intact, from a trusted TSA.
    With `previous_token`, a re-timestamp: over `retimestamp_imprint(root, previous_token)`
    under the algorithm the view states (sha384 or sha512)."""
    algorithm = view.get("imprint_algorithm") if previous_token is not None else "sha256"
    if previous_token is not None and algorithm not in {"sha384", "sha512"}:
        return TokenCheck(
            False, "timestamp-unreadable", f"unknown re-timestamp hash algorithm {algorithm!r}"
        )
    try:
        info = cms.ContentInfo.load(base64.b64decode(view["token"], validate=True))
        signed_data = info["content"]
        tst_info = _tst_info(info)
        generated = tst_info["gen_time"].native
        used = tst_info["message_imprint"]["hash_algorithm"]["algorithm"].native
    except Exception as exc:  # asn1crypto raises many kinds on damaged DER
        return TokenCheck(False, "timestamp-unreadable", f"not an RFC 3161 token ({exc})")
    if previous_token is not None and used != algorithm:
        return TokenCheck(
            False,
            "timestamp-other-root",
            f"the token's imprint is under {used}, not the {algorithm} the bundle states",
        )
    if view.get("generated_at") != timestamp(generated):
        return TokenCheck(
            False,
            "timestamp-mismatch",
            f"the bundle says {view.get('generated_at')} but the token says {timestamp(generated)}",
        )
    context = ValidationContext(trust_roots=[tsa.asn1_cert(c) for c in roots], allow_fetching=False)
    expected = (
        bytes.fromhex(root_hex)
        if previous_token is None
        else retimestamp_imprint(str(algorithm), root_hex, previous_token)
    )
    try:
        status = TimestampSignatureStatus(
            **_run_apart(
                validate_tst_signed_data(
                    signed_data, context, lambda name: expected if name == algorithm else b""
                )
            )
        )
    except Exception as exc:
        return TokenCheck(
            False, "timestamp-signature-invalid", f"its signature does not verify ({exc})"
        )
    if not status.intact:
        return TokenCheck(
            False, "timestamp-other-root", "the token vouches for another root, not this one"
        )
    if not status.valid:
        return TokenCheck(
            False, "timestamp-signature-invalid", "the token's signature does not verify"
        )
    if not roots:
        return TokenCheck(
            True,
            "timestamp-unchecked",
            f"token intact, over this root, dated {timestamp(generated)}; its authority was not "
            "checked (no trust roots given: --ca)",
        )
    if not status.trusted:
        return TokenCheck(
            False,
            "timestamp-untrusted",
            "the time-stamping authority does not chain to the trust roots given",
        )
    return TokenCheck(True, "timestamp-valid", f"root timestamped at {timestamp(generated)}")
