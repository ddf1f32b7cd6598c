"""Finding the database: the configured server, or the embedded one in the data folder."""

from __future__ import annotations

from probant_platform.config import Settings
from probant_platform.db.embedded import start_embedded
from probant_platform.db.roles import app_database_url


def owner_url(settings: Settings) -> str:
    """The URL that owns the schema (used to migrate)."""
    if settings.database_url:
        return settings.database_url
    _server, url = start_embedded(settings.data_dir)  # kept (and released) by the module
    return url


def application_url(settings: Settings) -> str:
    """The URL the application serves with, as the non-owner role."""
    return app_database_url(owner_url(settings), settings)
