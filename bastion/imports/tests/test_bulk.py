"""The import checks the whole file against the registry first and writes in bulk: the same rules as the services."""

from __future__ import annotations

from bastion.access.scope import resolve_scope, system_scope
from bastion.core.models import AuditEvent
from bastion.coverage.models import Building, Household, Resident
from bastion.coverage.services import household_create
from bastion.coverage.tests.helpers import resident as make_resident
from bastion.imports import services
from bastion.imports.models import BatchStatus
from bastion.imports.tests.helpers import HANS, rows_for, valid_id, xlsx
from bastion.imports.tests.test_import import worker  # noqa: F401 - the fixture
from bastion.people.models import Person


def make_household(grid, room):
    """A registered household at the address rows_for uses (仰口路1號 仰口小區 1號樓 unit 1)."""
    return household_create(scope=system_scope(), grid=grid, street="仰口路1號", compound="仰口小區",
                            building="1號樓", unit="1", room=room)


def _check(user, rows):
    return services.households_check(scope=resolve_scope(user), file_name="r.xlsx", content=xlsx(HANS, rows))


def test_a_confirmed_import_writes_row_history_and_one_audit_event_per_object(district, worker):  # noqa: F811
    # given a good file of two new households in one new building
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx",
                                  content=xlsx(HANS, rows_for(district.grids[0].name)))
    # when it is confirmed
    services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then every created object has its history row and its audit event naming the worker
    building = Building.objects.get()
    assert building.history.get().history_user == worker
    assert {h.history.count() for h in Household.objects.all()} == {1}
    assert Person.history.filter(history_type="+").count() == 3
    assert Resident.history.filter(history_type="+", history_user=worker).count() == 3
    for verb, model in (("building.create", Building), ("household.create", Household),
                        ("person.create", Person), ("resident.add", Resident)):
        events = AuditEvent.objects.filter(verb=verb, actor=worker)
        assert sorted(int(e.object_id) for e in events) == sorted(model.objects.values_list("pk", flat=True))
    # and no ID number or phone is in an audit diff in clear
    person_diffs = [e.diff for e in AuditEvent.objects.filter(verb="person.create")]
    assert all(p.id_number not in str(person_diffs) for p in Person.objects.all())
    assert "13912345678" not in str(person_diffs)


def test_a_second_head_in_a_new_household_is_an_error_on_its_row(district, worker):  # noqa: F811
    # given a file where 李秀蘭 is also given as head of household 101
    rows = rows_for(district.grids[0].name)
    rows[1][10] = "户主"
    # when it is checked
    outcome = _check(worker, rows)
    # then row 3 (and only it) is refused on the relation column
    assert [(i.row, i.column, i.message) for i in outcome.issues] == [
        (3, "与户主关系", "This household already has a head.")
    ]
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_a_head_in_a_registered_household_that_has_one_is_an_error(district, worker):  # noqa: F811
    # given household 101 is registered with a head
    hh = make_household(district.grids[0], room="101")
    make_resident(hh, name="趙老爺", id_number=valid_id("19500101", "011"))
    rows = rows_for(district.grids[0].name)
    # when the file gives 101 a head again
    outcome = _check(worker, rows)
    # then that row is refused, the rest is fine, and the household counts as matched
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "与户主关系")]
    assert (outcome.counts["households_matched"], outcome.counts["households_created"]) == (1, 1)


def test_a_head_who_moves_away_leaves_room_for_a_new_head(district, worker):  # noqa: F811
    # given 張建國 is head of household 901
    grid = district.grids[0]
    old = make_household(grid, room="901")
    number = valid_id("19700101", "111")
    make_resident(old, name="張建國", id_number=number)
    # when a file moves him to 101 as head and names a new head of 901 after him
    rows = rows_for(grid.name)
    rows.append([grid.name, "仰口路1號", "仰口小區", "1號樓", "1", "901", "劉新", "男", valid_id("19880808", "551"),
                 "", "户主"])
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    assert batch.errors == []
    batch = services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then he lives in 101, moved out of 901 (audited), and 901 has its new head
    assert batch.status == BatchStatus.IMPORTED
    assert Resident.objects.get(person__id_number=number, moved_out__isnull=True).household.room == "101"
    assert AuditEvent.objects.filter(verb="resident.move_out", actor=worker).count() == 1
    head = Resident.objects.get(household=old, relation="head", moved_out__isnull=True)
    assert head.person.name == "劉新"


def test_a_building_registered_in_another_grid_is_an_error_on_the_building_column(district, worker):  # noqa: F811
    # given 仰口路1號 1號樓 is registered in the community's other grid
    make_household(district.grids[1], room="501")
    # when a file puts a new household of that building in grid 1
    outcome = _check(worker, rows_for(district.grids[0].name))
    # then each of its rows is refused on the building column, naming the grid
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "楼号"), (3, "楼号"), (4, "楼号")]
    assert district.grids[1].name in outcome.issues[0].message


def test_rows_of_one_household_need_not_be_adjacent(district, worker):  # noqa: F811
    # given household 101's two residents with household 102 between them
    rows = rows_for(district.grids[0].name)
    rows = [rows[0], rows[2], rows[1]]
    # when the file is confirmed
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then 101 is one household with both residents
    assert batch.households_created == 2
    assert Resident.objects.filter(household__room="101").count() == 2


def test_a_name_too_long_is_a_row_error_not_a_crash(district, worker):  # noqa: F811
    rows = rows_for(district.grids[0].name)
    rows[2][6] = "王" * 101
    outcome = _check(worker, rows)
    assert [(i.row, i.column) for i in outcome.issues] == [(4, "姓名")], outcome.issues


def test_the_number_of_queries_does_not_grow_with_the_rows(district, worker, django_assert_max_num_queries):  # noqa: F811
    # given a file of 90 residents in 30 new households
    grid = district.grids[0].name
    rows = [[grid, "仰口路1號", "仰口小區", f"{h // 10 + 1}號樓", "1", f"{h % 10 + 1}01", f"居民{i}", "",
             valid_id(f"19{60 + i % 30}0101", f"{i:03d}"), "", ["户主", "配偶", "子女"][i % 3]]
            for i in range(90) for h in [i // 3]]
    content = xlsx(HANS, rows)
    # when it is checked and confirmed, then a few dozen queries suffice, not several per row
    with django_assert_max_num_queries(60):
        batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx", content=content)
    assert batch.errors == [] and batch.persons_created == 90
    with django_assert_max_num_queries(60):
        services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    assert Resident.objects.count() == 90 and Household.objects.count() == 30




def test_a_registry_change_between_look_up_and_write_is_an_error_not_a_crash(district, worker, monkeypatch):  # noqa: F811
    # given a checked file, and someone registering 王小明's ID number just before the rows are written
    rows = rows_for(district.grids[0].name)
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    write = services._write

    def racing_write(scope, plan, out):
        Person.objects.create(name="王小明", id_number=rows[2][8])
        write(scope, plan, out)

    monkeypatch.setattr(services, "_write", racing_write)
    # when it is confirmed
    batch = services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then nothing from the file is written and the batch says why
    assert batch.status == BatchStatus.INVALID
    assert "registry changed" in batch.errors[0]["message"]
    assert not Household.objects.exists() and not Person.objects.exists()
