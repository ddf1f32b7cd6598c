"""The operators' "late batch" rule, decided by the integrity read side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from probant_platform.integrity.models import Anchor, AnchorStatus, Batch
from probant_platform.integrity.queries import ANCHOR_LATE_AFTER, is_late

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _batch(closed_ago: timedelta) -> Batch:
    return Batch(sequence=1, root="ab" * 32, leaf_count=1, closed_at=NOW - closed_ago)


def test_late_after_is_thirty_minutes() -> None:
    assert timedelta(minutes=30) == ANCHOR_LATE_AFTER


@pytest.mark.parametrize("status", [None, AnchorStatus.SENT])
def test_an_old_batch_without_a_confirmed_anchor_is_late(status: AnchorStatus | None) -> None:
    anchor = Anchor(status=status) if status is not None else None
    assert is_late(_batch(timedelta(minutes=31)), anchor, NOW)


def test_a_recent_batch_is_not_late_yet() -> None:
    assert not is_late(_batch(timedelta(minutes=29)), None, NOW)


def test_an_old_confirmed_batch_is_not_late() -> None:
    anchor = Anchor(status=AnchorStatus.CONFIRMED)
    assert not is_late(_batch(timedelta(hours=5)), anchor, NOW)
