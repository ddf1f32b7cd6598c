"""Real `probant serve` processes on their own ports, sharing the test session's database and
data folder (so the partner signing keys are the same): what a deployment with several API
processes behind one address looks like."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from tests.support import TEST_SECRET, free_port

PROBANT = str(Path(sys.executable).with_name("probant"))


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready: {log.read_text(errors='replace')[-2000:]}")


@contextmanager
def probant_servers(
    count: int, database_url: str, data_dir: Path, logs: Path, **env: str
) -> Iterator[list[str]]:
    """`count` API processes; yields their origins. All share one base URL (the first
    origin), as processes behind one load balancer do: tokens name it as issuer and audience."""
    ports = [free_port() for _ in range(count)]
    origins = [f"http://127.0.0.1:{port}" for port in ports]
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PROBANT_SECRET_KEY": TEST_SECRET,
        "PROBANT_DATA_DIR": str(data_dir),
        "PROBANT_ENV": "development",
        "PROBANT_BASE_URL": origins[0],
        "PROBANT_LOG_LEVEL": "WARNING",
        **env,
    }
    logs.mkdir(parents=True, exist_ok=True)
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for index, port in enumerate(ports):
            log = logs / f"api{index}.log"
            with log.open("wb") as handle:
                process = subprocess.Popen(
                    [PROBANT, "serve", "--host", "127.0.0.1", "--port", str(port)],
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=handle,
                )
            processes.append((process, log))
        for origin, (process, log) in zip(origins, processes, strict=True):
            _wait_ready(origin, process, log, seconds=180)
        yield origins
    finally:
        for process, _ in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _ in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
