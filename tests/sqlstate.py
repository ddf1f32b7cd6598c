"""Asserting the database's refusal by its SQLSTATE, not by any exception that happens along."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import DBAPIError

INSUFFICIENT_PRIVILEGE = "42501"  # revoked rights, RLS WITH CHECK, append-only triggers
RAISE_EXCEPTION = "P0001"  # a trigger's plain RAISE EXCEPTION
UNDEFINED_TABLE = "42P01"


@contextmanager
def refused(sqlstate: str, match: str | None = None) -> Iterator[pytest.ExceptionInfo[DBAPIError]]:
    """The block must fail with this SQLSTATE (and, if given, a message matching `match`)."""
    with pytest.raises(DBAPIError, match=match) as info:
        yield info
    found = getattr(info.value.orig, "sqlstate", None)
    assert found == sqlstate, f"expected SQLSTATE {sqlstate}, got {found}: {info.value.orig}"
