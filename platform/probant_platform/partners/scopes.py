"""The OAuth scopes a partner token can carry."""

from __future__ import annotations

from probant_platform.errors import DomainError

SCOPES = (
    "deposits:read",
    "deposits:write",
    "bailiffs:submit",
    "credits:read",
    "webhooks:manage",
    "documents:read",
)


class InvalidScopes(DomainError):
    code = "INVALID_SCOPES"
    message_fr = "Portées inconnues ou vides : {scopes}. Portées possibles : {known}."
    message_en = "Unknown or empty scopes: {scopes}. Known scopes: {known}."


def parse_scopes(values: list[str] | str) -> list[str]:
    """The scopes in their canonical order; raises InvalidScopes on an unknown or empty list."""
    wanted = values.split() if isinstance(values, str) else [v.strip() for v in values]
    unknown = [v for v in wanted if v not in SCOPES]
    if unknown or not wanted:
        raise InvalidScopes(scopes=" ".join(unknown)[:200] or "—", known=" ".join(SCOPES))
    return [s for s in SCOPES if s in wanted]
