"""Real servers for end-to-end tests: the platform and a company intranet, each on its own port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from tests.e2e.widget_stand_in import free_port


@contextmanager
def serve(app: Any, port: int | None = None) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread (its own event loop); yield its origin."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def live_platform(settings: Any, *, widget: bool = False) -> Iterator[str]:
    """The real platform served on a free port whose base URL is its own; Chromium (and the
    built widget, when asked) must be there."""
    from tests.e2e.widget_stand_in import CHROMIUM, DIST

    from probant_platform.web.app import create_app

    if widget and not (DIST / "manifest.json").exists():
        raise AssertionError("capture-widget/dist is missing: run `make install` to build it")
    if not CHROMIUM.exists():
        raise AssertionError("Chromium is missing: `apt-get install -y chromium`")
    port = free_port()
    live = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    with serve(create_app(live, configure_logs=False), port) as url:
        yield url
