import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.coverage import selectors, services
from bastion.coverage.models import Household, Resident, Responsibility
from bastion.coverage.tests.helpers import ID_A, assign, household, member, resident, volunteer_user


def test_duplicate_address_is_refused_with_a_pointer_to_the_existing_household(district):
    # given a registered household
    first = household(district.grids[0], room="101")
    # when the same address is entered again, in traditional script and with extra spaces
    with pytest.raises(ValidationError) as exc:
        services.household_create(
            scope=system_scope(), grid=district.grids[0], street="仰口路 1號", building="1號樓", unit="1", room=" 101 "
        )
    # then it is refused, pointing at the existing household, and nothing new is written
    assert f"/coverage/households/{first.pk}/" in exc.value.message_dict["room"][0]
    assert Household.objects.count() == 1


def test_same_building_in_another_grid_is_refused(district):
    household(district.grids[0], room="101")
    with pytest.raises(ValidationError) as exc:
        household(district.grids[1], room="102")
    assert "building" in exc.value.message_dict


def test_resident_with_bad_id_checksum_is_refused_and_nothing_written(district):
    hh = household(district.grids[0])
    with pytest.raises(ValidationError) as exc:
        services.resident_add(
            scope=system_scope(), household=hh, relation="head", name="王五", id_number=ID_A[:-1] + "8"
        )
    assert "id_number" in exc.value.message_dict
    assert Resident.objects.count() == 0


def test_a_person_lives_in_one_household_at_a_time(district):
    a = household(district.grids[0], room="101")
    b = household(district.grids[0], room="102")
    person = resident(a, name="王五")
    services.resident_add(scope=system_scope(), household=b, relation="head", person=person)
    assert list(Resident.objects.filter(person=person, moved_out__isnull=True).values_list("household", flat=True)) == [
        b.pk
    ]


def test_volunteer_registers_residents_only_in_households_they_answer_for(district, make_user, scope_of):
    user, me = volunteer_user(district, make_user)
    mine = household(district.grids[0], room="101")
    other = household(district.grids[0], room="102")
    assign(me, household=mine)
    scope = scope_of(user)
    r = services.resident_add(scope=scope, household=mine, relation="head", name="趙六", id_number=ID_A)
    assert r.person.id_number == ID_A
    assert AuditEvent.objects.filter(verb="resident.add", actor=user).exists()
    with pytest.raises(PermissionDenied):
        services.resident_add(scope=scope, household=other, relation="head", name="錢七")


def test_responsibility_needs_a_current_member(district):
    hh = household(district.grids[0])
    outsider = resident(hh, name="路人")
    with pytest.raises(ValidationError) as exc:
        services.responsibility_assign(scope=system_scope(), member=outsider, household=hh)
    assert "member" in exc.value.message_dict


def test_responsibility_cannot_end_before_it_starts(district):
    hh = household(district.grids[0])
    m = member(district)
    with pytest.raises(ValidationError) as exc:
        services.responsibility_assign(
            scope=system_scope(), member=m, household=hh, start=dt.date(2020, 2, 1), end=dt.date(2020, 1, 1)
        )
    assert "end" in exc.value.message_dict
    assert Responsibility.objects.count() == 0


def test_grid_secretary_cannot_assign_outside_their_grid(district, make_user, scope_of):
    hh = household(district.grids[1])
    m = member(district)
    scope = scope_of(make_user("grid_secretary", area=district.grids[0]))
    with pytest.raises(PermissionDenied):
        services.responsibility_assign(scope=scope, member=m, household=hh)


def test_gaps_close_when_assigned_at_any_level(district):
    # given three households in two buildings of one grid, nobody responsible
    a = household(district.grids[0], room="101")
    b = household(district.grids[0], room="102")
    c = household(district.grids[0], room="101", building="2號樓")
    m = member(district)
    scope = system_scope()

    def gaps():
        return set(selectors.household_list(scope=scope, area=district.grids[0], uncovered=True))

    assert gaps() == {a, b, c}
    # when a member takes one household (包戶), then the second building, then the grid (包片)
    assign(m, household=a)
    assert gaps() == {b, c}
    assign(m, building=c.building)
    assert gaps() == {b}
    r = assign(m, area=district.grids[0])
    assert gaps() == set()
    # and a responsibility that ends reopens the gap
    services.responsibility_end(scope=scope, responsibility=r, end=dt.date(2020, 1, 2))
    assert gaps() == {b}


def test_overloaded_members_counts_households_of_buildings_and_grids(district):
    m = member(district)
    for room in range(3):
        household(district.grids[0], room=f"10{room}")
    assign(m, area=district.grids[0])
    over = selectors.overloaded_members(scope=system_scope(), area=district.communities[0], threshold=2)
    assert [(e["member_id"], e["households"]) for e in over] == [(m.pk, 3)]
    assert selectors.overloaded_members(scope=system_scope(), area=district.communities[0], threshold=3) == []


def test_responsibility_list_filters_by_period_for_reports(district):
    hh = household(district.grids[0])
    m = member(district)
    services.responsibility_assign(
        scope=system_scope(), member=m, household=hh, start=dt.date(2020, 1, 24), end=dt.date(2020, 1, 30)
    )
    scope = system_scope()
    assert (
        selectors.responsibility_list(scope=scope, period_start=dt.date(2020, 1, 28), period_end=dt.date(2020, 2, 16))
        .values("member_id")
        .distinct()
        .count()
        == 1
    )
    assert (
        selectors.responsibility_list(
            scope=scope, period_start=dt.date(2020, 2, 1), period_end=dt.date(2020, 2, 16)
        ).count()
        == 0
    )
