"""Is the job worker alive? A heartbeat the readiness probe and the chart's probe can read.

The supervisor (`probant_platform.jobs.runtime`) beats after each successful round trip to
the database while procrastinate's worker runs; a worker that stopped, or that cannot reach
the database, stops beating. `probant worker --health-file F` touches F on each beat and
`probant worker-health --health-file F` says whether the last beat is recent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

STALE_AFTER_BEATS = 3  # a worker is dead after missing this many beats


@dataclass
class WorkerHealth:
    interval: float
    health_file: Path | None = None
    last_beat: float | None = field(default=None)

    def beat(self) -> None:
        self.last_beat = time.monotonic()
        if self.health_file is not None:
            self.health_file.parent.mkdir(parents=True, exist_ok=True)
            self.health_file.touch()

    def down(self) -> None:
        self.last_beat = None
        if self.health_file is not None:
            self.health_file.unlink(missing_ok=True)

    def alive(self) -> bool:
        if self.last_beat is None:
            return False
        return time.monotonic() - self.last_beat <= self.interval * STALE_AFTER_BEATS


def health_file_is_fresh(path: Path, interval: float) -> bool:
    """What `probant worker-health` checks: the file was touched within a few beats."""
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return age <= interval * STALE_AFTER_BEATS


_in_process: WorkerHealth | None = None


def register_in_process(health: WorkerHealth | None) -> None:
    """Declare (or withdraw) the worker running inside this server process."""
    global _in_process
    _in_process = health


def in_process_worker() -> WorkerHealth | None:
    """The in-process worker's health, when this process is meant to run one."""
    return _in_process
