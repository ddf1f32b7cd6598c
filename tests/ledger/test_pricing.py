"""What a deposit costs and how the quote says it, in both languages, written out."""

from __future__ import annotations

import pytest

from probant_platform.ledger.pricing import PricingRule, Quote, price


def test_the_deposit_service_costs_one_credit_whatever_it_holds() -> None:
    quote = price(rule=PricingRule.PER_DEPOSIT, photos=20, video_seconds=30)
    assert quote == Quote(
        1, PricingRule.PER_DEPOSIT, "1 crédit par dépôt.", "1 credit per deposit."
    )


def test_certified_reports_cost_per_photo_and_per_started_slice_of_video() -> None:
    quote = price(rule=PricingRule.PER_ITEM, photos=3, video_seconds=31)
    assert quote == Quote(
        12,
        PricingRule.PER_ITEM,
        "1 crédit par photo, 3 crédits par tranche de 15 s de vidéo entamée : 12.",
        "1 credit per photo, 3 credits per started 15 s of video: 12.",
    )
    assert price(rule=PricingRule.PER_ITEM, photos=2, video_seconds=None).credits == 2


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "1 credit per deposit."), ("fr", "1 crédit par dépôt."), (None, "1 crédit par dépôt.")],
)
def test_a_quote_speaks_french_unless_english_is_asked(locale: str | None, expected: str) -> None:
    assert (
        price(rule=PricingRule.PER_DEPOSIT, photos=1, video_seconds=None).description(locale)
        == expected
    )
