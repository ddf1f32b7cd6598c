"""`probant integrity …`: close batches and anchor them by hand (operations, tests)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from probant_platform.config import get_settings

if TYPE_CHECKING:
    from probant_platform.integrity.chain import ChainReader

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


SYMBOLS = {"pass": "✔ PASS", "fail": "✘ FAIL", "skip": "– SKIP"}


def verify_command(
    files: Annotated[list[Path], typer.Argument(help="The media files to check.")],
    bundle: Annotated[Path, typer.Option(help="The deposit's proof bundle (JSON).")],
    rpc: Annotated[
        str | None, typer.Option(help="JSON-RPC URL of the chain the bundle names.")
    ] = None,
    offline: Annotated[bool, typer.Option(help="Do not check the anchors on the chain.")] = False,
    pdf: Annotated[Path | None, typer.Option(help="The signed certified report.")] = None,
    ca: Annotated[
        Path | None,
        typer.Option(
            help="PEM trust roots for the PDF and the timestamps (default: the platform's)."
        ),
    ] = None,
) -> None:
    """Check files against a proof bundle, its anchors and signed PDF; exit 0 if all pass."""
    from probant_platform.integrity.verify import verify_bundle

    if rpc and offline:
        raise typer.BadParameter("give --rpc or --offline, not both")
    try:
        data = json.loads(bundle.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        typer.echo(f"error: cannot read the bundle {bundle}: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    missing = [str(f) for f in [*files, *([pdf] if pdf else [])] if not f.is_file()]
    if missing:
        typer.echo(f"error: no such file: {', '.join(missing)}", err=True)
        raise typer.Exit(code=2)
    roots = _trust_roots(ca) if pdf or ca else ()
    report = verify_bundle(
        data,
        files=[_given(f, data, roots) for f in files],
        chain=None if offline else _chain_reader(data, rpc),
        pdf=pdf.read_bytes() if pdf else None,
        trust_roots=roots,
    )
    for check in report.checks:
        typer.echo(f"{SYMBOLS[check.status.value]}  {check.message}")
    failed = len(report.failures()) and sum(1 for c in report.checks if c.status.value == "fail")
    if report.ok:
        typer.echo("VERDICT: every check passed.")
        return
    typer.echo(f"VERDICT: {failed} check(s) failed — do not rely on this evidence as it stands.")
    raise typer.Exit(code=1)


def _given(path: Path, bundle: dict[str, Any], roots: Sequence[Any]) -> Any:
    """A file to check; one that is no sealed item but a C2PA-readable media is read as a
    credentialed copy (its manifest validated)."""
    import mimetypes

    from probant_platform.integrity.verify import GivenFile, file_sha256

    digest = file_sha256(path)
    media_type = mimetypes.guess_type(path.name)[0] or ""
    sealed = {item.get("sha256") for item in bundle.get("items") or []}
    from probant_platform.evidence.credentials import SUPPORTED, read_credentials

    if digest in sealed or media_type not in SUPPORTED:
        return GivenFile(path.name, digest)
    check = read_credentials(path.read_bytes(), media_type, roots)
    if not check.found:  # an altered original, not a C2PA copy: reported as an unknown file
        return GivenFile(path.name, digest)
    return GivenFile(path.name, digest, credentials=check)


def _chain_reader(bundle: dict[str, object], rpc: str | None) -> ChainReader:
    from probant_platform.integrity.chain import rpc_reader
    from probant_platform.integrity.devchain import development_chain

    if rpc:
        return rpc_reader(rpc)
    anchors = [b.get("anchor") for b in bundle.get("batches") or []]  # type: ignore[attr-defined]
    if any(a and a.get("network") == "development" for a in anchors):
        typer.echo("(anchors read from this machine's development chain — not a public ledger)")
        dev = development_chain(get_settings().data_dir)
        from probant_platform.integrity.chain import ChainReader

        return ChainReader(dev.sync, development=True)
    typer.echo("error: give --rpc URL (the chain's JSON-RPC endpoint) or --offline", err=True)
    raise typer.Exit(code=2)


def _trust_roots(ca: Path | None) -> list[object]:
    from cryptography import x509

    from probant_platform.documents import pki

    if ca is not None:
        return list(x509.load_pem_x509_certificates(ca.read_bytes()))
    return list(pki.trust_roots(get_settings()))
