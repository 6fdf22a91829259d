"""The demo station shows the seed's figures, computed from its records, and loads idempotently."""

from __future__ import annotations

import datetime as dt

from bastion.access.scope import system_scope
from bastion.checkpoints import demo, selectors
from bastion.checkpoints.models import DutyWarning, Reading, Referral, Shift, Tally
from bastion.demo.context import DemoContext
from bastion.orgs.models import Organization
from bastion.people.models import Membership
from bastion.screening.models import ScreeningTask

PERIOD = {"start": dt.date(2020, 1, 24), "end": dt.date(2020, 2, 16)}


def test_the_demo_station_has_the_seed_figures_from_its_records(district):
    # given the district of the shared fixture (no station yet, no 蓋海建)
    ctx = DemoContext(log=lambda *a: None)
    # when the checkpoint demo loads twice
    demo.load(ctx)
    counts = [m.objects.count() for m in (Reading, Tally, Shift, Referral, DutyWarning, Membership)]
    demo.load(ctx)
    # then the second run changed nothing
    assert [m.objects.count() for m in (Reading, Tally, Shift, Referral, DutyWarning, Membership)] == counts
    s = system_scope()
    site = selectors.site_list(scope=s).get(name="青島火車站")
    figures = selectors.site_figures(scope=s, site=site, **PERIOD)
    assert {k: figures[k] for k in ("team_members", "entrances", "person_times", "longest_continuous_duty_hours")} == {
        "team_members": 12, "entrances": 6, "person_times": 8674, "longest_continuous_duty_hours": 19,
    }
    # and 蓋海建 leads the first party group from 2020-01-28, and worked the 19 hours
    leader = Membership.objects.get(person__name="蓋海建", organization__name="第一黨小組")
    assert (leader.role, leader.start) == ("group_leader", dt.date(2020, 1, 28))
    team = Organization.objects.get(name=demo.TEAM_NAME)
    assert leader.organization.get_parent() == team and team.covered_areas.get() == site
    longest = selectors.duty_warning_list(scope=s).order_by("-hours").first()
    assert (longest.person.name, longest.hours) == ("蓋海建", 19)
    # and fevers were referred, one into a community of the district with a screening task
    assert figures["fevers"] == 6 and figures["referrals"] == 4
    assert selectors.referral_outcome_counts(scope=s, site=site) == {"fever_clinic": 2, "released": 1, "pending": 1}
    assert ScreeningTask.objects.filter(area__name="西藏路社區", name="李明").exists()


def test_the_figures_follow_the_records(district):
    demo.load(DemoContext(log=lambda *a: None))
    s = system_scope()
    site = selectors.site_list(scope=s).get(name="青島火車站")
    tally = Tally.objects.filter(count__gt=0).first()
    tally.count -= 1
    tally.save()
    Shift.objects.filter(person__name="蓋海建", start=demo.at(demo.FIRST_DAY, 12, 10)).delete()
    figures = selectors.site_figures(scope=s, site=site, **PERIOD)
    assert figures["person_times"] == 8673
    assert figures["longest_continuous_duty_hours"] == 13


def test_a_team_member_of_the_demo_sees_the_station_and_not_the_rest_of_the_district(district, make_user,
                                                                                     scope_of):
    demo.load(DemoContext(log=lambda *a: None))
    member = scope_of(make_user("checkpoint_member", org=Organization.objects.get(name=demo.TEAM_NAME)))
    assert [s.name for s in selectors.site_list(scope=member)] == ["青島火車站"]
    assert not member.has("checkpoint.manage")
    assert member.area_paths("person.view") == [selectors.site_list(scope=member).get().path]
