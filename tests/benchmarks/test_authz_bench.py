"""Authorisation decisions with 10,000 organisations' grants loaded (pytest-benchmark).

`make bench` reports the casbin decision beside a plain dict lookup measured in the same run;
the target is a decision well under 1 ms.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from probant_tenants.authz import Authorizer, Permission
from probant_tenants.models import Role

ORGANISATIONS = 10_000


@pytest.fixture(scope="module")
def loaded() -> tuple[Authorizer, list[tuple[uuid.UUID, uuid.UUID]], dict[tuple[str, str], str]]:
    authorizer = Authorizer.empty()
    grants, members, plain = [], [], {}
    for _ in range(ORGANISATIONS):
        org = uuid.uuid4()
        for role in (Role.OWNER, Role.COLLABORATOR, Role.CLIENT):
            user = uuid.uuid4()
            grants.append([str(user), role.value, str(org)])
            plain[(str(user), str(org))] = role.value
            members.append((user, org))
    authorizer.enforcer.add_grouping_policies(grants)
    return authorizer, members, plain


def test_casbin_decision(benchmark: Any, loaded: Any) -> None:
    # The matcher itself (what a question asked for the first time costs).
    authorizer, members, _ = loaded
    user, org = members[len(members) // 2]
    allowed = benchmark(
        lambda: bool(
            authorizer.enforcer.enforce(
                str(user), str(org), Permission.DEPOSITS_CREATE.obj, Permission.DEPOSITS_CREATE.act
            )
        )
    )
    assert allowed is True


def test_remembered_decision(benchmark: Any, loaded: Any) -> None:
    # `may` as requests call it: the same question again, answered from the decisions kept
    # per organisation until its rules change.
    authorizer, members, _ = loaded
    user, org = members[len(members) // 3]
    allowed = benchmark(
        lambda: authorizer.may(
            user_id=user, organisation_id=org, permission=Permission.DEPOSITS_CREATE
        )
    )
    assert allowed is True


def test_baseline_dict_lookup(benchmark: Any, loaded: Any) -> None:
    _, members, plain = loaded
    user, org = members[len(members) // 2]
    assert benchmark(lambda: plain.get((str(user), str(org)))) is not None
