"""Continuous duty: shifts merged across short gaps; long duties leave a warning the care module reads."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.checkpoints import selectors
from bastion.checkpoints.duty import merge
from bastion.checkpoints.models import DutyWarning
from bastion.checkpoints.services import shift_create, shift_delete, shift_end

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2020, 2, day, hour, minute, tzinfo=TZ)


def test_shifts_closer_than_the_gap_merge_and_farther_ones_do_not():
    gap = dt.timedelta(minutes=30)
    shifts = [(1, at(1, 8), at(1, 12)), (1, at(1, 12, 29), at(1, 16)), (1, at(1, 16, 30), at(1, 18)),
              (2, at(1, 9), at(1, 11)), (2, at(1, 10), at(1, 13))]
    duties = merge(shifts, gap=gap, now=at(3, 0))
    assert [(d.person_id, d.start, d.end) for d in duties] == [
        (1, at(1, 8), at(1, 16)),
        (2, at(1, 9), at(1, 13)),
        (1, at(1, 16, 30), at(1, 18)),
    ]


def test_an_open_shift_lasts_until_now():
    (duty,) = merge([(1, at(1, 8), None)], gap=dt.timedelta(minutes=30), now=at(1, 20))
    assert duty.hours == 12


def test_a_continuous_duty_over_twelve_hours_leaves_one_warning(station):
    s = system_scope()
    person, (east, west) = station.leader, station.entrances
    # given three back-to-back shifts at two entrances, 19 hours in all
    shift_create(scope=s, person=person, entrance=east, start=at(1, 6), end=at(1, 12))
    assert not DutyWarning.objects.exists()
    shift_create(scope=s, person=person, entrance=west, start=at(1, 12, 10), end=at(1, 18))
    shift_create(scope=s, person=person, entrance=east, start=at(1, 18, 20), end=at(2, 1))
    # then one warning covers the whole duty, readable through the care module's selector
    (warning,) = selectors.duty_warning_list(scope=s)
    assert (warning.person, warning.site, warning.start, warning.end) == (person, station.site, at(1, 6), at(2, 1))
    assert warning.hours == 19
    assert selectors.site_figures(scope=s, site=station.site)["longest_continuous_duty_hours"] == 19
    assert list(selectors.duty_warning_list(scope=s, since=at(2, 2))) == []


def test_removing_a_shift_shortens_or_clears_the_warning(station):
    s = system_scope()
    person, east = station.leader, station.entrances[0]
    shift_create(scope=s, person=person, entrance=east, start=at(1, 6), end=at(1, 14))
    bridge = shift_create(scope=s, person=person, entrance=east, start=at(1, 14), end=at(1, 20))
    first_id = DutyWarning.objects.get().pk
    shift_create(scope=s, person=person, entrance=east, start=at(1, 20, 15), end=at(1, 23))
    # the warning grows in place: the care module's reference stays valid
    assert DutyWarning.objects.get().pk == first_id and DutyWarning.objects.get().hours == 17
    shift_delete(scope=s, shift=bridge)
    assert not DutyWarning.objects.exists()


def test_ending_an_open_shift_settles_the_duty(station):
    s = system_scope()
    shift = shift_create(scope=s, person=station.leader, entrance=station.entrances[0], start=at(1, 6))
    shift_end(scope=s, shift=shift, end=at(1, 20))
    assert DutyWarning.objects.get().hours == 14
    with pytest.raises(ValidationError) as exc:
        shift_end(scope=s, shift=shift, end=at(1, 21))
    assert "end" in exc.value.message_dict


def test_a_shift_must_end_after_it_starts(station):
    with pytest.raises(ValidationError) as exc:
        shift_create(scope=system_scope(), person=station.leader, entrance=station.entrances[0],
                     start=at(1, 9), end=at(1, 8))
    assert "end" in exc.value.message_dict


def test_warnings_are_scoped_to_who_may_see_the_site(district, station, make_user, scope_of):
    s = system_scope()
    shift_create(scope=s, person=station.leader, entrance=station.entrances[0], start=at(1, 0), end=at(1, 13))
    team_member = scope_of(make_user("checkpoint_member", org=station.team))
    other_street = scope_of(make_user("street_officer", area=district.streets[1]))
    assert len(selectors.duty_warning_list(scope=team_member)) == 1
    assert list(selectors.duty_warning_list(scope=other_street)) == []


def test_a_member_of_another_street_cannot_record_shifts_here(district, station, make_user, scope_of):
    outsider = scope_of(make_user("street_officer", area=district.streets[1]))
    with pytest.raises(PermissionDenied):
        shift_create(scope=outsider, person=station.leader, entrance=station.entrances[0], start=at(1, 6))
