import datetime as dt
import time

import pytest

from bastion.access.scope import system_scope
from bastion.demo.context import DemoContext
from bastion.orglife import demo
from bastion.orglife.models import Activity, Attendance, BranchCharter, Pledge
from bastion.orglife.selectors import checkpoint_cadre_count, figures
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.people.services import membership_create, person_create

D = dt.date
SMALL = demo.Numbers(online_branches=10, online_activities=23, new_applications=5, assault_team=6,
                     checkpoint_cadres=4, participating=120)


@pytest.fixture
def spine(district):
    """The few records of the spine loader that the org-life loader looks up by name."""
    s = system_scope()
    Organization.objects.filter(kind="temporary_branch").update(established=D(2020, 1, 25))
    yangkou = Organization.objects.get(name="仰口路社區黨委")
    branch = yangkou.add_child(name="仰口路社區第一黨支部", kind="standing_branch", established=D(1970, 1, 1),
                               area=district.communities[0])
    dou = person_create(scope=s, name="竇秀珍", area=district.communities[0], party_status="full",
                        birth_date=D(1942, 10, 12))
    membership_create(scope=s, person=dou, organization=branch, start=D(1975, 7, 1))
    person_create(scope=s, name="王嵩", area=district.communities[3], party_status="activist",
                  birth_date=D(1991, 11, 2))
    return district


def period_figures():
    return figures(scope=system_scope(), period_start=D(2020, 1, 24), period_end=D(2020, 2, 16))


def test_the_loader_makes_the_figures_from_records_and_runs_twice_the_same(spine):
    demo.load_numbers(DemoContext(log=lambda m: None), SMALL)
    got = period_figures()
    assert got["branches.online"] == 10
    assert got["orglife.online_activities"] == 23
    assert got["applications.new"] == 5
    assert got["brands"] == 13
    assert got["teams.assault.members"] == 6
    assert got["members.participating"] == 120
    assert checkpoint_cadre_count(scope=system_scope(), period_start=D(2020, 1, 24), period_end=D(2020, 2, 16)) == 4
    # the named records
    assert Pledge.objects.get(person__name="竇秀珍").kind == "guarantee"
    oath = Activity.objects.get(kind="oath", organization__name__startswith="秀湛路社區")
    assert BranchCharter.objects.get(organization=oath.organization).oath == oath
    assert Person.objects.get(name="王嵩").party_applications.get().stage == "activist"
    # every online branch has a WeChat channel and attendance only of its members
    assert not Organization.objects.filter(kind="online_branch", channel="").exists()
    # when run again, nothing changes
    counts = (Person.objects.count(), Activity.objects.count(), Attendance.objects.count())
    demo.load_numbers(DemoContext(log=lambda m: None), SMALL)
    assert (Person.objects.count(), Activity.objects.count(), Attendance.objects.count()) == counts
    assert period_figures() == got


def test_a_missing_spine_is_named(db):
    with pytest.raises(RuntimeError, match="市南區"):
        demo.load(DemoContext(log=lambda m: None))


def test_the_full_size_loader_is_fast_and_hits_the_seed_figures(spine):
    # CPU time of this process: the machine running the tests may be shared.
    started = time.process_time()
    demo.load(DemoContext(log=print))
    elapsed = time.process_time() - started
    got = period_figures()
    assert got["branches.online"] == 1021
    assert got["orglife.online_activities"] == 2327
    assert got["applications.new"] == 22
    assert got["brands"] == 13
    assert got["teams.assault.members"] == 65
    assert 17_000 <= got["members.participating"] <= 17_999
    assert elapsed < 60, elapsed
