"""Widget key and API key types."""

from __future__ import annotations

from datetime import datetime

import strawberry

from probant_tenants.embedding.models import ApiKey as ApiKeyModel
from probant_tenants.embedding.models import WidgetKey as WidgetKeyModel


@strawberry.type
class WidgetKey:
    id: strawberry.ID
    public_key: str
    allowed_origins: list[str]
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, key: WidgetKeyModel) -> WidgetKey:
        return cls(
            id=strawberry.ID(str(key.id)),
            public_key=key.public_key,
            allowed_origins=list(key.allowed_origins),
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, key: ApiKeyModel) -> ApiKey:
        return cls(
            id=strawberry.ID(str(key.id)),
            name=key.name,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


@strawberry.type
class WidgetKeyPayload:
    widget_key: WidgetKey


@strawberry.type(description="The secret is shown here once; Probant keeps only its hash.")
class ApiKeyCreated:
    api_key: ApiKey
    secret: str


@strawberry.type
class RevokedPayload:
    ok: bool
