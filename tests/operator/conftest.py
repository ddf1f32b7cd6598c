"""Fixtures of the operator console tests: a committed platform operator."""

from tests.bailiffs.helpers import operator

__all__ = ["operator"]
