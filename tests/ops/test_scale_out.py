"""Scale-out, proven on this machine: two API processes and two workers on one PostgreSQL and
one S3-compatible store (moto server), a few hundred deposits captured, sealed, anchored and
certified across both APIs while one worker is killed mid-run.

Slow (minutes): run with `make scale-test` (PROBANT_SCALE_TEST=1); skipped otherwise.
PROBANT_SCALE_DEPOSITS sets the number of deposits (default 200).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import httpx
import psutil
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from tests.evidence.capture_flow import SEAL, STAGE, START, UPDATE
from tests.factories import LOG_IN, MemberInfo, make_organisation
from tests.ledger_helpers import fund
from tests.support import TEST_SECRET, Mailbox, free_port

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.db.locate import application_url
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.runtime import build_runtime

pytestmark = pytest.mark.skipif(
    not os.environ.get("PROBANT_SCALE_TEST"), reason="slow: run with `make scale-test`"
)

PROBANT = str(Path(sys.executable).with_name("probant"))
DEPOSITS = int(os.environ.get("PROBANT_SCALE_DEPOSITS", "200"))
ORGANISATIONS = 10
IN_FLIGHT = 8


@dataclass
class Cluster:
    apis: list[str]
    workers: list[psutil.Popen]
    superuser: Engine  # reads across tenants for the final checks
    database: Database  # the application role, to prepare organisations
    mailbox: Mailbox
    s3: Any
    bucket: str
    data_dir: Path


def _wait_ready(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never became ready")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
async def cluster(tmp_path: Path, s3_endpoint: str, smtp_server: Any) -> AsyncIterator[Cluster]:
    server = os.environ.get(
        "PROBANT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"probant_scale_{secrets.token_hex(4)}"
    admin = create_engine(
        make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner = make_url(server).set(database=name).render_as_string(hide_password=False)
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-3",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    bucket = f"probant-scale-{secrets.token_hex(4)}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    smtp_url, mailbox = smtp_server
    # The data folder holds what production keeps elsewhere (the development chain stands in
    # for the RPC, the development CA for the signing Secret): shared, as those would be.
    env = {
        **os.environ,
        "DATABASE_URL": owner,
        "PROBANT_SECRET_KEY": TEST_SECRET,
        "PROBANT_DATA_DIR": str(tmp_path / "data"),
        "PROBANT_STORAGE_URL": f"s3://{bucket}/media?endpoint_url={s3_endpoint}&region=eu-west-3",
        "PROBANT_SMTP_URL": smtp_url,
        "PROBANT_BATCH_SECONDS": "3",
        "PROBANT_LOG_LEVEL": "WARNING",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }
    await asyncio.to_thread(
        subprocess.run,
        [PROBANT, "migrate"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: list[psutil.Popen] = []
    log_files: list[Any] = []

    def spawn(label: str, *args: str) -> psutil.Popen:
        log_files.append((logs / f"{label}.log").open("wb"))
        process = psutil.Popen(
            [PROBANT, *args], env=env, stdout=subprocess.DEVNULL, stderr=log_files[-1]
        )
        processes.append(process)
        return process

    ports = [free_port(), free_port()]
    for index, port in enumerate(ports):
        spawn(f"api{index}", "serve", "--host", "127.0.0.1", "--port", str(port))
    workers = [spawn(f"worker{i}", "worker", "--concurrency", "4") for i in range(2)]
    apis = [f"http://127.0.0.1:{port}" for port in ports]
    settings = Settings(
        DATABASE_URL=owner,
        PROBANT_SECRET_KEY=TEST_SECRET,
        PROBANT_DATA_DIR=tmp_path / "data",
    )
    database = Database(application_url(settings), pool_size=4)
    build_runtime(settings, database)
    superuser = create_engine(make_url(owner).set(drivername="postgresql+psycopg"))
    try:
        for api in apis:
            await asyncio.to_thread(_wait_ready, api)
        yield Cluster(apis, workers, superuser, database, mailbox, s3, bucket, tmp_path / "data")
    finally:
        for process in processes:
            if process.is_running():
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except psutil.TimeoutExpired:
                process.kill()
        for handle in log_files:
            handle.close()
        await database.dispose()
        superuser.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


async def _gql(client: httpx.AsyncClient, api: str, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post(f"{api}/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


async def _log_in(client: httpx.AsyncClient, api: str, member: MemberInfo) -> None:
    data = await _gql(client, api, LOG_IN, {"email": member.email, "password": member.password})
    assert data["logIn"]["__typename"] == "LogInPayload", data
    client.headers["x-probant-csrf"] = data["logIn"]["csrfToken"]


async def _deposit(client: httpx.AsyncClient, apis: list[str], seed: int) -> str:
    """Capture one photo and seal it, each step on the other API than the previous one."""
    a, b = apis if seed % 2 else apis[::-1]
    started = (await _gql(client, a, START, {"kind": "PHOTOS"}))["startCapture"]
    session = started["captureSession"]
    photo = photo_jpeg(seed=seed, label=f"scale {seed}")

    staged = (
        await _gql(
            client,
            b,
            STAGE,
            {
                "input": {
                    "captureSessionId": session["id"],
                    "sha256": hashlib.sha256(photo).hexdigest(),
                    "size": len(photo),
                    "contentType": "image/jpeg",
                    "capturedAt": datetime.now(UTC).isoformat(),
                    "location": {"latitude": 48.85, "longitude": 2.35, "accuracyMeters": 10.0},
                }
            },
        )
    )["stageUpload"]
    assert staged["__typename"] == "StagedUpload", staged
    path = "/" + staged["uploadUrl"].split("/", 3)[3]
    put = await client.put(f"{a}{path}", content=photo, headers={"content-type": "image/jpeg"})
    assert put.status_code == 201, put.text
    deposit_id = session["deposit"]["id"]
    filled = await _gql(
        client,
        b,
        UPDATE,
        {
            "input": {
                "depositId": deposit_id,
                "title": f"Constat {seed}",
                "address": {"street": "1 rue de Rivoli", "postcode": "75001", "city": "Paris"},
            }
        },
    )
    assert filled["updateDeposit"]["__typename"] == "DepositPayload", filled
    sealed = (
        await _gql(
            client,
            a,
            SEAL,
            {
                "input": {
                    "depositId": deposit_id,
                    "signature": {"fullName": "Camille Martin"},
                    "confirmCredits": 1,
                }
            },
        )
    )["sealDeposit"]
    assert sealed["__typename"] == "DepositPayload", sealed
    return str(sealed["deposit"]["reference"])


def _scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())


async def _wait_until(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(1)
    raise AssertionError(f"{what}: not done within {seconds:.0f} s")


async def _login_throttling_holds_across_processes(cluster: Cluster) -> None:
    """Five wrong passwords spread over both APIs lock the account on both."""
    member = await make_organisation(cluster.database)
    async with httpx.AsyncClient(timeout=30) as client:
        for attempt in range(5):
            wrong = {"email": member.email, "password": "wrong-password-1"}
            data = await _gql(client, cluster.apis[attempt % 2], LOG_IN, wrong)
            assert data["logIn"]["__typename"] != "LogInPayload"
        for api in cluster.apis:
            right = {"email": member.email, "password": member.password}
            data = await _gql(client, api, LOG_IN, right)
            assert data["logIn"]["__typename"] != "LogInPayload", api


async def test_two_apis_and_two_workers_one_killed_lose_nothing_and_do_nothing_twice(
    cluster: Cluster,
) -> None:
    await _login_throttling_holds_across_processes(cluster)
    members = []
    for _ in range(ORGANISATIONS):
        member = await make_organisation(cluster.database)
        await fund(cluster.database, member.organisation_id, DEPOSITS)
        members.append(member)
    # No keep-alive: uvicorn closes idle connections after 5 s, and a client reusing one at
    # that instant sees a read error for a request the server never received.
    fresh = httpx.Limits(max_keepalive_connections=0)
    clients = [httpx.AsyncClient(timeout=120, limits=fresh) for _ in members]
    try:
        # Logged in on one API, the session works on the other (sessions live in PostgreSQL).
        for index, (client, member) in enumerate(zip(clients, members, strict=True)):
            await _log_in(client, cluster.apis[index % 2], member)

        gate = asyncio.Semaphore(IN_FLIGHT)
        killed = asyncio.Event()

        async def one(seed: int) -> str:
            async with gate:
                reference = await _deposit(clients[seed % ORGANISATIONS], cluster.apis, seed)
            if seed == DEPOSITS // 2 and not killed.is_set():
                # Mid-run, while jobs are in flight: no graceful shutdown, no heartbeat goodbye.
                cluster.workers[0].kill()
                killed.set()
            return reference

        references = await asyncio.gather(*(one(seed) for seed in range(DEPOSITS)))
    finally:
        for client in clients:
            await client.aclose()
    assert killed.is_set()
    assert len(set(references)) == DEPOSITS

    engine = cluster.superuser
    org_ids = [str(m.organisation_id) for m in members]
    mine = "d.organisation_id = ANY(CAST(:orgs AS uuid[]))"

    def all_certified() -> bool:
        done = _scalar(
            engine,
            f"SELECT count(DISTINCT c.deposit_id) FROM certificates c "
            f"JOIN deposits d ON d.id = c.deposit_id WHERE {mine}",
            orgs=org_ids,
        )
        return bool(done == DEPOSITS)

    # Jobs the killed worker held come back once its heartbeat goes stale (requeued by the
    # heartbeat of the surviving worker).
    await _wait_until(all_certified, 600, "every sealed deposit certified")

    # Every sealed item is a leaf, exactly once, of a batch anchored exactly once, confirmed.
    leaves = _rows(
        engine,
        f"SELECT l.item_id, l.batch_id FROM integrity_leaves l JOIN deposits d "
        f"ON d.id = l.deposit_id WHERE {mine}",
        orgs=org_ids,
    )
    assert len(leaves) == DEPOSITS
    assert all(batch is not None for _, batch in leaves)
    batches = {batch for _, batch in leaves}
    anchors = _rows(
        engine,
        "SELECT batch_id, status, tx_hash FROM integrity_anchors "
        "WHERE batch_id = ANY(CAST(:b AS uuid[]))",
        b=[str(b) for b in batches],
    )
    assert Counter(batch for batch, _, _ in anchors) == Counter({b: 1 for b in batches})
    assert {status for _, status, _ in anchors} == {"CONFIRMED"}
    # ...and on the chain: one transaction per anchor, none broadcast twice.
    journal = (cluster.data_dir / "dev-chain" / "journal.jsonl").read_text().splitlines()
    all_anchors = _scalar(engine, "SELECT count(*) FROM integrity_anchors")
    assert len(journal) == all_anchors

    # One certificate per deposit, one report email per deposit.
    per_deposit = _rows(
        engine,
        f"SELECT c.deposit_id, count(*) FROM certificates c JOIN deposits d "
        f"ON d.id = c.deposit_id WHERE {mine} GROUP BY c.deposit_id",
        orgs=org_ids,
    )
    assert {count for _, count in per_deposit} == {1}
    reports = Counter(
        (m["To"], str(m["Subject"]))
        for m in cluster.mailbox.messages
        if any(part.get_content_type() == "application/pdf" for part in m.walk())
    )
    assert sum(reports.values()) == DEPOSITS, len(reports)
    assert max(reports.values()) == 1, [k for k, v in reports.items() if v > 1]
    assert all(any(ref in subject for ref in references) for _, subject in reports)

    # No item lost: every original is in the object store under its SHA-256.
    stored = {
        obj["Key"].rsplit("/", 1)[-1]
        for page in cluster.s3.get_paginator("list_objects_v2").paginate(Bucket=cluster.bucket)
        for obj in page.get("Contents", [])
    }
    hashes = _rows(
        engine,
        f"SELECT i.sha256 FROM evidence_items i JOIN deposits d ON d.id = i.deposit_id "
        f"WHERE {mine}",
        orgs=org_ids,
    )
    assert len(hashes) == DEPOSITS
    assert {sha for (sha,) in hashes} <= stored

    # The ledger balances: every transaction's entries sum to zero, every stored balance is
    # the sum of its entries, and each organisation paid one credit per deposit.
    assert (
        _rows(
            engine, "SELECT transaction_id FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0"
        )
        == []
    )
    assert (
        _rows(
            engine,
            "SELECT a.id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id "
            "GROUP BY a.id, a.balance HAVING a.balance <> coalesce(sum(e.amount), 0)",
        )
        == []
    )
    spent = _rows(
        engine,
        "SELECT organisation_id, sum(credits) FROM ledger_transactions WHERE kind = 'SPEND' "
        "AND organisation_id = ANY(CAST(:orgs AS uuid[])) GROUP BY 1",
        orgs=org_ids,
    )
    assert sum(int(total) for _, total in spent) == DEPOSITS
