"""The price of a deposit in credits, under either of the two pricing rules."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class PricingRule(StrEnum):
    # deposit service: 1 credit per deposit (≤ 20 photos or 1 video ≤ 30 s)
    PER_DEPOSIT = "PER_DEPOSIT"
    # certified reports: 1 per photo, 3 per started 15 s of video
    PER_ITEM = "PER_ITEM"


@dataclass(frozen=True)
class Quote:
    credits: int
    rule: PricingRule
    description_fr: str
    description_en: str

    def description(self, locale: str | None) -> str:
        return self.description_en if locale == "en" else self.description_fr


def price(*, rule: PricingRule, photos: int, video_seconds: float | None) -> Quote:
    """The one function that prices a deposit."""
    if rule is PricingRule.PER_DEPOSIT:
        return Quote(1, rule, "1 crédit par dépôt.", "1 credit per deposit.")
    video_credits = 3 * math.ceil(video_seconds / 15) if video_seconds else 0
    credits = photos + video_credits
    return Quote(
        credits,
        rule,
        f"1 crédit par photo, 3 crédits par tranche de 15 s de vidéo entamée : {credits}.",
        f"1 credit per photo, 3 credits per started 15 s of video: {credits}.",
    )


async def organisation_rule(*, session: AsyncSession, organisation_id: uuid.UUID) -> PricingRule:
    """The rule of the organisation's active plan; without a plan, the platform default."""
    found = await session.execute(
        text(
            "SELECT p.pricing_rule FROM subscriptions s "
            "JOIN catalogue_products p ON p.id = s.plan_id "
            "WHERE s.organisation_id = :org AND s.status IN ('ACTIVE', 'PAST_DUE')"
        ),
        {"org": organisation_id},
    )
    rule = found.scalar_one_or_none()
    return PricingRule(str(rule)) if rule in PricingRule.__members__ else PricingRule.PER_DEPOSIT


async def quote_deposit(
    *, session: AsyncSession, organisation_id: uuid.UUID, photos: int, video_seconds: float | None
) -> Quote:
    rule = await organisation_rule(session=session, organisation_id=organisation_id)
    return price(rule=rule, photos=photos, video_seconds=video_seconds)
