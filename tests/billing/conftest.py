"""Fixtures of the billing tests: a local Stripe stand-in and settings pointing at it
(`tests.billing.helpers`), a committed platform operator (`tests.bailiffs.helpers`)."""

from tests.bailiffs.helpers import operator
from tests.billing.helpers import stripe_api, stripe_settings

__all__ = ["operator", "stripe_api", "stripe_settings"]
