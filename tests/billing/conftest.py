"""Fixtures of the billing tests."""

from tests.bailiffs.conftest import operator  # noqa: F401  (a committed platform operator)
