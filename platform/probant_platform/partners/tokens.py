"""Partner access tokens: 15-minute ES256 JWTs naming the client, its organisation, its scopes."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError

from probant_platform.config import Settings
from probant_platform.partners.keys import ALGORITHM, signing_keys

TOKEN_TYPE = "at+jwt"  # RFC 9068


@dataclass(frozen=True)
class TokenClaims:
    client_id: str
    organisation_id: uuid.UUID
    scopes: frozenset[str]
    expires_at: int
    jti: str


def issue(
    settings: Settings, *, client_id: str, organisation_id: uuid.UUID, scopes: list[str]
) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds."""
    keyset, kid, _ = signing_keys(settings)
    lifetime = settings.partner_token_minutes * 60
    now = int(time.time())
    claims = {
        "iss": settings.base_url,
        "aud": settings.base_url,
        "sub": client_id,
        "client_id": client_id,
        "org": str(organisation_id),
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_urlsafe(12),
    }
    header = {"alg": ALGORITHM, "kid": kid, "typ": TOKEN_TYPE}
    return jwt.encode(header, claims, keyset.get_by_kid(kid), algorithms=[ALGORITHM]), lifetime


def verify(settings: Settings, token: str) -> TokenClaims | None:
    """The claims of a token we signed that has not expired; None for anything else."""
    if len(token) > 4096:
        return None
    keyset, _, _ = signing_keys(settings)
    try:
        decoded = jwt.decode(token, keyset, algorithms=[ALGORITHM])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": settings.base_url},
            aud={"essential": True, "value": settings.base_url},
            exp={"essential": True},
            leeway=5,
        ).validate(decoded.claims)
        if decoded.header.get("typ") != TOKEN_TYPE:
            return None
        claims = decoded.claims
        return TokenClaims(
            client_id=str(claims["client_id"]),
            organisation_id=uuid.UUID(str(claims["org"])),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            expires_at=int(claims["exp"]),
            jti=str(claims["jti"]),
        )
    except (JoseError, ValueError, KeyError, TypeError):
        return None
