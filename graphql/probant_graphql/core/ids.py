"""Reading object IDs from clients: Relay global IDs (or raw UUIDs) of one expected type.

The one decoder of the API: every resolver reads an ID argument through `decode_id` (or
`require_id`, which raises the domain's own not-found error for the runner to map).
"""

from __future__ import annotations

import uuid

from strawberry import relay

from probant_platform.errors import DomainError


def decode_id(value: str | None, type_name: str) -> uuid.UUID | None:
    """The UUID inside a global ID of `type_name`, or a raw UUID; None for anything else."""
    if not value:
        return None
    try:  # a raw UUID first: a global ID (base64 of `Type:uuid`) never parses as one
        return uuid.UUID(str(value))
    except ValueError:
        pass
    try:
        global_id = relay.GlobalID.from_id(str(value))
        return uuid.UUID(global_id.node_id) if global_id.type_name == type_name else None
    except (ValueError, TypeError):
        return None


def require_id(value: str | None, type_name: str, missing: type[DomainError]) -> uuid.UUID:
    """`decode_id`, raising `missing()` (the domain's not-found error) when it reads nothing."""
    found = decode_id(value, type_name)
    if found is None:
        raise missing()
    return found
