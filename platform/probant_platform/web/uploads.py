"""`PUT /uploads/{item_id}?token=…`: the staged-upload endpoint for media bytes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from strawberry.relay import to_base64

from probant_platform import locales
from probant_platform.evidence.uploads import UploadRefused, receive_upload
from probant_platform.storage import store_for
from probant_tenants.context import resolve_actor

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
}


def _error(code: str, status: int, locale: str) -> JSONResponse:
    fr, en = MESSAGES.get(code, MESSAGES["NOT_ALLOWED"])
    return JSONResponse({"error": {"code": code, "message": en if locale == "en" else fr}}, status)


async def _body(request: Request, limit: int) -> AsyncIterator[bytes]:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise UploadRefused("TOO_LARGE", 413)
    async for chunk in request.stream():
        if chunk:
            yield chunk


async def upload(request: Request) -> JSONResponse:
    """Stream the body to storage while hashing; 201 with the item's facts or a coded error."""
    runtime = request.app.state.runtime
    locale = locales.choose(account=None, accept_language=request.headers.get("accept-language"))
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
            item = await receive_upload(
                session=session,
                store=store_for(runtime.settings),
                item_id=item_id,
                token=token,
                membership_id=actor.membership_id,
                chunks=_body(request, 200 * 1024 * 1024),
            )
        except UploadRefused as refused:
            await session.rollback()
            return _error(refused.code, refused.status, locale)
        except ClientDisconnect:
            await session.rollback()
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
