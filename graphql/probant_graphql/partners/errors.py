"""The partner domain's error codes as GraphQL errors (no type of their own)."""

from __future__ import annotations

from probant_graphql.core.errors import NotAllowed, NotFound, invalid_input, register

register("API_CLIENT_NOT_FOUND", NotFound)
register("API_CLIENTS_NOT_AVAILABLE", NotAllowed)
register("INVALID_PERSISTED_QUERY", invalid_input("queries"))
register("INVALID_EVENTS", invalid_input("events"))
# Other refusals of a client are about its scopes.
CLIENT_FIELD = "scopes"
# Other refusals of an endpoint are about its address.
ENDPOINT_FIELD = "url"
