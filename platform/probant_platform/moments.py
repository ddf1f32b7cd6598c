"""How moments are written, shared by every domain: the proof format's UTC timestamp and the
offset a person reads beside a local time. Pure functions, no dependency: the evidence,
integrity and bailiffs domains all write them, so they live below all three."""

from __future__ import annotations

from datetime import UTC, datetime


def timestamp(moment: datetime) -> str:
    """UTC, microseconds, `Z` suffix: the one time format of records and bundles."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def utc_offset(local: datetime) -> str:
    """`UTC+01:00`: the offset of an aware time, so summer and winter times never mislead."""
    offset = local.strftime("%z") or "+0000"
    return f"UTC{offset[:3]}:{offset[3:]}"
