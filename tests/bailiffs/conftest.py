"""Fixtures of the bailiff tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tests.factories import MemberInfo, Role, add_member, make_organisation, unique_email

from probant_platform.db import Database
from probant_tenants.models import OrganisationKind
from probant_tenants.operators import register_operators


@pytest.fixture
async def operator(app_url: str, owner_url: str) -> AsyncIterator[MemberInfo]:
    """A platform operator, committed (only the schema owner may register operators)."""
    committed = Database(app_url, pool_size=1)
    try:
        platform = await make_organisation(
            committed, kind=OrganisationKind.PLATFORM, email=unique_email("platform")
        )
        member = await add_member(
            committed, platform, role=Role.OPERATOR, email=unique_email("ops")
        )
    finally:
        await committed.dispose()
    register_operators(owner_url, [member.user_id])
    yield member
