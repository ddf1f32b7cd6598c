"""The two database roles: the owner that migrates, and the application role that only uses."""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from probant_platform.config import Settings

APP_ROLE = "probant_app"


def app_role_password(settings: Settings) -> str:
    return settings.derived_secret("database-application-role")


def app_database_url(owner_url: str, settings: Settings) -> str:
    """The URL the application serves with: the same server, the non-owner role."""
    if settings.app_database_url:
        return settings.app_database_url
    url = make_url(owner_url).set(username=APP_ROLE, password=app_role_password(settings))
    return url.render_as_string(hide_password=False)


def ensure_app_role(connection: Connection, settings: Settings) -> None:
    """Create or refresh the application role: it can log in, owns nothing, never bypasses RLS."""
    if settings.app_database_url:
        return  # provisioned outside Probant (managed database)
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
    ).scalar()
    password = app_role_password(settings).replace("'", "''")
    verb = "ALTER" if exists else "CREATE"
    connection.execute(
        text(
            f"{verb} ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE "
            f"PASSWORD '{password}'"
        )
    )
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {APP_ROLE}'))
