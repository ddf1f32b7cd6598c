"""Ingest benchmark against a real `probant serve` (run by `make bench`; not part of the suite).

Reports, measured in the same run on the same machine:
- server ingest throughput for twenty ~4 MB photos and a 50 MB body, as a ratio to
  `sha256sum` over the same bytes (target >= 0.5);
- peak RSS growth of the server process during a 200 MB streamed upload (target < 64 MB);
- twenty concurrent photo uploads (target: no errors).
The 50 MB and 200 MB bodies are random bytes sent to a video session: the server streams and
hashes them fully before content validation refuses them, which is the path being measured.

The default client (`BENCH_CLIENT=batch`) stages the session's items with one `stageUploads`
request (each item hashed when it is captured, before the clock starts: on the person's
device, not on the server), then PUTs them with as many in flight as the per-user upload
limit allows (`PROBANT_UPLOADS_PER_USER`, 4). `BENCH_CLIENT=widget` stages each item on its
own (`stageUpload`), as the capture widget does, with the same concurrency;
`BENCH_CLIENT=sequential` is the earliest client: one item at a time, each hashed inside the
timed window.
`BENCH_PROFILE=<file>` serves under pyinstrument (`profile_server.py`, the event loop's
thread only) and writes its report to <file>; `BENCH_SERVER_WRAP="py-spy record -f raw
--threads -o <file> --"` runs the server under a sampling profiler that sees the decoding
threads too (py-spy is not a project dependency); `BENCH_SERVER_LOG=<file>` keeps the server's
log (warnings and errors) in <file>. The output also gives the server's CPU
time, `sha256sum`'s, and the client-side time spent in staging round trips and in PUTs.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import resource
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
from PIL import Image
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
PROBANT = str(Path(sys.executable).parent / "probant")
CLIENT = os.environ.get("BENCH_CLIENT", "batch")
PROFILE = os.environ.get("BENCH_PROFILE")
IN_FLIGHT = 4  # PROBANT_UPLOADS_PER_USER's default: what one person's widget may send at once


def noisy_jpeg(seed: int) -> bytes:
    image = Image.frombytes("RGB", (1700, 1300), secrets.token_bytes(1700 * 1300 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def sha256sum_seconds(paths: list[Path]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of `sha256sum` over the files (read from the page cache)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["sha256sum", *map(str, paths)], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def floor_cpu_seconds(photos: list[Path], everything: list[Path]) -> dict[str, float]:
    """CPU seconds, in this process, of what no server can skip: hashing every byte once
    (hashlib) and validating the photos as the server does (`inspect_media`, one thread),
    and for comparison with a full-size decode (the validation before issue 21)."""
    from probant_platform.evidence.media import inspect as inspect_module

    def cpu(fn: Callable[[], object]) -> float:
        start = time.process_time()
        fn()
        return round(time.process_time() - start, 3)

    def validate() -> None:
        for path in photos:
            inspect_module.inspect_media(path=path, kind="photo", max_video_seconds=30)

    floor = {
        "hashlib_sha256_all_bytes": cpu(
            lambda: [hashlib.sha256(path.read_bytes()).digest() for path in everything]
        ),
        "validate_20_photos": cpu(validate),
    }
    scaled = getattr(inspect_module, "_reduced_scale", None)
    if scaled is not None:
        inspect_module._reduced_scale = lambda image, width, height: None  # type: ignore[attr-defined]
        try:
            floor["validate_20_photos_full_size_decode"] = cpu(validate)
        finally:
            inspect_module._reduced_scale = scaled  # type: ignore[attr-defined]
    return floor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def main() -> dict[str, object]:
    server_url = os.environ.get(
        "PROBANT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"probant_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    data = Path(tempfile.mkdtemp(prefix="probant-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": server_url.rsplit("/", 1)[0] + f"/{name}",
        "PROBANT_DATA_DIR": str(data),
        "PROBANT_BASE_URL": f"http://127.0.0.1:{port}",
        "PROBANT_LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        subprocess.run([PROBANT, "migrate"], env=env, check=True, capture_output=True)
        demo = subprocess.run(
            [PROBANT, "demo", "--json"], env=env, check=True, capture_output=True, text=True
        ).stdout
        accounts = json.loads(demo[demo.index("{\n") :])  # after the seeding's log lines
        owner = next(
            a for a in accounts["accounts"] if a["kind"] == "LAW_FIRM" and a["role"] == "OWNER"
        )
        command = [PROBANT, "serve", "--port", str(port)]
        if PROFILE:
            script = str(Path(__file__).with_name("profile_server.py"))
            command = [sys.executable, script, str(port), PROFILE]
        command = [*shlex.split(os.environ.get("BENCH_SERVER_WRAP", "")), *command]
        log = os.environ.get("BENCH_SERVER_LOG")  # a file for the server's output
        server = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(log, "ab") if log else subprocess.DEVNULL,  # noqa: SIM115
        )
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
            for _ in range(1200):  # up to two minutes: start-up is slow on a busy machine
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            process = psutil.Process(server.pid)
            if os.environ.get("BENCH_SERVER_WRAP"):  # measure the server, not its profiler
                process = process.children(recursive=True)[-1]
            return await _measure(client, owner, data, process)
    finally:
        if server is not None:
            if PROFILE or os.environ.get("BENCH_SERVER_WRAP"):
                server.send_signal(signal.SIGINT)  # the profiler writes its report on SIGINT
            else:
                server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(data, ignore_errors=True)  # the samples and blobs: ~130 MB a run


async def _gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, object] | None = None
) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    return response.json()["data"]


async def _session(client: httpx.AsyncClient, kind: str) -> str:
    data = await _gql(
        client,
        "mutation($k: CaptureKind!) { startCapture(kind: $k) { ... on CaptureSessionPayload { captureSession { id } } } }",
        {"k": kind},
    )
    return data["startCapture"]["captureSession"]["id"]


PHASES = {"stage": 0.0, "put": 0.0}


async def _upload(
    client: httpx.AsyncClient,
    session_id: str,
    body: bytes,
    content_type: str,
    sha256: str | None = None,
) -> int:
    started = time.perf_counter()
    staged = await _gql(
        client,
        "mutation($i: StageUploadInput!) { stageUpload(input: $i) { ... on StagedUpload { uploadUrl } ... on Error { message } } }",
        {
            "i": {
                "captureSessionId": session_id,
                "sha256": sha256 or hashlib.sha256(body).hexdigest(),
                "size": len(body),
                "contentType": content_type,
                "capturedAt": "2026-11-22T10:00:00+00:00",
                "noLocationReason": "UNSUPPORTED",
            }
        },
    )
    url = staged["stageUpload"]["uploadUrl"]
    sent = time.perf_counter()
    response = await client.put(url, content=body, headers={"content-type": content_type})
    PHASES["stage"] += sent - started
    PHASES["put"] += time.perf_counter() - sent
    return response.status_code


STAGE_MANY = """mutation($i: StageUploadsInput!) { stageUploads(input: $i) {
  ... on StagedUploads { uploads { uploadUrl } } ... on Error { message } } }"""


async def _upload_batch(
    client: httpx.AsyncClient, session_id: str, bodies: list[bytes], content_type: str
) -> list[int]:
    """One `stageUploads` for all the bodies, then their PUTs, IN_FLIGHT at a time."""
    started = time.perf_counter()
    staged = await _gql(
        client,
        STAGE_MANY,
        {
            "i": {
                "captureSessionId": session_id,
                "items": [
                    {
                        "sha256": DIGESTS[id(body)],
                        "size": len(body),
                        "contentType": content_type,
                        "capturedAt": "2026-11-22T10:00:00+00:00",
                        "noLocationReason": "UNSUPPORTED",
                    }
                    for body in bodies
                ],
            }
        },
    )
    urls = [u["uploadUrl"] for u in staged["stageUploads"]["uploads"]]
    PHASES["stage"] += time.perf_counter() - started
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(url: str, body: bytes) -> int:
        async with gate:
            sent = time.perf_counter()
            response = await client.put(url, content=body, headers={"content-type": content_type})
            PHASES["put"] += time.perf_counter() - sent
            return response.status_code

    return list(await asyncio.gather(*(one(u, b) for u, b in zip(urls, bodies, strict=True))))


async def _ingest(client: httpx.AsyncClient, photos: list[bytes], big: bytes) -> list[int]:
    """The timed part: twenty photos into one session, then the 50 MB body into another."""
    if CLIENT == "sequential":
        session_id = await _session(client, "PHOTOS")
        statuses = [await _upload(client, session_id, body, "image/jpeg") for body in photos]
        video = await _session(client, "VIDEO")
        return [*statuses, await _upload(client, video, big, "video/webm")]
    if CLIENT == "batch":  # hashed at capture, one staging request per session
        statuses = await _upload_batch(
            client, await _session(client, "PHOTOS"), photos, "image/jpeg"
        )
        video = await _session(client, "VIDEO")
        return [*statuses, *await _upload_batch(client, video, [big], "video/webm")]
    # The widget: hashed at capture, each item staged and sent on its own, several at once.
    session_id = await _session(client, "PHOTOS")
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(body: bytes) -> int:
        async with gate:
            return await _upload(client, session_id, body, "image/jpeg", DIGESTS[id(body)])

    statuses = await asyncio.gather(*(one(body) for body in photos))
    video = await _session(client, "VIDEO")
    return [*statuses, await _upload(client, video, big, "video/webm", DIGESTS[id(big)])]


DIGESTS: dict[int, str] = {}  # each body's SHA-256, by the body's id(), hashed at "capture"


async def _measure(
    client: httpx.AsyncClient, owner: dict, data: Path, process: psutil.Process
) -> dict[str, object]:
    login = await _gql(
        client,
        "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { ... on LogInPayload { csrfToken } } }",
        {"e": owner["email"], "p": owner["password"]},
    )
    client.headers["x-probant-csrf"] = login["logIn"]["csrfToken"]
    photos = [noisy_jpeg(i) for i in range(20)]
    big = secrets.token_bytes(50 * 1024 * 1024)
    files = []
    for index, body in enumerate([*photos, big]):
        path = data / f"sample-{index}"
        path.write_bytes(body)
        files.append(path)
    baseline, baseline_cpu = sha256sum_seconds(files)
    for body in [*photos, big]:  # the widget hashes each item when it is captured
        DIGESTS[id(body)] = hashlib.sha256(body).hexdigest()

    cpu_before = process.cpu_times()
    client_before = time.process_time()
    PHASES.update(stage=0.0, put=0.0)
    start = time.perf_counter()
    statuses = await _ingest(client, photos, big)
    elapsed = time.perf_counter() - start
    cpu_after = process.cpu_times()
    client_cpu = time.process_time() - client_before
    server_cpu = cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system
    phases = dict(PHASES)
    total = sum(map(len, photos)) + len(big)

    rss_before, peak = process.memory_info().rss, 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    huge = secrets.token_bytes(200 * 1024 * 1024 - 1024)
    huge_status = await _upload(client, await _session(client, "VIDEO"), huge, "video/webm")
    done.set()
    sampler.join()

    floor = floor_cpu_seconds(files[: len(photos)], files)
    concurrent_session = await _session(client, "PHOTOS")
    concurrent = await asyncio.gather(
        *(_upload(client, concurrent_session, p, "image/jpeg") for p in photos)
    )
    return {
        "client": CLIENT,
        "bytes": total,
        "server_seconds": round(elapsed, 2),
        "sha256sum_seconds": round(baseline, 2),
        "throughput_ratio_vs_sha256sum": round(baseline / elapsed, 3),
        "server_cpu_seconds": round(server_cpu, 2),
        "sha256sum_cpu_seconds": round(baseline_cpu, 2),
        "cpu_ratio (sha256sum CPU / server CPU)": round(baseline_cpu / server_cpu, 3),
        "client_cpu_seconds": round(client_cpu, 2),
        "floor_cpu_seconds (in the client process, one thread)": floor,
        "client_seconds_in_stage_round_trips (summed over requests)": round(phases["stage"], 2),
        "client_seconds_in_puts (summed over requests)": round(phases["put"], 2),
        "photo_statuses": sorted(set(statuses[:-1])),
        "50MB_random_body_status": statuses[-1],
        "rss_growth_mb_during_200MB_upload": round((peak - rss_before) / 1024 / 1024, 1),
        "200MB_random_body_status": huge_status,
        "concurrent_20_uploads_statuses": sorted(set(concurrent)),
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
