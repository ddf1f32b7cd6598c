"""`probant integrity …`: close batches and anchor them by hand (operations, tests)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from probant_platform.config import get_settings

app = typer.Typer(help="Merkle batches and their chain anchors.", no_args_is_help=True)


async def _with_runtime(body: object) -> object:
    from probant_platform.db import Database
    from probant_platform.db.locate import application_url
    from probant_platform.runtime import build_runtime

    settings = get_settings()
    database = Database(application_url(settings), pool_size=2)
    build_runtime(settings, database)
    try:
        return await body()  # type: ignore[operator]
    finally:
        await database.dispose()


@app.command("close-batches")
def close_batches(
    force: Annotated[bool, typer.Option(help="Close the open batch even if not due.")] = False,
) -> None:
    """Close the batches that are due (full, or open for PROBANT_BATCH_SECONDS)."""
    from probant_platform import runtime
    from probant_platform.integrity.batches import close_due_batches

    async def body() -> list[object]:
        rt = runtime.current()
        return list(
            await close_due_batches(database=rt.database, settings=rt.settings, force=force)
        )

    closed = asyncio.run(_with_runtime(body))
    for batch in closed:  # type: ignore[attr-defined]
        typer.echo(f"batch {batch.sequence}: {batch.leaf_count} leaves, root {batch.root}")
    if not closed:
        typer.echo("no batch was due")


@app.command()
def anchor(
    sequence: Annotated[
        int | None, typer.Option(help="Only this batch (default: every unanchored one).")
    ] = None,
) -> None:
    """Anchor closed batches on the chain now (safe to repeat: one transaction per batch)."""
    from sqlalchemy import select

    from probant_platform import runtime
    from probant_platform.integrity.anchoring import anchor_batch, unanchored_batches
    from probant_platform.integrity.chain import anchor_chain
    from probant_platform.integrity.models import Batch

    async def body() -> list[str]:
        rt = runtime.current()
        if sequence is None:
            ids = await unanchored_batches(rt.database)
        else:
            async with rt.database.unit_of_work() as session:
                found = (
                    await session.execute(select(Batch.id).where(Batch.sequence == sequence))
                ).scalar_one_or_none()
            if found is None:
                raise typer.BadParameter(f"no batch {sequence}")
            ids = [found]
        chain = anchor_chain(rt.settings)
        lines = []
        for batch_id in ids:
            outcome = await anchor_batch(
                database=rt.database, settings=rt.settings, chain=chain, batch_id=batch_id
            )
            lines.append(f"anchored in {outcome.tx_hash} (block {outcome.block_number})")
        return lines

    for line in asyncio.run(_with_runtime(body)):  # type: ignore[attr-defined]
        typer.echo(line)
