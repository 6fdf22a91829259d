"""A railway station with entrances and a team, on top of the shared district fixture."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.areas.models import Area
from bastion.areas.services import area_create
from bastion.checkpoints.models import Entrance
from bastion.checkpoints.services import entrance_create
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create
from bastion.people.models import Person
from bastion.people.services import membership_create, person_create


@dataclass
class Station:
    site: Area
    entrances: list[Entrance]
    team: Organization
    group: Organization
    leader: Person
    members: list[Person]


def make_station(district: Any, name: str = "青島火車站", n_entrances: int = 2, n_members: int = 3) -> Station:
    s = system_scope()
    site = area_create(scope=s, name=name, kind="site", site_type="station", parent=district.streets[0])
    entrances = [entrance_create(scope=s, site=site, name=f"{i + 1}號口") for i in range(n_entrances)]
    team = org_create(
        scope=s, name=f"{name}臨時黨支部", kind="temporary_branch", purpose="checkpoint_team",
        parent=district.committee, covered_areas=[site], established=dt.date(2020, 1, 25),
    )
    group = org_create(scope=s, name=f"{name}第一黨小組", kind="party_group", parent=team)
    leader = person_create(scope=s, name=f"{name}組長", area=district.communities[0])
    membership_create(scope=s, person=leader, organization=group, role="group_leader", start=dt.date(2020, 1, 28))
    members = [leader]
    for i in range(n_members - 1):
        p = person_create(scope=s, name=f"{name}隊員{i + 1}", area=district.communities[0], phone="13800138000")
        membership_create(scope=s, person=p, organization=group, role="member", start=dt.date(2020, 1, 28))
        members.append(p)
    return Station(site, entrances, team, group, leader, members)


@pytest.fixture
def station(district: Any) -> Station:
    return make_station(district)


@pytest.fixture
def reading():
    """A valid reading row for the batch API."""

    def make(entrance: Entrance, temperature: Any = 36.6, **extra: Any) -> dict[str, Any]:
        row = {
            "uuid": str(uuid.uuid4()),
            "entrance": entrance.pk,
            "temperature": temperature,
            "measured_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
        }
        row.update(extra)
        return row

    return make
