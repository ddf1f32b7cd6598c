"""The directory's rules, decided by the domain: who edits an office's entry, and whether an
office serves a searched place."""

from __future__ import annotations

import uuid

import pytest

from probant_platform.bailiffs.directory import OfficeEditor, OfficeHit
from probant_platform.bailiffs.models import BailiffOffice
from probant_tenants.models import Organisation

OFFICE = uuid.uuid4()


@pytest.mark.parametrize(
    ("acting_in", "manages", "reviews", "allowed"),
    [
        (OFFICE, False, True, True),  # one of its clerks
        (uuid.uuid4(), True, False, True),  # an operator, any office
        (uuid.uuid4(), False, True, False),  # another office's clerk
        (OFFICE, False, False, False),  # in the office, but no reviewer
    ],
)
def test_an_entry_is_edited_by_its_clerks_and_operators_only(
    acting_in: uuid.UUID, manages: bool, reviews: bool, allowed: bool
) -> None:
    editor = OfficeEditor(
        organisation_id=acting_in, manages_offices=manages, reviews_deposits=reviews
    )
    assert editor.may_edit(OFFICE) is allowed


def test_no_office_is_edited_when_the_id_reads_nothing() -> None:
    editor = OfficeEditor(organisation_id=OFFICE, manages_offices=True, reviews_deposits=True)
    assert not editor.may_edit(None)


@pytest.mark.parametrize(
    ("distance", "serves"), [(None, None), (10.0, True), (30.0, True), (30.5, False)]
)
def test_an_office_serves_the_places_within_its_radius(
    distance: float | None, serves: bool | None
) -> None:
    hit = OfficeHit(
        organisation=Organisation(id=OFFICE),
        entry=BailiffOffice(office_id=OFFICE, service_radius_km=30),
        distance_km=distance,
    )
    assert hit.serves_location is serves
