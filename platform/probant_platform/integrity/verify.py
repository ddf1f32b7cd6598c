"""Checking a proof bundle, its files, its anchors and its signed PDF — trusting nothing of ours.

Each check gives a verdict in plain language with a stable reason code (the tamper tests and
docs/verification.md use the codes). The whole passes only when no check fails; a check
that could not run (no file given, `--offline`) is reported as skipped.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from probant_platform.integrity import merkle
from probant_platform.integrity.formats import (
    BUNDLE_FORMAT,
    DEVELOPMENT_LABEL,
    READABLE_VERSIONS,
    AnchorPayload,
    timestamp,
)

# Block times are whole seconds set by the block producer, whose clock may run a little behind.
CLOCK_TOLERANCE = timedelta(seconds=15)
if TYPE_CHECKING:
    from probant_platform.integrity.chain import ChainReader

DEPOSIT_FIELDS = ("reference", "title", "organisation", "address", "sealed_at")
ITEM_FIELDS = (
    "id",
    "sha256",
    "size",
    "media_type",
    "captured_at",
    "received_at",
    "location",
    "no_location_reason",
    "comment",
)


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Check:
    status: Status
    reason: str
    message: str


@dataclass(frozen=True)
class GivenFile:
    name: str
    sha256: str
    credentials: Any = None
    """For a C2PA-credentialed copy: its `evidence.credentials.CredentialCheck`."""


@dataclass
class Report:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return bool(self.checks) and not any(c.status is Status.FAIL for c in self.checks)

    def failures(self) -> set[str]:
        return {c.reason for c in self.checks if c.status is Status.FAIL}

    def add(self, status: Status, reason: str, message: str) -> None:
        self.checks.append(Check(status, reason, message))


def file_sha256(path: Any) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _short(value: str) -> str:
    return f"{value[:12]}…" if len(value) > 16 else value


def verify_bundle(
    bundle: dict[str, Any],
    *,
    files: Sequence[GivenFile] = (),
    chain: ChainReader | None = None,
    pdf: bytes | None = None,
    trust_roots: Sequence[Any] = (),
) -> Report:
    """Run every check of docs/verification.md on `bundle`."""
    report = Report([])
    if bundle.get("format") != BUNDLE_FORMAT or bundle.get("version") not in READABLE_VERSIONS:
        report.add(
            Status.FAIL,
            "bundle-format",
            f"this is not a {BUNDLE_FORMAT} file of version "
            f"{' or '.join(map(str, READABLE_VERSIONS))}",
        )
        return report
    items = bundle.get("items") or []
    batches = {b["sequence"]: b for b in bundle.get("batches") or []}
    _check_files(report, items, files)
    for number, item in enumerate(items, start=1):
        _check_item(report, number, item, bundle.get("deposit") or {}, batches)
    _check_chain(report, batches, {item["leaf"]["batch"] for item in items})
    for sequence in sorted({item["leaf"]["batch"] for item in items} & set(batches)):
        _check_anchor(report, batches[sequence], items, chain)
        if bundle.get("version", 1) >= 2:
            _check_timestamp(report, batches[sequence], trust_roots)
    if pdf is not None:
        _check_pdf(
            report, pdf, bundle.get("certificate"), bundle.get("office_documents"), trust_roots
        )
    return report


def _check_files(report: Report, items: list[dict[str, Any]], files: Sequence[GivenFile]) -> None:
    known = {item["sha256"]: number for number, item in enumerate(items, start=1)}
    matched = set()
    for given in files:
        number = known.get(given.sha256)
        if number is None and given.credentials is not None:
            _check_credentials(report, given, known, items)
        elif number is None:
            report.add(
                Status.FAIL,
                "file-unknown",
                f"{given.name}: its SHA-256 ({_short(given.sha256)}) matches no item of the "
                "bundle — the file was altered or belongs to another deposit",
            )
        else:
            matched.add(number)
            report.add(
                Status.PASS, "file-matches", f"{given.name}: identical to sealed item {number}"
            )
    for number in sorted(set(known.values()) - matched):
        report.add(Status.SKIP, "file-not-given", f"item {number}: no file given, not re-hashed")


def _check_credentials(
    report: Report, given: GivenFile, known: dict[str, int], items: list[dict[str, Any]]
) -> None:
    check = given.credentials
    capture = check.capture or {}
    number = known.get(capture.get("original_sha256", ""))
    named = (items[number - 1].get("credentials") or {}) if number is not None else {}
    if not check.ok:
        report.add(
            Status.FAIL,
            "credentials-invalid",
            f"{given.name}: its C2PA manifest does not validate ({', '.join(check.failures)}) "
            "— the copy or its manifest was altered",
        )
    elif number is None:
        report.add(
            Status.FAIL,
            "credentials-foreign",
            f"{given.name}: a valid C2PA copy, but of no item of this bundle",
        )
    elif named.get("sha256") not in (None, given.sha256):
        # Bundle v2 (export) names the copy it was made with: a valid copy with another
        # manifest (re-signed, or a manifest swapped in) is not that copy.
        report.add(
            Status.FAIL,
            "credentials-not-named",
            f"{given.name}: a valid C2PA copy of sealed item {number}, but not the copy the "
            f"bundle names (SHA-256 {_short(str(named['sha256']))}) — its manifest was "
            "replaced or re-signed",
        )
    else:
        trust = "" if check.state == "Trusted" else " (its signer was not checked: --ca)"
        bound = ", the copy the bundle names" if named else ""
        report.add(
            Status.PASS,
            "credentials-valid",
            f"{given.name}: C2PA copy of sealed item {number}, manifest valid{trust}{bound}",
        )


def _check_item(
    report: Report,
    number: int,
    item: dict[str, Any],
    deposit: dict[str, Any],
    batches: dict[int, dict[str, Any]],
) -> None:
    text = item.get("sealed_record", "")
    try:
        record = json.loads(text)
    except (TypeError, ValueError):
        report.add(Status.FAIL, "record-unreadable", f"item {number}: sealed record is not JSON")
        return
    for field in ITEM_FIELDS:
        if record.get("item", {}).get(field) != item.get(field):
            report.add(
                Status.FAIL,
                "record-mismatch",
                f"item {number}: the bundle shows {field} = {item.get(field)!r} but the sealed "
                f"record says {record.get('item', {}).get(field)!r} — the bundle was edited",
            )
            return
    for field in DEPOSIT_FIELDS:
        if record.get("deposit", {}).get(field) != deposit.get(field):
            report.add(
                Status.FAIL,
                "record-mismatch",
                f"deposit {field}: the bundle shows {deposit.get(field)!r} but item {number}'s "
                f"sealed record says {record.get('deposit', {}).get(field)!r} — the bundle was "
                "edited",
            )
            return
    leaf_input = hashlib.sha256(text.encode("utf-8")).digest()
    leaf = merkle.leaf_hash(leaf_input)
    if leaf.hex() != item["leaf"]["hash"]:
        report.add(
            Status.FAIL,
            "record-altered",
            f"item {number}: its sealed record does not hash to its leaf — the record was edited",
        )
        return
    batch = batches.get(item["leaf"]["batch"])
    if batch is None:
        report.add(
            Status.FAIL,
            "batch-missing",
            f"item {number}: batch {item['leaf']['batch']} is not in the bundle",
        )
        return
    current = leaf
    for step in item.get("proof") or []:
        sibling = bytes.fromhex(step["hash"])
        current = (
            merkle.node_hash(sibling, current)
            if step["side"] == "left"
            else merkle.node_hash(current, sibling)
        )
    if current.hex() != batch["root"]:
        report.add(
            Status.FAIL,
            "proof-invalid",
            f"item {number}: its inclusion proof leads to {_short(current.hex())}, not to the "
            f"root of batch {batch['sequence']} ({_short(batch['root'])})",
        )
        return
    report.add(
        Status.PASS,
        "proof-valid",
        f"item {number}: sealed record intact and included in batch {batch['sequence']}",
    )


def _check_chain(report: Report, batches: dict[int, dict[str, Any]], needed: set[int]) -> None:
    sequences = sorted(batches)
    for before, after in itertools.pairwise(sequences):
        if after != before + 1:
            report.add(
                Status.FAIL,
                "chain-gap",
                f"batch {after} follows batch {before}: "
                f"{'batch ' + str(before + 1) if after == before + 2 else 'batches'} "
                "missing from the chain",
            )
        elif batches[after]["previous_root"] != batches[before]["root"]:
            report.add(
                Status.FAIL,
                "chain-broken",
                f"batch {after} records the previous root {_short(batches[after]['previous_root'])}"
                f" but batch {before} has root {_short(batches[before]['root'])}",
            )
    if not report.failures() & {"chain-gap", "chain-broken"} and needed <= set(batches):
        report.add(
            Status.PASS,
            "chain-linked",
            f"batches {sequences[0]}–{sequences[-1]} form an unbroken chain"
            if sequences
            else "no batch",
        )


def _check_anchor(
    report: Report,
    batch: dict[str, Any],
    items: list[dict[str, Any]],
    chain: ChainReader | None,
) -> None:
    sequence = batch["sequence"]
    anchor = batch.get("anchor")
    if anchor is None:
        report.add(Status.FAIL, "anchor-missing", f"batch {sequence}: not anchored yet")
        return
    label = f" ({DEVELOPMENT_LABEL['en']})" if anchor.get("network") == "development" else ""
    expected = AnchorPayload(sequence, batch["root"], batch["previous_root"])
    if chain is None:
        report.add(
            Status.SKIP,
            "anchor-offline",
            f"batch {sequence}: anchor {_short(anchor['transaction_hash'])} not checked "
            f"(offline){label}",
        )
        return
    if chain.chain_id != anchor["chain_id"]:
        report.add(
            Status.FAIL,
            "anchor-wrong-chain",
            f"batch {sequence}: anchored on chain {anchor['chain_id']} but the RPC serves chain "
            f"{chain.chain_id}",
        )
        return
    tx = chain.transaction(anchor["transaction_hash"])
    if tx is None or tx.block_number is None:
        report.add(
            Status.FAIL,
            "anchor-not-found",
            f"batch {sequence}: transaction {_short(anchor['transaction_hash'])} is not on the "
            f"chain{label}",
        )
        return
    found = AnchorPayload.decode(tx.data)
    if found is None or found.sequence != sequence:
        carried = f"batch {found.sequence}" if found else "no Probant anchor"
        report.add(
            Status.FAIL,
            "anchor-other-transaction",
            f"batch {sequence}: transaction {_short(tx.tx_hash)} anchors {carried}, not this "
            "batch — the anchor points at another transaction",
        )
        return
    if found != expected:
        report.add(
            Status.FAIL,
            "anchor-root-mismatch",
            f"batch {sequence}: the chain holds root {_short(found.root)} (previous "
            f"{_short(found.previous_root)}), the bundle claims root {_short(batch['root'])} "
            f"(previous {_short(batch['previous_root'])})",
        )
        return
    block = chain.block(tx.block_number)
    shown = anchor.get("block_time")
    if tx.block_number != anchor["block_number"] or shown != _iso(block.time):
        report.add(
            Status.FAIL,
            "anchor-block-mismatch",
            f"batch {sequence}: the chain puts it in block {tx.block_number} at "
            f"{_iso(block.time)}, the bundle says block {anchor['block_number']} at {shown}",
        )
        return
    latest = _iso(block.time + CLOCK_TOLERANCE)
    late = [
        number
        for number, item in enumerate(items, start=1)
        if item["leaf"]["batch"] == sequence and (_sealed_at(item) or "") > latest
    ]
    if late:
        report.add(
            Status.FAIL,
            "time-inconsistent",
            f"batch {sequence}: items {late} claim a sealing time after the anchoring block",
        )
        return
    confirmations = chain.head() - tx.block_number + 1
    report.add(
        Status.PASS,
        "anchor-valid",
        f"batch {sequence}: root found in transaction {_short(tx.tx_hash)}, block "
        f"{tx.block_number} of {_iso(block.time)}, {confirmations} confirmation(s){label}",
    )


def _sealed_at(item: dict[str, Any]) -> str | None:
    """The sealing time the item's record claims (None when unreadable: `_check_item` says so)."""
    try:
        return str(json.loads(item["sealed_record"])["deposit"]["sealed_at"])
    except (TypeError, ValueError, KeyError):
        return None


def _check_timestamp(report: Report, batch: dict[str, Any], roots: Sequence[Any]) -> None:
    from probant_platform.integrity.timestamps import check_token

    sequence = batch["sequence"]
    view = batch.get("timestamp")
    if view is None:
        if batch.get("retimestamps"):
            report.add(
                Status.FAIL,
                "retimestamp-orphan",
                f"batch {sequence}: re-timestamps without the first token they extend — the "
                "token was removed",
            )
            return
        report.add(Status.SKIP, "timestamp-missing", f"batch {sequence}: no RFC 3161 timestamp")
        return
    result = check_token(view, batch["root"], roots)
    label = f" ({view['label']})" if view.get("label") else ""
    status = Status.SKIP if result.reason == "timestamp-unchecked" else Status.PASS
    report.add(
        status if result.ok else Status.FAIL,
        result.reason,
        f"batch {sequence}: {result.message}{label}",
    )
    _check_retimestamps(report, batch, roots)


def _check_retimestamps(report: Report, batch: dict[str, Any], roots: Sequence[Any]) -> None:
    """Each re-timestamp (bundle v2, `batches[].retimestamps`) over the root and the token
    before it, in order; reasons `retimestamp-*` (the same suffixes as the first token's)."""
    import base64
    import binascii

    from probant_platform.integrity.timestamps import check_token

    sequence = batch["sequence"]
    previous = batch["timestamp"]["token"]
    for position, view in enumerate(batch.get("retimestamps") or [], start=1):
        try:
            previous_der = base64.b64decode(previous, validate=True)
        except (binascii.Error, TypeError, ValueError):
            report.add(
                Status.FAIL,
                "retimestamp-unreadable",
                f"batch {sequence}: the token before re-timestamp {position} is not base64",
            )
            return
        result = check_token(view, batch["root"], roots, previous_token=previous_der)
        reason = "re" + result.reason
        label = f" ({view['label']})" if view.get("label") else ""
        algorithm = view.get("imprint_algorithm")
        if result.ok:
            status = Status.SKIP if result.reason == "timestamp-unchecked" else Status.PASS
            report.add(
                status,
                reason,
                f"batch {sequence}: re-timestamp {position} ({algorithm}, over the root and "
                f"the token before): {result.message}{label}",
            )
        else:
            report.add(
                Status.FAIL,
                reason,
                f"batch {sequence}: re-timestamp {position} ({algorithm}): {result.message}{label}",
            )
        previous = view.get("token")


def _iso(moment: Any) -> str:
    return timestamp(moment)


def _check_pdf(
    report: Report,
    pdf: bytes,
    certificate: dict[str, Any] | None,
    office_documents: list[dict[str, Any]] | None,
    trust_roots: Sequence[Any],
) -> None:
    from probant_platform.documents.signing import validate_pdf

    revisions = _revisions(pdf)
    office = next((d for d in office_documents or [] if d.get("pdf_sha256") in revisions), None)
    if office is not None:
        kind = "attestation de dépôt" if office.get("kind") == "ATTESTATION" else "PV de constat"
        report.add(
            Status.PASS, "pdf-office-document", f"the PDF is the {kind} of {office.get('office')}"
        )
        _check_renewed(report, pdf, revisions[office["pdf_sha256"]], trust_roots)
    elif certificate is None:
        report.add(Status.FAIL, "pdf-not-listed", "the bundle names no certified report")
    elif certificate["pdf_sha256"] not in revisions:
        report.add(
            Status.FAIL,
            "pdf-not-this-certificate",
            "the PDF is not the certified report this bundle names (its SHA-256 differs)",
        )
    else:
        _check_renewed(report, pdf, revisions[certificate["pdf_sha256"]], trust_roots)
    validation = validate_pdf(pdf, list(trust_roots))
    if validation.ok and all(s.covers_whole_file for s in validation.signatures):
        report.add(Status.PASS, "pdf-signature", f"PDF: {validation.explain()}")
    else:
        report.add(Status.FAIL, "pdf-signature", f"PDF: {validation.explain()}")


def _revisions(pdf: bytes) -> dict[str, int]:
    """SHA-256 → length of `pdf` and of each earlier revision it carries: an incremental
    update (a B-LTA renewal) appends after the `%%EOF` of the revision before, whose bytes
    therefore stay a prefix of the file (the end-of-line after `%%EOF` may belong to either)."""
    ends = {len(pdf)}
    at = pdf.find(b"%%EOF")
    while at != -1:
        for extra in (5, 6, 7):
            if at + extra <= len(pdf):
                ends.add(at + extra)
        at = pdf.find(b"%%EOF", at + 5)
    return {hashlib.sha256(pdf[:end]).hexdigest(): end for end in sorted(ends, reverse=True)}


def _check_renewed(
    report: Report, pdf: bytes, sealed_length: int, trust_roots: Sequence[Any]
) -> None:
    from probant_platform.documents.renewal import document_timestamps

    if sealed_length == len(pdf):
        return
    count, valid = document_timestamps(pdf, list(trust_roots))
    if not count or not valid:
        report.add(
            Status.FAIL,
            "pdf-renewal-invalid",
            f"the PDF is the one the bundle names (its first {sealed_length} bytes), but what "
            "follows is not a valid long-term renewal (a document timestamp is missing, "
            "altered or not trusted)",
        )
        return
    report.add(
        Status.PASS,
        "pdf-renewed",
        f"the PDF is the one the bundle names (its first {sealed_length} bytes) followed by "
        f"{count} renewal(s): validation data and a document timestamp, valid and trusted",
    )
