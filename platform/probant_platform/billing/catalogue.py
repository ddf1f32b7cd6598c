"""What can be bought: credit packs and monthly plans. Amounts are integer cents, VAT 20 %.

From the product rules: 1 credit = 9.90 € TTC (8.25 € HT); packs of 6, 12 and 30 are
degressive; Premium gives 60 credits a month and 5 seats, Business 180 and 20 seats. These
are the defaults migration 0700 seeds into `billing_products`; operators edit the stored
catalogue from then on (billing/products.py).
"""

from __future__ import annotations

from dataclasses import dataclass

VAT_RATE_PERCENT = 20


def vat_split(ttc_cents: int) -> tuple[int, int]:
    """(HT, VAT) such that HT + VAT == TTC exactly."""
    ht = round(ttc_cents * 100 / (100 + VAT_RATE_PERCENT))
    return ht, ttc_cents - ht


@dataclass(frozen=True)
class Pack:
    id: str
    credits: int
    price_ttc_cents: int


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    monthly_credits: int
    seats: int
    price_ttc_cents: int
    rollover: bool


UNIT_PRICE_TTC_CENTS = 990
PACKS = (
    Pack("pack-1", 1, 990),
    Pack("pack-6", 6, 5_640),
    Pack("pack-12", 12, 10_680),
    Pack("pack-30", 30, 23_700),
)
PLANS = (
    Plan("premium", "Premium", 60, 5, 39_900, rollover=False),
    Plan("business", "Business", 180, 20, 99_000, rollover=False),
)
