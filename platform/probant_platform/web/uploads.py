"""`PUT /uploads/{item_id}?token=…`: the staged-upload endpoint for media bytes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from strawberry.relay import to_base64

from probant_platform import locales
from probant_platform.evidence.media import decoding_pool, image_limits
from probant_platform.evidence.uploads import (
    UploadRefused,
    authorise_upload,
    record_upload,
    store_upload,
)
from probant_platform.storage import store_for
from probant_platform.web.upload_slots import NoSlot, UploadSlots
from probant_tenants.context import resolve_actor

MAX_BODY_BYTES = 200 * 1024 * 1024
RETRY_AFTER_SECONDS = 5

MESSAGES = {
    "HASH_MISMATCH": (
        "Le fichier reçu ne correspond pas à son empreinte.",
        "The received file does not match its fingerprint.",
    ),
    "UNSUPPORTED_MEDIA": (
        "Ce fichier n'est pas une photo ou une vidéo acceptée.",
        "This file is not an accepted photo or video.",
    ),
    "CORRUPT_MEDIA": (
        "Le fichier est endommagé ou incomplet.",
        "The file is damaged or incomplete.",
    ),
    "TOO_LARGE": ("Le fichier dépasse la taille autorisée.", "The file exceeds the allowed size."),
    "EMPTY": ("Le fichier est vide.", "The file is empty."),
    "VIDEO_TOO_LONG": (
        "La vidéo dépasse la durée autorisée.",
        "The video exceeds the allowed length.",
    ),
    "SESSION_EXPIRED": ("La session de capture a expiré.", "The capture session has expired."),
    "NOT_ALLOWED": ("Envoi non autorisé.", "Upload not allowed."),
    "ALREADY_UPLOADED": ("Ce fichier a déjà été reçu.", "This file was already received."),
    "NOT_AUTHENTICATED": ("Authentification requise.", "Authentication required."),
    "IMAGE_TOO_LARGE": (
        "L'image est trop grande pour être traitée (dimensions ou proportions hors limites).",
        "The image is too large to process (dimensions or proportions out of bounds).",
    ),
    "READ_TIMEOUT": (
        "L'envoi s'est interrompu trop longtemps ; recommencez.",
        "The upload stalled for too long; please try again.",
    ),
    "TOO_MANY_UPLOADS": (
        "Trop d'envois en cours pour ce compte ; réessayez dans un instant.",
        "Too many uploads in progress for this account; try again shortly.",
    ),
    "UPLOADS_BUSY": (
        "Le service reçoit trop d'envois en ce moment ; réessayez dans un instant.",
        "The service is receiving too many uploads right now; try again shortly.",
    ),
}


def _error(code: str, status: int, locale: str) -> JSONResponse:
    fr, en = MESSAGES.get(code, MESSAGES["NOT_ALLOWED"])
    body = {"error": {"code": code, "message": en if locale == "en" else fr}}
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status in (429, 503) else None
    return JSONResponse(body, status, headers=headers)


async def _body(request: Request, limit: int, idle_timeout: float) -> AsyncIterator[bytes]:
    """The request body; a client silent for `idle_timeout` seconds is cut off (408)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise UploadRefused("TOO_LARGE", 413)
    stream = request.stream()
    while True:
        try:
            async with asyncio.timeout(idle_timeout):
                chunk = await anext(stream)
        except StopAsyncIteration:
            return
        except TimeoutError as exc:
            raise UploadRefused("READ_TIMEOUT", 408) from exc
        if chunk:
            yield chunk


def slots_of(request: Request) -> UploadSlots:
    """The process's upload slots, sized from the settings at first use."""
    state = request.app.state
    if not hasattr(state, "upload_slots"):
        settings = state.runtime.settings
        state.upload_slots = UploadSlots(
            per_user=settings.uploads_per_user, total=settings.uploads_max
        )
    slots: UploadSlots = state.upload_slots
    return slots


async def upload(request: Request) -> JSONResponse:
    """Stream the body to storage while hashing; 201 with the item's facts or a coded error.

    No database connection is held while the body arrives: one short transaction
    authorises, the body is staged and inspected, one short transaction records it.
    """
    locale = locales.choose(account=None, accept_language=request.headers.get("accept-language"))
    try:
        with slots_of(request).process():
            return await _upload(request, locale)
    except NoSlot as busy:
        return _error(busy.code, busy.status, locale)


async def _upload(request: Request, locale: str) -> JSONResponse:
    runtime = request.app.state.runtime
    settings = runtime.settings
    try:
        item_id = uuid.UUID(request.path_params["item_id"])
    except ValueError:
        return _error("NOT_ALLOWED", 404, locale)
    token = request.query_params.get("token", "")
    async with runtime.database.session() as session, session.begin():
        actor = await resolve_actor(session=session, connection=request)
        if actor is None:
            return _error("NOT_AUTHENTICATED", 401, locale)
        locale = actor.locale
        try:
            grant = await authorise_upload(
                session=session, item_id=item_id, token=token, membership_id=actor.membership_id
            )
        except UploadRefused as refused:
            return _error(refused.code, refused.status, locale)
    try:
        with slots_of(request).member(actor.membership_id):
            blob, facts = await store_upload(
                store=store_for(settings),
                grant=grant,
                chunks=_body(request, MAX_BODY_BYTES, settings.upload_read_timeout),
                pool=decoding_pool(settings),
                limits=image_limits(settings),
            )
        async with runtime.database.session(actor.scope) as session, session.begin():
            item = await record_upload(
                session=session, grant=grant, token=token, blob=blob, facts=facts
            )
    except NoSlot as busy:
        return _error(busy.code, busy.status, locale)
    except UploadRefused as refused:
        return _error(refused.code, refused.status, locale)
    except ClientDisconnect:
        return _error("CORRUPT_MEDIA", 400, locale)
    body = {
        "item": {
            "id": to_base64("EvidenceItem", str(item.id)),
            "sha256": item.sha256,
            "size": item.size,
            "mediaType": item.media_type,
            "width": item.width,
            "height": item.height,
            "durationSeconds": item.duration_seconds,
        }
    }
    return JSONResponse(body, 201)
