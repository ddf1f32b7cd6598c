"""C2PA Content Credentials: a signed copy of a sealed photo or video, readable by any C2PA tool.

The original bytes stay untouched and remain the hashed, anchored evidence. The credentialed
copy embeds a manifest signed with the platform's signing certificate (ES256; its
emailProtection extended key usage is one C2PA accepts) that states: captured live in a
Probant capture session (no import), the capture time, the GPS fix when there is one, the
SHA-256 of the original and the deposit reference. A C2PA validator (c2patool, the Content
Authenticity Inspect site) checks it; trusting it means trusting our CA, as for our PDFs.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from probant_platform.config import Settings
from probant_platform.documents.pki import Signer, platform_signer
from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_platform.moments import timestamp

ASSERTION = "fr.probant.capture"
ANCHOR_ASSERTION = "fr.probant.anchor"
DIGITAL_CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
SUPPORTED = frozenset({"image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime"})


class UnsupportedMedia(ValueError):
    """C2PA (as this library embeds it) has no container for this media type."""


@dataclass(frozen=True)
class CaptureFacts:
    deposit_reference: str
    capture_session: str
    captured_at: datetime
    original_sha256: str
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    anchor: dict[str, Any] | None = None
    """Where the item's sealed record is anchored, once known: `batch` (sequence), `root`,
    `leaf_hash`, and the chain transaction (`network`, `chain_id`, `transaction_hash`,
    `block_number`, `block_time`)."""


def facts_of(
    deposit: Deposit, item: EvidenceItem, anchor: dict[str, Any] | None = None
) -> CaptureFacts:
    """What the manifest of a sealed item states (its hash must be known)."""
    if item.sha256 is None:
        raise ValueError("the item is not stored yet")
    return CaptureFacts(
        deposit_reference=deposit.reference,
        capture_session=str(item.capture_session_id),
        captured_at=item.captured_at,
        original_sha256=item.sha256,
        latitude=item.latitude,
        longitude=item.longitude,
        accuracy_m=item.accuracy_meters,
        anchor=anchor,
    )


def _manifest(facts: CaptureFacts, media_type: str) -> dict[str, Any]:
    capture: dict[str, Any] = {
        "capture_session": facts.capture_session,
        "captured_live": True,
        "imported": False,
        "captured_at": timestamp(facts.captured_at),
        "original_sha256": facts.original_sha256,
        "deposit_reference": facts.deposit_reference,
    }
    if facts.latitude is not None and facts.longitude is not None:
        capture["location"] = {
            "latitude": facts.latitude,
            "longitude": facts.longitude,
            "accuracy_m": facts.accuracy_m,
        }
    return {
        "claim_generator_info": [{"name": "Probant"}],
        "title": f"{facts.deposit_reference} ({media_type})",
        "format": media_type,
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": DIGITAL_CAPTURE,
                            "when": timestamp(facts.captured_at),
                        }
                    ]
                },
            },
            {"label": ASSERTION, "data": capture},
        ],
    }


def _c2pa_signer(signer: Signer) -> c2pa.Signer:
    # The chain without its root: C2PA validators supply the anchor themselves.
    certs = [signer.certificate, *(c for c in signer.chain if c.issuer != c.subject)]
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)
    key = signer.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, pem, key, None))


def credentialed_copy(media: bytes, media_type: str, facts: CaptureFacts, signer: Signer) -> bytes:
    """A copy of `media` carrying a C2PA manifest signed by `signer` (synchronous). With
    `facts.anchor`, a second, *update* manifest (C2PA intent `update`: no editorial change)
    states the anchor and names the capture manifest's copy as its parent ingredient."""
    if media_type not in SUPPORTED:
        raise UnsupportedMedia(media_type)
    builder = c2pa.Builder(json.dumps(_manifest(facts, media_type)))
    out = io.BytesIO()
    builder.sign(_c2pa_signer(signer), media_type, io.BytesIO(media), out)
    first = out.getvalue()
    if facts.anchor is None:
        return first
    update = c2pa.Builder(
        json.dumps(
            {
                "claim_generator_info": [{"name": "Probant"}],
                "title": f"{facts.deposit_reference} ({media_type}), anchored",
                "format": media_type,
                "assertions": [{"label": ANCHOR_ASSERTION, "data": facts.anchor}],
            }
        ),
        # No ingredient thumbnail: the parent is this very image (and it made the update
        # about ten times dearer, docs/benchmarks.md).
        context=c2pa.Context.from_json(json.dumps({"builder": {"thumbnail": {"enabled": False}}})),
    )
    update.set_intent(c2pa.C2paBuilderIntent.UPDATE)
    update.add_ingredient_from_stream(
        {"title": f"{facts.deposit_reference} ({media_type})", "relationship": "parentOf"},
        media_type,
        io.BytesIO(first),
    )
    out = io.BytesIO()
    update.sign(_c2pa_signer(signer), media_type, io.BytesIO(first), out)
    return out.getvalue()


async def credentialed_copy_of(
    settings: Settings,
    deposit: Deposit,
    item: EvidenceItem,
    media: bytes,
    anchor: dict[str, Any] | None = None,
) -> bytes:
    """The credentialed copy of a sealed item, signed with the platform's certificate
    (stating its Merkle batch and chain anchor when `anchor` is given)."""
    signer = await asyncio.to_thread(platform_signer, settings)
    facts = facts_of(deposit, item, anchor)
    return await asyncio.to_thread(credentialed_copy, media, item.media_type or "", facts, signer)


def anchor_facts(bundle: dict[str, Any], item_id: str) -> dict[str, Any] | None:
    """What a manifest states of an item's anchor, from its proof bundle (None until the
    item's batch is anchored)."""
    item = next((i for i in bundle.get("items") or [] if i.get("id") == item_id), None)
    if item is None or item["leaf"]["batch"] is None:
        return None
    batch = next(
        (b for b in bundle.get("batches") or [] if b["sequence"] == item["leaf"]["batch"]), None
    )
    if batch is None or batch.get("anchor") is None:
        return None
    anchor = batch["anchor"]
    return {
        "batch": batch["sequence"],
        "root": batch["root"],
        "leaf_hash": item["leaf"]["hash"],
        "network": anchor["network"],
        "chain_id": anchor["chain_id"],
        "transaction_hash": anchor["transaction_hash"],
        "block_number": anchor["block_number"],
        "block_time": anchor["block_time"],
    }


@dataclass(frozen=True)
class CredentialCheck:
    state: str
    """C2PA's verdict: `Trusted` (valid, and signed under a trust anchor), `Valid`, `Invalid`."""
    failures: tuple[str, ...]
    capture: dict[str, Any] | None
    found: bool = True
    """A manifest was there to read (False: no manifest, or not a readable media file)."""

    @property
    def ok(self) -> bool:
        return self.state in {"Valid", "Trusted"} and not self.failures


def read_credentials(
    data: bytes, media_type: str, roots: Sequence[x509.Certificate] = ()
) -> CredentialCheck:
    """Validate the manifest of a credentialed copy with the C2PA library's own reader
    (a file with no manifest at all reads as `Invalid`, failure `manifest-missing`)."""
    anchors = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in roots)
    try:
        if anchors:
            context = c2pa.Context.from_json(json.dumps({"trust": {"user_anchors": anchors}}))
            reader = c2pa.Reader(media_type, io.BytesIO(data), context=context)
        else:
            reader = c2pa.Reader(media_type, io.BytesIO(data))
    except c2pa.C2paError.ManifestNotFound:
        return CredentialCheck("Invalid", ("manifest-missing",), None, found=False)
    except c2pa.C2paError as exc:
        return CredentialCheck("Invalid", (f"unreadable: {exc}",), None, found=False)
    results = reader.get_validation_results() or {}
    failures = tuple(f["code"] for f in (results.get("activeManifest") or {}).get("failure", []))
    # An update manifest's parent (the capture manifest) is validated as an ingredient.
    for delta in results.get("ingredientDeltas") or []:
        failures += tuple(
            f["code"] for f in (delta.get("validationDeltas") or {}).get("failure", [])
        )
    store = json.loads(reader.json())
    manifests = store["manifests"]
    active = manifests[store["active_manifest"]]
    capture = _assertion(active, ASSERTION)
    anchor = _assertion(active, ANCHOR_ASSERTION)
    if capture is None and anchor is not None:
        # The capture manifest is the parent ingredient of the update manifest stating the
        # anchor: read the capture there, the anchor from the update.
        parent = next(
            (i for i in active.get("ingredients") or [] if i.get("relationship") == "parentOf"),
            None,
        )
        if parent is not None and parent.get("active_manifest") in manifests:
            found = _assertion(manifests[parent["active_manifest"]], ASSERTION)
            capture = {**found, "anchor": anchor} if found is not None else None
    return CredentialCheck(reader.get_validation_state() or "Invalid", failures, capture)


def _assertion(manifest: dict[str, Any], label: str) -> dict[str, Any] | None:
    return next((a["data"] for a in manifest.get("assertions") or [] if a["label"] == label), None)
