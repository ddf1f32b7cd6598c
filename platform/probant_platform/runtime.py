"""The process's long-lived services (settings, database, mailer), built once at start-up.

Web requests reach them through the ASGI app's state; jobs, which procrastinate calls with
plain arguments, reach them through `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.notifications.mailer import Mailer, mailer_from_settings
from probant_platform.observability import instrument_database


@dataclass
class Runtime:
    settings: Settings
    database: Database
    mailer: Mailer


_current: Runtime | None = None


def build_runtime(settings: Settings, database: Database) -> Runtime:
    """Assemble the services for `settings` and make them current for jobs."""
    global _current
    instrument_database(database)
    _current = Runtime(settings=settings, database=database, mailer=mailer_from_settings(settings))
    return _current


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("the Probant runtime is not started")
    return _current
