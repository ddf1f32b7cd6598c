"""Fixtures of the bailiff tests (defined in `tests.bailiffs.helpers`, which other folders'
fixtures import from too)."""

from tests.bailiffs.helpers import operator

__all__ = ["operator"]
