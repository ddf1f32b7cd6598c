"""The OAuth2 token endpoint's protocol, from Authlib: client credentials only (RFC 6749 §4.4).

Authlib is synchronous and has no Starlette integration; the web layer reads the request and
the client record (asynchronously) first, then runs this server on them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import scope_to_list

from probant_platform.config import Settings
from probant_platform.partners import tokens
from probant_platform.partners.clients import secret_matches
from probant_platform.partners.models import ApiClient
from probant_platform.partners.scopes import SCOPES

AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class RegisteredClient(ClientMixin):
    """Authlib's view of an `ApiClient`: confidential, client credentials only."""

    def __init__(self, record: ApiClient):
        self.record = record

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        granted = self.record.scopes
        wanted = set(scope_to_list(scope)) if scope else set(granted)
        return " ".join(s for s in SCOPES if s in wanted and s in granted)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(self.record, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class PartnerCredentialsGrant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(AUTH_METHODS)

    def validate_requested_scope(self) -> None:
        """A client may ask for fewer scopes than it holds, never for more."""
        super().validate_requested_scope()
        requested = self.request.payload.scope
        if requested and not set(scope_to_list(requested)) <= set(
            self.request.client.record.scopes
        ):
            raise InvalidScopeError()


class TokenRequest(OAuth2Request):
    def __init__(self, uri: str, headers: Mapping[str, str], form: dict[str, str]):
        super().__init__(method="POST", uri=uri, headers=headers)
        self.payload = BasicOAuth2Payload(form)

    @property
    def form(self) -> dict[str, str]:
        data: dict[str, str] = self.payload.data
        return data


@dataclass
class Outcome:
    status: int
    body: dict[str, Any]
    headers: list[tuple[str, str]]
    issued_scopes: list[str] = field(default_factory=list)


class TokenServer(AuthorizationServer):
    """One per token request: it knows the one client the request names (or none)."""

    def __init__(self, settings: Settings, client: ApiClient | None):
        super().__init__(scopes_supported=list(SCOPES))
        self.settings = settings
        self.client = RegisteredClient(client) if client is not None else None
        self.issued: list[dict[str, Any]] = []
        self.register_grant(PartnerCredentialsGrant)
        self.register_token_generator("default", self._generate)

    def query_client(self, client_id: str) -> RegisteredClient | None:
        if self.client is not None and self.client.get_client_id() == client_id:
            return self.client
        return None

    def _generate(self, *, client: RegisteredClient, scope: str | None, **_: Any) -> dict[str, Any]:
        granted = client.get_allowed_scope(scope).split()
        access_token, lifetime = tokens.issue(
            self.settings,
            client_id=client.get_client_id(),
            organisation_id=uuid.UUID(str(client.record.organisation_id)),
            scopes=granted,
        )
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": " ".join(granted),
        }

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.issued.append(token)  # nothing to store: the JWT is self-contained

    def create_oauth2_request(self, request: TokenRequest) -> TokenRequest:
        return request

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def handle_response(
        self, status: int, body: dict[str, Any], headers: list[tuple[str, str]]
    ) -> Outcome:
        scopes = str(body.get("scope", "")).split() if status == 200 else []
        return Outcome(status=status, body=body, headers=list(headers), issued_scopes=scopes)

    def respond(self, *, uri: str, headers: Mapping[str, str], form: dict[str, str]) -> Outcome:
        outcome: Outcome = self.create_token_response(TokenRequest(uri, headers, form))
        return outcome
