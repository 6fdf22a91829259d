import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bastion.access.scope import system_scope
from bastion.orglife.models import BranchCharter
from bastion.orglife.selectors import assault_team_members, participating_count
from bastion.orglife.services import (
    AttendanceEntry,
    activity_create,
    temporary_branch_add_member,
    temporary_branch_dissolve,
    temporary_branch_establish,
)
from bastion.orgs.models import Organization
from bastion.people.models import Membership

D = dt.date


def test_establishing_a_temporary_branch_records_decision_secretary_and_oath(district, branch):
    s = system_scope()
    # given the grid of 秀湛路社區 and a cadre
    community_committee = Organization.objects.get(name="秀湛路社區黨委")
    grid = district.grid(0, 1, 0)
    # when the street committee establishes a pioneer branch with a secretary
    org = temporary_branch_establish(
        scope=s, name="秀湛路社區先鋒防控小組臨時黨支部", parent=community_committee, purpose="grid_pioneer",
        decided_by="湛山街道黨工委", decided_on=D(2020, 1, 26), covered_areas=[grid], secretary=branch.secretary,
    )
    # then the branch, its coverage and its charter exist
    assert org.kind == "temporary_branch" and org.established == D(2020, 1, 26)
    assert list(org.covered_areas.all()) == [grid]
    charter = BranchCharter.objects.get(organization=org)
    assert charter.decided_by == "湛山街道黨工委"
    assert charter.secretary.person == branch.secretary and charter.secretary.role == "secretary"
    # the secretary keeps the home branch
    assert Membership.objects.filter(person=branch.secretary, organization=branch.org, end__isnull=True).exists()
    # and the oath, recorded as an activity, becomes the charter's oath
    oath = activity_create(scope=s, organization=org, kind="oath", date=D(2020, 1, 27), topic="火線入黨宣誓",
                           attendance=[AttendanceEntry(branch.secretary)])
    charter.refresh_from_db()
    assert charter.oath == oath


def test_a_branch_is_not_established_before_it_is_decided(district, branch):
    with pytest.raises(ValidationError) as err:
        temporary_branch_establish(
            scope=system_scope(), name="x", parent=branch.community_committee, purpose="assault_team",
            decided_by="區委組織部", decided_on=D(2020, 1, 26), established=D(2020, 1, 25),
        )
    assert "established" in err.value.message_dict
    assert not Organization.objects.filter(name="x").exists()


def test_a_decision_needs_a_decider(branch):
    with pytest.raises(ValidationError) as err:
        temporary_branch_establish(scope=system_scope(), name="x", parent=branch.community_committee,
                                   purpose="assault_team", decided_by=" ", decided_on=D(2020, 1, 26))
    assert "decided_by" in err.value.message_dict


def test_dissolving_ends_temporary_memberships_and_keeps_home_ones(district, branch):
    s = system_scope()
    team = temporary_branch_establish(
        scope=s, name="疫情防控突擊隊臨時黨支部", parent=district.committee, purpose="assault_team",
        decided_by="區委組織部", decided_on=D(2020, 1, 25), secretary=branch.secretary,
    )
    for member in branch.members:
        temporary_branch_add_member(scope=s, org=team, person=member, start=D(2020, 1, 25))
    assert assault_team_members(scope=s, period_start=D(2020, 1, 24), period_end=D(2020, 2, 16)) == 4
    temporary_branch_dissolve(scope=s, org=team, on=D(2020, 3, 31))
    team.refresh_from_db()
    assert team.dissolved == D(2020, 3, 31)
    assert not Membership.objects.filter(organization=team, end__isnull=True).exists()
    assert Membership.objects.filter(organization=branch.org, end__isnull=True).count() == 4
    # they still count in the period they served, and no longer after it
    assert assault_team_members(scope=s, period_start=D(2020, 1, 24), period_end=D(2020, 2, 16)) == 4
    assert assault_team_members(scope=s, period_start=D(2020, 4, 1), period_end=D(2020, 4, 30)) == 0
    assert participating_count(scope=s, period_start=D(2020, 4, 1), period_end=D(2020, 4, 30)) == 0


def test_only_temporary_branches_are_dissolved_here(branch):
    with pytest.raises(ValidationError):
        temporary_branch_dissolve(scope=system_scope(), org=branch.org, on=D(2020, 3, 1))
