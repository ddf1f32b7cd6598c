"""The sealed record: the exact text that one Merkle leaf commits to.

A leaf does not commit to the file's hash alone but to a short JSON text holding it together
with the facts sealed with it (deposit reference, title, organisation, address, times, place,
comment). The proof bundle carries that text verbatim; a verifier hashes its bytes as they
are, so nobody needs to re-serialise JSON the same way. Editing any fact — a timestamp in
the bundle, say — then either disagrees with the record or breaks the proof to the anchored
root. The format is described in docs/verification.md.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_platform.integrity.formats import ZERO_ROOT, timestamp  # noqa: F401  (re-exported)

RECORD_KIND = "probant.sealed-item"
RECORD_VERSION = 1
APPROXIMATION_DEGREES = 2  # 0.01° ≈ 1.1 km of latitude (less of longitude in France)


def approximate(value: float | None) -> float | None:
    return None if value is None else round(value, APPROXIMATION_DEGREES)


def record_facts(*, deposit: Deposit, organisation_name: str, item: EvidenceItem) -> dict[str, Any]:
    """The facts sealed for one item (what the record text serialises)."""
    assert deposit.sealed_at is not None and item.sha256 is not None and item.size is not None
    location = (
        {
            "latitude": item.latitude,
            "longitude": item.longitude,
            "accuracy_m": item.accuracy_meters,
        }
        if item.latitude is not None and item.longitude is not None
        else None
    )
    return {
        "kind": RECORD_KIND,
        "version": RECORD_VERSION,
        "deposit": {
            "reference": deposit.reference,
            "title": deposit.title,
            "organisation": organisation_name,
            "address": {
                "street": deposit.street,
                "postcode": deposit.postcode,
                "city": deposit.city,
                "building": deposit.building,
                "floor": deposit.floor,
                "flat": deposit.flat,
                "details": deposit.address_details,
            },
            "sealed_at": timestamp(deposit.sealed_at),
        },
        "item": {
            "id": str(item.id),
            "sha256": item.sha256,
            "size": item.size,
            "media_type": item.media_type,
            "captured_at": timestamp(item.captured_at),
            "received_at": timestamp(item.received_at) if item.received_at else None,
            "location": location,
            "no_location_reason": item.no_location_reason,
            "comment": item.comment,
        },
    }


def serialise(facts: dict[str, Any]) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_sha256(record: str) -> str:
    return hashlib.sha256(record.encode("utf-8")).hexdigest()
