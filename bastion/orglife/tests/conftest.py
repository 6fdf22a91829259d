"""Fixtures for org-life tests: a standing branch with members, on top of the spine's district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from bastion.access.scope import system_scope
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create
from bastion.people.models import Person
from bastion.people.services import membership_create, person_create

D = dt.date


@dataclass
class Branch:
    org: Organization
    community_committee: Organization
    secretary: Person
    members: list[Person]


@pytest.fixture
def sys_scope() -> Any:
    return system_scope()


@pytest.fixture
def branch(district: Any) -> Branch:
    """仰口路社區 第一黨支部, established 2019-01-01, with a secretary and three members."""
    s = system_scope()
    community_committee = Organization.objects.get(name="仰口路社區黨委")
    org = org_create(
        scope=s, name="仰口路社區第一黨支部", kind="standing_branch", parent=community_committee,
        area=district.communities[0], established=D(2019, 1, 1),
    )
    grid = district.grid(0, 0, 0)
    secretary = person_create(scope=s, name="董彰", area=grid, party_status="full", birth_date=D(1970, 5, 1))
    membership_create(scope=s, person=secretary, organization=org, role="secretary", start=D(2019, 1, 1))
    members = []
    for name in ["竇秀珍", "張三", "李四"]:
        p = person_create(scope=s, name=name, area=grid, party_status="full", birth_date=D(1950, 1, 1))
        membership_create(scope=s, person=p, organization=org, start=D(2019, 1, 1))
        members.append(p)
    return Branch(org, community_committee, secretary, members)
