import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.orglife.models import ComplianceRule
from bastion.orglife.selectors import branches_behind, compliance
from bastion.orglife.services import activity_create, compliance_rule_set

D = dt.date


def kinds(row, late=True):
    return sorted({(g.kind, g.start.isoformat()) for g in (row.late if late else row.due)})


def test_default_rules_are_members_quarterly_and_committee_group_theme_day_monthly(db):
    rules = {r.activity_kind: r.every_months for r in ComplianceRule.objects.filter(organization=None)}
    assert rules == {"members_meeting": 3, "committee_meeting": 1, "group_meeting": 1, "theme_day": 1}


def test_missing_required_activities_are_listed_per_branch(branch):
    s = system_scope()
    # given a branch that held a committee meeting in January and a theme day in February only
    activity_create(scope=s, organization=branch.org, kind="committee_meeting", date=D(2020, 1, 10), topic="支委會")
    activity_create(scope=s, organization=branch.org, kind="theme_day", date=D(2020, 2, 5), topic="主題黨日")
    # when compliance is computed for January-February, seen on 5 March
    [row] = [r for r in compliance(scope=s, period_start=D(2020, 1, 1), period_end=D(2020, 2, 29),
                                   today=D(2020, 3, 5)) if r.branch == branch.org]
    # then the missing ones are late; the quarterly members' meeting is only due
    assert kinds(row) == [
        ("committee_meeting", "2020-02-01"),
        ("group_meeting", "2020-01-01"),
        ("group_meeting", "2020-02-01"),
        ("theme_day", "2020-01-01"),
    ]
    assert kinds(row, late=False) == [("members_meeting", "2020-01-01")]


def test_a_superior_sees_the_branches_behind(branch, district):
    s = system_scope()
    for month in (1, 2):
        for kind in ("committee_meeting", "group_meeting", "theme_day"):
            activity_create(scope=s, organization=branch.org, kind=kind, date=D(2020, month, 3), topic=kind)
    activity_create(scope=s, organization=branch.org, kind="members_meeting", date=D(2020, 1, 3), topic="大會")
    behind = branches_behind(scope=s, period_start=D(2020, 1, 1), period_end=D(2020, 2, 29),
                             under=branch.community_committee, today=D(2020, 4, 1))
    assert branch.org not in [r.branch for r in behind]
    # the pioneer branches of the same community held nothing
    assert {r.branch for r in behind} == set(district.pioneer_branches[:2])


def test_a_nearer_rule_overrides_the_default_and_zero_lifts_it(branch):
    s = system_scope()
    compliance_rule_set(scope=s, organization=branch.community_committee, activity_kind="group_meeting", every_months=0)
    compliance_rule_set(scope=s, organization=branch.community_committee, activity_kind="party_lecture",
                        every_months=3)
    [row] = [r for r in compliance(scope=s, period_start=D(2020, 1, 1), period_end=D(2020, 1, 31),
                                   today=D(2020, 6, 1), branches=None, under=branch.org)]
    found = {g.kind for g in row.gaps}
    assert "group_meeting" not in found and "party_lecture" in found


def test_windows_before_a_branch_existed_are_not_required(branch, district):
    s = system_scope()
    pioneer = district.pioneer_branches[0]
    type(pioneer).objects.filter(pk=pioneer.pk).update(established=D(2020, 2, 1))
    [row] = [r for r in compliance(scope=s, period_start=D(2020, 1, 1), period_end=D(2020, 2, 29),
                                   today=D(2020, 3, 5)) if r.branch == pioneer]
    assert all(g.start >= D(2020, 1, 1) and g.end >= D(2020, 2, 1) for g in row.gaps)
    assert ("theme_day", "2020-01-01") not in kinds(row)


def test_rule_values_are_checked_and_global_rules_need_a_system_administrator(branch, make_user, scope_of, district):
    with pytest.raises(ValidationError):
        compliance_rule_set(scope=system_scope(), activity_kind="theme_day", every_months=5)
    officer = scope_of(make_user("street_officer", area=district.streets[0]))
    with pytest.raises(PermissionDenied):
        compliance_rule_set(scope=officer, activity_kind="theme_day", every_months=3)
