"""`POST /oauth/token` (client credentials) and `GET /.well-known/jwks.json`: the thin adapter
between Starlette and Authlib's token endpoint, with rate limiting and an audit trail."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote

import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from probant_platform.partners.clients import find_client, mark_used
from probant_platform.partners.keys import signing_keys
from probant_platform.partners.models import ApiClient
from probant_platform.partners.oauth import Outcome, TokenServer
from probant_platform.ratelimits.windows import Verdict, consume, tightest
from probant_platform.runtime import Runtime
from probant_tenants.audit import AuditAction, record

log = structlog.get_logger("probant.oauth")
MAX_BODY = 4096
FORM = "application/x-www-form-urlencoded"


def _claimed_client_id(request: Request, form: dict[str, str]) -> str:
    """The client id the request claims (Basic user name or form field); Authlib checks it."""
    authorization = request.headers.get("authorization", "")
    if authorization[:6].lower() == "basic ":
        try:
            user = base64.b64decode(authorization[6:].strip()).decode().split(":", 1)[0]
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote(user)
    return form.get("client_id", "")


def _error(status: int, error: str, description: str, headers: dict[str, str]) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status,
        headers={**headers, "cache-control": "no-store"},
    )


async def _limit(runtime: Runtime, request: Request, client_id: str) -> Verdict:
    per_minute = runtime.settings.token_requests_per_minute
    address = request.client.host if request.client else "unknown"
    verdicts = [await consume(runtime.database, key=f"token:ip:{address}", limit=per_minute)]
    if client_id:
        verdicts.append(
            await consume(runtime.database, key=f"token:client:{client_id}", limit=per_minute)
        )
    return tightest(verdicts)


async def token(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
        return _error(400, "invalid_request", f"Send the parameters as {FORM}.", {})
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _error(400, "invalid_request", "Request too large.", {})
    try:
        pairs = parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=bool(raw))
    except (UnicodeDecodeError, ValueError):
        return _error(400, "invalid_request", "Malformed form body.", {})
    form = dict(pairs)
    if len(form) != len(pairs):
        return _error(400, "invalid_request", "A parameter is repeated.", {})
    claimed = _claimed_client_id(request, form)[:64]
    verdict = await _limit(runtime, request, claimed)
    if not verdict.allowed:
        return _error(429, "slow_down", "Too many token requests.", verdict.headers())
    address = request.client.host if request.client else None
    async with runtime.database.unit_of_work() as session:
        client = await find_client(session=session, client_id=claimed)
        # Production's base URL is https; development serves plain http on purpose.
        uri = settings.base_url.replace("http://", "https://", 1) + "/oauth/token"
        outcome = TokenServer(settings, client).respond(uri=uri, headers=request.headers, form=form)
        await _audit(session, client, outcome, address)
    headers = {k: v for k, v in outcome.headers} | verdict.headers()
    return JSONResponse(outcome.body, outcome.status, headers=headers)


async def _audit(
    session: AsyncSession, client: ApiClient | None, outcome: Outcome, ip: str | None
) -> None:
    if outcome.status != 200:
        # Never the secret: only who claimed to ask and why they were refused.
        log.warning(
            "token_refused",
            client_id=client.client_id if client else None,
            error=outcome.body.get("error"),
            ip=ip,
        )
    if client is None:
        return
    action = (
        AuditAction.API_TOKEN_ISSUED if outcome.status == 200 else AuditAction.API_TOKEN_REFUSED
    )
    details = (
        {"scopes": outcome.issued_scopes}
        if outcome.status == 200
        else {"error": str(outcome.body.get("error"))}
    )
    await record(
        session=session,
        organisation_id=client.organisation_id,
        action=action,
        actor_user_id=None,
        ip=ip,
        target=client.client_id,
        details=details,
    )
    if outcome.status == 200:
        await mark_used(session=session, client=client)


async def jwks(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    _, _, public = signing_keys(runtime.settings)
    return JSONResponse(public, headers={"cache-control": "public, max-age=300"})


def oauth_routes() -> list[Route]:
    return [
        Route("/oauth/token", token, methods=["POST"]),
        Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    ]
