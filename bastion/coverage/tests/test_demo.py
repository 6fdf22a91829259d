"""The coverage and screening demo loaders, on the small test district with the named people added."""

import datetime as dt

import pytest

from bastion.access.scope import system_scope
from bastion.coverage import demo as coverage_demo
from bastion.coverage.models import BuildingHead, Household, Resident, Responsibility
from bastion.coverage.selectors import household_list
from bastion.demo.context import DemoContext
from bastion.people.services import membership_create, person_create
from bastion.screening import demo as screening_demo
from bastion.screening.models import Isolation, ReleaseRecord, ScreeningTask, ScreeningVisit


def _named_people(district):
    s = system_scope()
    for index, branch in enumerate(district.pioneer_branches):
        secretary = person_create(scope=s, name=f"書記{index}", area=district.grids[index])
        membership_create(scope=s, person=secretary, organization=branch, role="secretary", start=dt.date(2020, 1, 25))
    dou = person_create(scope=s, name="竇秀珍", area=district.communities[0])
    membership_create(
        scope=s, person=dou, organization=district.pioneer_branches[0], role="member", start=dt.date(2020, 1, 1)
    )
    person_create(scope=s, name="岳曉露", area=district.communities[2])


def _load(communities):
    ctx = DemoContext(log=lambda *a: None)
    coverage_demo.load_into(
        ctx, coverage_demo.Sizes(communities=communities, households_per_community=40, volunteer_households=3)
    )
    screening_demo.load_into(ctx, communities, isolations_per_community=4)


def _state():
    return [
        m.objects.count()
        for m in (
            Household,
            Resident,
            Responsibility,
            BuildingHead,
            ScreeningVisit,
            Isolation,
            ReleaseRecord,
            ScreeningTask,
        )
    ]


def test_loaders_fill_the_named_communities_and_are_idempotent(district):
    _named_people(district)
    communities = ["仰口路社區", "秀湛路社區", "西藏路社區"]
    _load(communities)
    first = _state()
    # households and residents in each named community, a building head, grid responsibilities
    assert Household.objects.count() >= 3 * 40
    assert BuildingHead.objects.filter(person__name="竇秀珍").count() == 1
    dou = Responsibility.objects.get(member__name="竇秀珍")
    assert Household.objects.filter(building=dou.building).count() == 9
    # 岳曉露 checks screening information in 西藏路社區
    assert ScreeningVisit.objects.filter(
        member__name="岳曉露", grid__path__startswith=district.communities[2].path
    ).exists()
    # everything happened in the period, and some isolations ended with a release record
    assert not ScreeningVisit.objects.exclude(at__date__range=(dt.date(2020, 1, 24), dt.date(2020, 2, 16))).exists()
    assert ReleaseRecord.objects.exists() and ScreeningTask.objects.filter(source="青島火車站").count() == 3
    # the grid whose secretary went to checkpoint duty is a real gap
    assert household_list(scope=system_scope(), area=district.communities[1], uncovered=True).exists()
    # a second run changes nothing
    _load(communities)
    assert _state() == first


def test_loader_names_what_is_missing(db):
    with pytest.raises(coverage_demo.DemoDataMissing, match="仰口路社區"):
        coverage_demo.load_into(DemoContext(log=lambda *a: None), coverage_demo.Sizes(communities=["仰口路社區"]))
