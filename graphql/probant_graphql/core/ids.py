"""Reading object IDs from clients: Relay global IDs (or raw UUIDs) of one expected type."""

from __future__ import annotations

import uuid

from strawberry import relay


def decode_id(value: str | None, type_name: str) -> uuid.UUID | None:
    """The UUID inside a global ID of `type_name`, or a raw UUID; None for anything else."""
    if not value:
        return None
    try:
        global_id = relay.GlobalID.from_id(str(value))
    except (ValueError, TypeError):
        global_id = None
    try:
        if global_id is not None:
            return uuid.UUID(global_id.node_id) if global_id.type_name == type_name else None
        return uuid.UUID(str(value))
    except ValueError:
        return None
