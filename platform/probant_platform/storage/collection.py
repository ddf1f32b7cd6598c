"""Collecting blobs nobody points at any more: the only code that deletes a stored blob.

Blobs are addressed by their SHA-256, so two tenants who store the same bytes share one
blob, and a tenant cannot see the other's reference (row-level security). A tenant action
therefore never deletes a blob: it *releases* the keys it stopped using. The collector, a
job, later asks the database with the schema owner's rights whether any item (of any
tenant, sealed or not), staged upload, certified report or office document still points at
each released key, and deletes only the blobs nobody does, once the grace period is over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import Database, utcnow
from probant_platform.errors import DomainError
from probant_platform.storage import BlobStore

GRACE_PERIOD = timedelta(hours=24)
BATCH_SIZE = 500


class BlobCollected(DomainError):
    """A writer re-referenced a blob the collector had just deleted: retry the write."""

    code = "BLOB_COLLECTED"
    message_fr = "Le fichier vient d'être supprimé du stockage. Réessayez."
    message_en = "The file was just removed from storage. Try again."


async def release(session: AsyncSession, keys: Iterable[str | None]) -> None:
    """Record, in the caller's transaction, that it no longer points at `keys`."""
    wanted = sorted({key for key in keys if key})
    if wanted:
        await session.execute(
            text("SELECT probant_release_blobs(CAST(:keys AS text[]))"), {"keys": wanted}
        )


async def hold(session: AsyncSession, store: BlobStore, key: str) -> None:
    """Before pointing at a blob that may have been released: keep the collector away from
    it until this transaction ends, and make sure it was not collected just before."""
    await session.execute(text("SELECT probant_hold_blob(:key)"), {"key": key})
    if not await store.exists(key):
        raise BlobCollected()


@dataclass
class Collection:
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


async def collect(
    *,
    database: Database,
    store: BlobStore,
    now: datetime | None = None,
    grace: timedelta = GRACE_PERIOD,
) -> Collection:
    """Delete the released blobs that nobody points at and whose grace period is over.

    Each key is decided in its own transaction that holds the key's lock: the release is
    forgotten and the blob deleted together, or (if the deletion fails) neither.
    """
    before = (now or utcnow()) - grace
    async with database.unit_of_work() as session:
        due = list(
            (
                await session.execute(
                    text("SELECT probant_blobs_due(:before, :limit)"),
                    {"before": before, "limit": BATCH_SIZE},
                )
            ).scalars()
        )
    outcome = Collection()
    for key in due:
        async with database.unit_of_work() as session:
            unused = await session.execute(
                text("SELECT probant_collect_blob(:key, :before)"), {"key": key, "before": before}
            )
            if unused.scalar_one():
                await store.delete(key)
                outcome.removed.append(key)
            else:
                outcome.kept.append(key)
    return outcome
