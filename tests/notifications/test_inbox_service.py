"""The inbox's read side: whose notifications, which kinds concern whom."""

from __future__ import annotations

import uuid

import pytest
from tests.factories import make_organisation

from probant_platform.db import Database, TenantScope
from probant_platform.notifications import inbox
from probant_platform.notifications.kinds import KINDS


def test_office_kinds_concern_offices_and_the_others_everyone_else() -> None:
    office_kinds = {k for k, e in KINDS.items() if inbox.OFFICE_GROUPS & set(e.recipients)}
    assert office_kinds and office_kinds != set(KINDS)
    for kind in KINDS:
        assert inbox.concerns(kind, in_office=True) == (kind in office_kinds)
        assert inbox.concerns(kind, in_office=False) == (kind not in office_kinds)


def test_an_unknown_notification_is_not_found_in_the_readers_language() -> None:
    error = inbox.NotificationNotFound()
    assert error.code == "NOT_FOUND"
    assert error.message("fr") == "Cette notification n'existe pas."
    assert error.message("en") == "This notification does not exist."


async def test_marking_a_notification_that_is_not_yours_read_is_not_found(
    database: Database,
) -> None:
    firm = await make_organisation(database, name="Cabinet Boîte")
    scope = TenantScope(organisation_id=firm.organisation_id, user_id=firm.user_id)
    async with database.unit_of_work(scope) as session:
        with pytest.raises(inbox.NotificationNotFound):
            await inbox.mark_read(
                session=session,
                organisation_id=firm.organisation_id,
                user_id=firm.user_id,
                notification_id=uuid.uuid4(),
            )
        assert (
            await inbox.unread_count(
                session=session, organisation_id=firm.organisation_id, user_id=firm.user_id
            )
            == 0
        )
        assert (
            await inbox.mark_all_read(
                session=session, organisation_id=firm.organisation_id, user_id=firm.user_id
            )
            == 0
        )
