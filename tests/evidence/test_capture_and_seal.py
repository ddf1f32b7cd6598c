"""From a live capture to a sealed deposit in the archive, and every way it can be refused."""

from __future__ import annotations

import contextlib
import hashlib
import io

import httpx
import pytest
from PIL import Image
from tests.evidence.capture_flow import capture_one, fill, put, seal, stage, start
from tests.factories import Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, refused

from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg, video_webm


async def _owner_client(database: Database, client: httpx.AsyncClient, credits: int = 5) -> object:
    owner = await make_organisation(database)
    if credits:
        await fund(database, owner.organisation_id, credits)
    await log_in(client, owner)
    return owner


async def test_photos_are_captured_sealed_and_found_in_the_archive(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client, credits=3)
    session = (await start(client))["captureSession"]
    photos = [photo_jpeg(seed=i) for i in range(3)]
    for body in photos:
        response = await capture_one(client, session["id"], body)
        assert response.status_code == 201, response.text
        assert response.json()["item"]["sha256"] == hashlib.sha256(body).hexdigest()
    deposit_id = session["deposit"]["id"]
    assert (await fill(client, deposit_id))["__typename"] == "DepositPayload"
    quote = await gql(
        client,
        "query($d: ID!) { depositQuote(depositId: $d) { credits balance } }",
        {"d": deposit_id},
    )
    assert quote["depositQuote"] == {"credits": 1, "balance": 3}

    sealed = await seal(client, deposit_id)

    assert sealed["__typename"] == "DepositPayload"
    assert sealed["deposit"]["status"] == "SEALED"
    assert sorted(i["sha256"] for i in sealed["deposit"]["items"]) == sorted(
        hashlib.sha256(p).hexdigest() for p in photos
    )
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 2
    archive = await gql(client, "{ deposits(first: 5) { edges { node { reference status } } } }")
    assert archive["deposits"]["edges"][0]["node"] == {
        "reference": session["deposit"]["reference"],
        "status": "SEALED",
    }
    again = await seal(client, deposit_id)
    assert again["__typename"] == "AlreadySealed"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 2


async def test_a_short_video_is_accepted_and_a_31_second_one_refused(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    ok_session = (await start(client, "VIDEO"))["captureSession"]
    ok = await capture_one(client, ok_session["id"], video_webm(seconds=2), "video/webm")
    assert ok.status_code == 201 and ok.json()["item"]["durationSeconds"] == pytest.approx(
        2.0, abs=0.2
    )
    long_session = (await start(client, "VIDEO"))["captureSession"]
    refused = await capture_one(
        client, long_session["id"], video_webm(seconds=31, fps=2), "video/webm"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "VIDEO_TOO_LONG"


def _truncated() -> bytes:
    return photo_jpeg()[:-400]


def _polyglot() -> bytes:
    return photo_jpeg() + b"PK\x03\x04" + b"<script>alert(1)</script>" * 20


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (_truncated(), "CORRUPT_MEDIA"),
        (b"%PDF-1.4 not an image at all" * 10, "UNSUPPORTED_MEDIA"),
        (_polyglot(), "UNSUPPORTED_MEDIA"),
        (_bomb(), "UNSUPPORTED_MEDIA"),
    ],
    ids=["truncated-jpeg", "not-an-image", "polyglot", "decompression-bomb"],
)
async def test_bad_media_is_refused_and_nothing_is_kept(
    database: Database, client: httpx.AsyncClient, body: bytes, code: str
) -> None:
    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    response = await capture_one(client, session["id"], body)
    assert response.status_code in (400, 415)
    assert response.json()["error"]["code"] == code
    sealed = await seal(client, session["deposit"]["id"])
    assert sealed["__typename"] == "NothingToSeal"


async def test_a_hash_mismatch_or_an_empty_body_is_refused(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    body = photo_jpeg()
    staged = await stage(client, session["id"], body, sha256="0" * 64)
    mismatch = await put(client, staged["uploadUrl"], body)
    staged_empty = await stage(client, session["id"], body)
    empty = await put(client, staged_empty["uploadUrl"], b"")
    assert mismatch.json()["error"]["code"] == "HASH_MISMATCH"
    assert empty.json()["error"]["code"] == "EMPTY"


async def test_a_photo_in_a_video_session_and_a_21st_photo_are_refused(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    video = (await start(client, "VIDEO"))["captureSession"]
    assert (await stage(client, video["id"], photo_jpeg()))["__typename"] == "WrongMediaKind"
    photos = (await start(client))["captureSession"]
    for i in range(20):
        assert (await stage(client, photos["id"], photo_jpeg(seed=i)))[
            "__typename"
        ] == "StagedUpload"
    over = await stage(client, photos["id"], photo_jpeg(seed=99))
    assert over["__typename"] == "ItemLimitReached" and over["limit"] == 20


async def test_sealing_with_too_few_credits_changes_nothing(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client, credits=0)
    session = (await start(client))["captureSession"]
    await capture_one(client, session["id"], photo_jpeg())
    await fill(client, session["deposit"]["id"])
    result = await seal(client, session["deposit"]["id"])
    assert result["__typename"] == "InsufficientCredits"
    archive = await gql(client, "{ deposits { edges { node { status sealedAt } } } creditBalance }")
    assert archive["deposits"]["edges"][0]["node"] == {"status": "DRAFT", "sealedAt": None}
    assert archive["creditBalance"] == 0


async def test_another_member_cannot_use_my_session_or_seal_my_deposit(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    me = await add_member(database, owner, role=Role.COLLABORATOR)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 2, membership_id=colleague.membership_id)
    mine, theirs = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(mine, me)
    await log_in(theirs, colleague)
    session = (await start(mine))["captureSession"]
    await capture_one(mine, session["id"], photo_jpeg())
    await fill(mine, session["deposit"]["id"])
    assert (await stage(theirs, session["id"], photo_jpeg(seed=5)))[
        "__typename"
    ] == "CaptureSessionExpired"
    assert (await seal(theirs, session["deposit"]["id"]))["__typename"] == "NotFound"
    node = await gql(
        theirs, "query($id: ID!) { node(id: $id) { id } }", {"id": session["deposit"]["id"]}
    )
    assert node["node"] is None
    mine_now = await gql(mine, "{ deposits { edges { node { status } } } }")
    assert [e["node"]["status"] for e in mine_now["deposits"]["edges"]] == ["DRAFT"]
    assert (await gql(theirs, "{ creditBalance }"))["creditBalance"] == 2  # nothing spent


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": "x" * 10_000}, "title"), ({"title": "a/b\u0007c"}, "title")],
    ids=["10000-char-title", "control-characters"],
)
async def test_bad_text_is_refused(
    database: Database, client: httpx.AsyncClient, overrides: dict[str, str], field: str
) -> None:
    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    result = await fill(client, session["deposit"]["id"], **overrides)
    assert result["__typename"] == "InvalidInput" and result["field"] == field


async def test_an_unverified_member_cannot_capture(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database, verified=False)
    await log_in(client, owner)
    assert (await start(client))["__typename"] == "EmailNotVerified"


async def test_the_server_refuses_an_item_without_location_when_required(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    await gql(client, "mutation { updateCaptureSettings(locationRequired: true) { __typename } }")
    session = (await start(client))["captureSession"]
    staged = await gql(
        client,
        "mutation($i: StageUploadInput!) { stageUpload(input: $i) { __typename } }",
        {
            "i": {
                "captureSessionId": session["id"],
                "sha256": "a" * 64,
                "size": 10,
                "contentType": "image/jpeg",
                "capturedAt": "2026-11-22T10:00:00+00:00",
                "noLocationReason": "PERMISSION_DENIED",
            }
        },
    )
    assert staged["stageUpload"]["__typename"] == "LocationRequired"


DELETE = """
mutation($d: ID!) { deleteDeposit(depositId: $d) {
  __typename ... on DepositDeleted { tombstone message } ... on Error { message } } }"""
ITEMS = """
query($d: ID!) { node(id: $d) { ... on Deposit { status title items { sha256 downloadUrl } } } }"""


async def test_a_signed_link_downloads_the_original_and_expires(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    body = photo_jpeg(seed=7)
    await capture_one(client, session["id"], body)
    node = (await gql(client, ITEMS, {"d": session["deposit"]["id"]}))["node"]
    url = node["items"][0]["downloadUrl"].removeprefix("http://testserver")
    downloaded = await client.get(url)
    assert downloaded.status_code == 200 and downloaded.content == body
    forged = await client.get(url.replace("signature=", "signature=0"))
    expired = await client.get(
        url.split("expires=")[0] + "expires=1&signature=" + url.split("signature=")[1]
    )
    assert forged.status_code == 403 and expired.status_code == 403


async def test_deleting_a_sealed_deposit_keeps_a_tombstone(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    body = photo_jpeg(seed=8)
    await capture_one(client, session["id"], body)
    await fill(client, session["deposit"]["id"])
    await seal(client, session["deposit"]["id"])
    url = (await gql(client, ITEMS, {"d": session["deposit"]["id"]}))["node"]["items"][0][
        "downloadUrl"
    ]

    deleted = (await gql(client, DELETE, {"d": session["deposit"]["id"]}))["deleteDeposit"]

    assert deleted["tombstone"] is True and "empreintes" in deleted["message"]
    after = (await gql(client, ITEMS, {"d": session["deposit"]["id"]}))["node"]
    assert after["status"] == "DELETED" and after["title"] == ""
    assert after["items"] == [{"sha256": hashlib.sha256(body).hexdigest(), "downloadUrl": None}]
    assert (await client.get(url.removeprefix("http://testserver"))).status_code == 404
    archive = await gql(client, "{ deposits { edges { node { id } } } }")
    assert archive["deposits"]["edges"] == []


async def test_deleting_a_draft_removes_it_entirely(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    await capture_one(client, session["id"], photo_jpeg(seed=9))
    deleted = (await gql(client, DELETE, {"d": session["deposit"]["id"]}))["deleteDeposit"]
    assert deleted == {
        "__typename": "DepositDeleted",
        "tombstone": False,
        "message": "Brouillon supprimé.",
    }
    assert (await gql(client, ITEMS, {"d": session["deposit"]["id"]}))["node"] is None


async def test_an_upload_cut_off_halfway_leaves_no_blob_and_no_item(
    database: Database, client: httpx.AsyncClient, settings: object
) -> None:
    from pathlib import Path

    await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    body = photo_jpeg(seed=10)
    staged = await stage(client, session["id"], body)
    media_root = Path(settings.data_dir) / "media"  # type: ignore[attr-defined]
    before = set(media_root.rglob("*")) if media_root.exists() else set()

    async def half() -> object:
        yield body[: len(body) // 2]
        raise ConnectionResetError("client went away")

    # the client side of the cut fails, as it would for a person losing the network
    with contextlib.suppress(ConnectionResetError, httpx.HTTPError):
        await client.put(staged["uploadUrl"].removeprefix("http://testserver"), content=half())
    after = {p for p in media_root.rglob("*") if p.is_file()} if media_root.exists() else set()
    assert {p for p in after if p not in before} == set()
    assert (await seal(client, session["deposit"]["id"]))["__typename"] == "NothingToSeal"


async def test_an_archive_page_costs_a_fixed_number_of_queries(
    database: Database, client: httpx.AsyncClient, db_connection: object
) -> None:
    from sqlalchemy import event

    await _owner_client(database, client)
    for seed in range(2):
        session = (await start(client))["captureSession"]
        await capture_one(client, session["id"], photo_jpeg(seed=seed))
    query = "{ deposits(first: 50) { edges { node { reference items { sha256 downloadUrl } } } } }"

    async def count() -> int:
        statements: list[str] = []
        engine = db_connection.sync_engine  # type: ignore[attr-defined]

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", record)
        try:
            await gql(client, query)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    with_two = await count()
    assert with_two > 0
    for seed in range(2, 6):
        session = (await start(client))["captureSession"]
        await capture_one(client, session["id"], photo_jpeg(seed=seed))
    assert await count() == with_two


async def test_an_expired_session_refuses_uploads(
    database: Database, client: httpx.AsyncClient
) -> None:
    from sqlalchemy import text

    from probant_platform.db import TenantScope

    owner = await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:  # type: ignore[attr-defined]
        await s.execute(
            text(
                "UPDATE capture_sessions SET expires_at = now() - interval '1 minute' WHERE id = :i"
            ),
            {"i": session["id"]},
        )
    assert (await stage(client, session["id"], photo_jpeg()))[
        "__typename"
    ] == "CaptureSessionExpired"


async def test_a_photo_sent_as_a_video_is_refused(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    session = (await start(client, "VIDEO"))["captureSession"]
    response = await capture_one(client, session["id"], photo_jpeg(), "video/webm")
    assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA"


async def test_nothing_of_a_sealed_deposit_can_change(
    database: Database, client: httpx.AsyncClient
) -> None:
    from sqlalchemy import text

    from probant_platform.db import TenantScope

    owner = await _owner_client(database, client)
    session = (await start(client))["captureSession"]
    await capture_one(client, session["id"], photo_jpeg(seed=3))
    await fill(client, session["deposit"]["id"])
    await seal(client, session["deposit"]["id"])
    assert (await fill(client, session["deposit"]["id"], title="Changed"))[
        "__typename"
    ] == "AlreadySealed"
    with refused(INSUFFICIENT_PRIVILEGE, match="sealed deposit"):
        async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:  # type: ignore[attr-defined]
            await s.execute(text("UPDATE evidence_items SET sha256 = repeat('0', 64)"))


async def test_another_organisation_sees_nothing_of_my_deposits(
    database: Database, client_factory: object
) -> None:
    mine, theirs = client_factory(), client_factory()  # type: ignore[operator]
    await _owner_client(database, mine)
    await _owner_client(database, theirs)
    session = (await start(mine))["captureSession"]
    await capture_one(mine, session["id"], photo_jpeg(seed=11))
    items = (await gql(mine, ITEMS, {"d": session["deposit"]["id"]}))["node"]["items"]
    assert (await gql(theirs, ITEMS, {"d": session["deposit"]["id"]}))["node"] is None
    assert (await gql(theirs, "{ deposits { edges { node { id } } } }"))["deposits"]["edges"] == []
    assert (await stage(theirs, session["id"], photo_jpeg(seed=12)))[
        "__typename"
    ] == "CaptureSessionExpired"
    assert (await seal(theirs, session["deposit"]["id"]))["__typename"] == "NotFound"
    quote = await gql(
        theirs,
        "query($d: ID!) { depositQuote(depositId: $d) { credits } }",
        {"d": session["deposit"]["id"]},
    )
    assert quote["depositQuote"] is None
    assert items and items[0]["sha256"]


async def test_the_archive_filters_by_status_and_search(
    database: Database, client: httpx.AsyncClient
) -> None:
    await _owner_client(database, client)
    sealed = (await start(client))["captureSession"]
    await capture_one(client, sealed["id"], photo_jpeg(seed=20))
    await fill(client, sealed["deposit"]["id"], title="Toiture abîmée")
    await seal(client, sealed["deposit"]["id"])
    draft = (await start(client))["captureSession"]
    await fill(client, draft["deposit"]["id"], title="Cave inondée")
    query = "query($f: DepositFilter) { deposits(filter: $f) { edges { node { title status } } } }"
    by_status = await gql(client, query, {"f": {"status": "SEALED"}})
    by_search = await gql(client, query, {"f": {"search": "cave"}})
    assert [e["node"]["title"] for e in by_status["deposits"]["edges"]] == ["Toiture abîmée"]
    assert [e["node"]["title"] for e in by_search["deposits"]["edges"]] == ["Cave inondée"]
