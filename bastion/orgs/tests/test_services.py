import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bastion.access.scope import system_scope
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create, org_dissolve, org_move, org_update


def test_a_pioneer_branch_covers_grids_only(district):
    parent = district.pioneer_branches[0].get_parent()
    with pytest.raises(ValidationError) as exc:
        org_create(
            scope=system_scope(),
            name="錯誤支部",
            kind="temporary_branch",
            purpose="grid_pioneer",
            parent=parent,
            covered_areas=[district.communities[0]],
        )
    assert "covered_areas.0" in exc.value.message_dict
    assert not Organization.objects.filter(name="錯誤支部").exists()


def test_a_temporary_branch_needs_a_purpose_and_an_online_branch_a_channel(district):
    s = system_scope()
    with pytest.raises(ValidationError) as exc:
        org_create(scope=s, name="臨時支部", kind="temporary_branch", parent=district.committee)
    assert "purpose" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        org_create(scope=s, name="線上支部", kind="online_branch", parent=district.committee)
    assert "channel" in exc.value.message_dict
    online = org_create(
        scope=s, name="線上支部", kind="online_branch", channel="仰口路黨員群", parent=district.committee
    )
    assert online.channel == "仰口路黨員群"


def test_a_party_group_sits_inside_a_branch_only(district):
    with pytest.raises(ValidationError) as exc:
        org_create(scope=system_scope(), name="第一黨小組", kind="party_group", parent=district.committee)
    assert "parent" in exc.value.message_dict
    group = org_create(scope=system_scope(), name="第一黨小組", kind="party_group", parent=district.pioneer_branches[0])
    assert group.get_parent() == district.pioneer_branches[0]


def test_dissolving_before_establishment_is_refused(district):
    branch = district.pioneer_branches[0]
    org_update(scope=system_scope(), org=branch, established=dt.date(2020, 1, 26))
    with pytest.raises(ValidationError) as exc:
        org_dissolve(scope=system_scope(), org=branch, on=dt.date(2020, 1, 1))
    assert "dissolved" in exc.value.message_dict
    branch.refresh_from_db()
    assert branch.dissolved is None


def test_an_organisation_cannot_move_under_its_descendant(district):
    street_committee = district.pioneer_branches[0].get_parent().get_parent()
    community_committee = district.pioneer_branches[0].get_parent()
    with pytest.raises(ValidationError):
        org_move(scope=system_scope(), org=street_committee, new_parent=community_committee)


def test_coverage_changes_are_audited(district):
    from bastion.core.audit import events_for

    branch = district.pioneer_branches[0]
    org_update(scope=system_scope(), org=branch, covered_areas=[district.grids[0], district.grids[1]])
    event = events_for(branch).first()
    assert event.verb == "organization.update"
    assert event.diff["covered_areas"][1] == sorted([district.grids[0].pk, district.grids[1].pk])
