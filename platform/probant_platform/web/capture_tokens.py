"""`POST /api/v1/capture-tokens`: a tenant's backend mints a capture token for one member."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse

from probant_platform.errors import DomainError
from probant_platform.text import clean_line
from probant_tenants.embedding.keys import mint_capture_token

MAX_BODY = 4096
# Checked here, at the edge: a NUL byte or a control character must never reach a query.
FIELD_LIMITS = {"member_email": 320, "widget_key": 200}


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status)


async def mint(request: Request) -> JSONResponse:
    """Authenticated by `Authorization: Bearer sk_…`; body `{"member_email", "widget_key"}`."""
    authorization = request.headers.get("authorization", "")
    secret = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
    if not secret.startswith("sk_"):
        return _error("INVALID_API_KEY", "Missing or malformed secret API key.", 401)
    raw = await request.body()  # bounded by the route (MAX_BODY)
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _error("INVALID_INPUT", "Expected JSON {member_email, widget_key}.", 400)
    for field, limit in FIELD_LIMITS.items():
        value = body.get(field)
        if not isinstance(value, str) or clean_line(value, max_length=limit) != value:
            return _error(
                "INVALID_INPUT",
                f"{field}: a string of 1 to {limit} characters, without control characters.",
                400,
            )
    database = request.app.state.runtime.database
    try:
        async with database.unit_of_work() as session:
            token, record = await mint_capture_token(
                session=session,
                api_secret=secret,
                public_key=body["widget_key"],
                member_email=body["member_email"],
            )
    except DomainError as exc:
        status = (
            401
            if exc.code == "INVALID_API_KEY"
            else 403
            if exc.code == "INVALID_WIDGET_KEY"
            else 422
        )
        return _error(exc.code, exc.message("en"), status)
    return JSONResponse(
        {"capture_token": token, "expires_at": record.expires_at.isoformat()},
        201,
        headers={"cache-control": "no-store"},
    )
