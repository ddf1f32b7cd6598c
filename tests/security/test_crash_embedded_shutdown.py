"""`probant serve` stops its embedded PostgreSQL on SIGTERM and SIGINT (issue 12, item 11).

uvicorn re-raises the signal it handled once it has shut down; the process used to die of
it before the embedded server was stopped, leaving orphan postgres processes behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
from tests.support import free_port


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    """Processes whose command line names this data folder (the postmaster and its children)."""
    marker = str(data_dir.resolve())
    found = []
    for process in psutil.process_iter(["cmdline", "name"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if marker in cmdline and "postgres" in (process.info["name"] or "") + cmdline:
            found.append(process)
    return found


def wait_until_serving(
    base: str, server: subprocess.Popen[bytes], seconds: float, log: Path | None = None
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            told = log.read_text(errors="replace")[-4000:] if log else ""
            raise AssertionError(f"probant serve exited early ({server.returncode}):\n{told}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("probant serve did not start")


def test_serve_leaves_no_postgres_behind_on_sigterm(tmp_path: Path) -> None:
    # Given `probant serve` with no DATABASE_URL: it starts an embedded server in its data folder
    data_dir = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PROBANT_"))}
    env["PROBANT_DATA_DIR"] = str(data_dir)
    port = free_port()
    probant = Path(sys.executable).with_name("probant")
    with (tmp_path / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [str(probant), "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # (a first start runs initdb: generous bound for a loaded machine)
        wait_until_serving(f"http://127.0.0.1:{port}", server, 120, tmp_path / "serve.log")
        assert postgres_processes(data_dir), "the embedded server should be running"

        # When it is asked to stop
        server.send_signal(signal.SIGTERM)
        server.wait(60)  # generous: the machine may be loaded

        # Then no postgres process of its data folder remains
        _gone, alive = psutil.wait_procs(postgres_processes(data_dir), timeout=10)
        assert not alive, [p.info["cmdline"] for p in alive]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for leftover in postgres_processes(data_dir):
            leftover.kill()
