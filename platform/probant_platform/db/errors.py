"""Recognising database errors, whose text may quote SQL and parameters: never shown to clients."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError


def is_database_error(error: BaseException | None) -> bool:
    """Whether `error`, or anything that caused it, came from the database driver."""
    while error is not None:
        if isinstance(error, SQLAlchemyError) or type(error).__module__.startswith("psycopg"):
            return True
        error = error.__cause__ or error.__context__
    return False
