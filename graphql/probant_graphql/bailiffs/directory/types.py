"""The directory's inputs, payloads and result unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from probant_graphql.bailiffs.types import BailiffOffice
from probant_graphql.core.errors import CommonErrors
from probant_graphql.tenancy.types import OfficeChoice
from probant_platform.bailiffs import directory


@strawberry.input
class GeoPointInput:
    latitude: float
    longitude: float


@strawberry.input(description="What an office (or an operator) sets in its directory entry.")
class BailiffOfficeSettingsInput:
    latitude: float | None = None
    longitude: float | None = None
    service_radius_km: int | None = None
    accepts_deposits: bool | None = None
    constat_price_ttc_cents: int | None = None
    contact_email: str | None = None

    def to_domain(self) -> directory.OfficeSettings:
        return directory.OfficeSettings(**vars(self))


@strawberry.type
class OfficeChosen:
    office_choice: OfficeChoice  # type: ignore[valid-type]
    preferred_office: BailiffOffice | None


@strawberry.type
class OfficeProposed:
    message: str


@strawberry.type
class OfficeUpdated:
    office: BailiffOffice


ChooseResult = Annotated[OfficeChosen | CommonErrors, strawberry.union("ChooseBailiffOfficeResult")]
ProposeResult = Annotated[
    OfficeProposed | CommonErrors, strawberry.union("ProposeBailiffOfficeResult")
]
UpdateResult = Annotated[
    OfficeUpdated | CommonErrors, strawberry.union("UpdateBailiffOfficeResult")
]
