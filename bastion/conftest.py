"""Shared fixtures: a small district tree, users holding grants, API clients."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from bastion.access.models import Grant, User
from bastion.access.scope import resolve_scope, system_scope
from bastion.areas.models import Area
from bastion.areas.services import area_create
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create

_seq = itertools.count(1)


@dataclass
class District:
    district: Area
    streets: list[Area]
    communities: list[Area]
    grids: list[Area]
    committee: Organization
    pioneer_branches: list[Organization]

    def grid(self, street: int, community: int, grid: int) -> Area:
        return self.grids[street * 4 + community * 2 + grid]


@pytest.fixture
def district(db: Any) -> District:
    """市南區 with 2 streets × 2 communities × 2 grids, and one pioneer branch per grid."""
    s = system_scope()
    d = area_create(scope=s, name="市南區", kind="district", code="370202", code_year=2020)
    committee = org_create(scope=s, name="市南區委", kind="district_committee", area=d)
    streets, communities, grids, branches = [], [], [], []
    for si, sname in enumerate(["湛山街道", "八大峽街道"]):
        st = area_create(scope=s, name=sname, kind="street", parent=d, code=f"370202{si + 1:03d}000", code_year=2020)
        streets.append(st)
        st_org = org_create(scope=s, name=f"{sname}黨工委", kind="street_committee", parent=committee, area=st)
        for ci in range(2):
            cname = ["仰口路社區", "秀湛路社區", "西藏路社區", "團島社區"][si * 2 + ci]
            c = area_create(
                scope=s, name=cname, kind="community", parent=st, code=f"370202{si + 1:03d}{ci + 1:03d}", code_year=2020
            )
            communities.append(c)
            c_org = org_create(scope=s, name=f"{cname}黨委", kind="community_committee", parent=st_org, area=c)
            for gi in range(2):
                g = area_create(scope=s, name=f"{cname}第{gi + 1}網格", kind="grid", parent=c)
                grids.append(g)
                branches.append(
                    org_create(
                        scope=s,
                        name=f"{g.name}先鋒防控小組臨時黨支部",
                        kind="temporary_branch",
                        purpose="grid_pioneer",
                        parent=c_org,
                        area=c,
                        covered_areas=[g],
                    )
                )
    return District(d, streets, communities, grids, committee, branches)


@pytest.fixture
def make_user(db: Any):
    def make(role: str | None = None, *, area: Area | None = None, org: Organization | None = None,
             superuser: bool = False, person: Any = None) -> User:
        n = next(_seq)
        user = User.objects.create_user(
            username=f"user{n}", password="correct horse battery", is_superuser=superuser, person=person
        )
        if role:
            Grant.objects.create(user=user, role=role, area=area, organization=org)
        return user

    return make


@pytest.fixture
def scope_of():
    return resolve_scope


@pytest.fixture
def client_for():
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
