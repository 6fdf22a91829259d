from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from bastion.access.scope import resolve_scope, system_scope
from bastion.core.models import AuditEvent
from bastion.coverage.models import Household, Resident
from bastion.coverage.tests.helpers import household as make_household
from bastion.coverage.tests.helpers import resident as make_resident
from bastion.imports import services
from bastion.imports.models import BatchStatus, ImportBatch
from bastion.imports.tests.helpers import EN, HANS, HANT, bad_checksum, csv_bytes, rows_for, valid_id, xlsx
from bastion.people.models import Person


@pytest.fixture
def worker(district, make_user):
    """A community worker of 仰口路社區 (grids 0 and 1)."""
    return make_user("community_worker", area=district.communities[0])


def test_a_good_file_imports_households_and_residents(district, worker):
    # given a registry of two households in the worker's grid
    grid = district.grids[0]
    content = xlsx(HANT, rows_for(grid.name))
    # when it is uploaded and confirmed
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="registry.xlsx", content=content)
    assert batch.status == BatchStatus.READY
    assert (batch.rows, batch.households_created, batch.persons_created) == (3, 2, 3)
    assert (batch.households_matched, batch.persons_matched) == (0, 0), "two rows of one new household are one"
    assert Household.objects.count() == 0, "the check writes nothing"
    batch = services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then the households and residents exist, with the audit trail naming the worker
    assert batch.status == BatchStatus.IMPORTED
    assert Household.objects.filter(grid=grid).count() == 2
    assert Resident.objects.filter(household__room="101").count() == 2
    assert Person.objects.get(name="張建國").phone == "+8613912345678"
    assert AuditEvent.objects.filter(verb="household.create", actor=worker).count() == 2
    assert AuditEvent.objects.filter(verb="import.confirm", actor=worker).exists()


def test_one_bad_checksum_writes_nothing_and_names_row_and_column(district, worker):
    # given a file whose third data row (spreadsheet row 4) has an ID with a wrong check digit
    rows = rows_for(district.grids[0].name)
    rows[2][8] = bad_checksum(rows[2][8])
    with translation.override("zh-hans"):
        batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANT, rows))
    # then the batch cannot be imported and says where the error is
    assert batch.status == BatchStatus.INVALID
    assert batch.errors == [{"row": 4, "column": "身份證號", "message": batch.errors[0]["message"]}]
    assert "校验位" in batch.errors[0]["message"]
    with pytest.raises(ValidationError):
        services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    assert Household.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize("header", [HANS, HANT, EN], ids=["simplified", "traditional", "english"])
def test_headers_in_any_script_or_english(district, worker, header):
    outcome = services.households_check(
        scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(header, rows_for(district.grids[0].name))
    )
    assert outcome.issues == []
    assert outcome.counts["persons_created"] == 3


def test_unknown_and_missing_columns_are_reported(district, worker):
    header = [h for h in HANS if h != "室"] + ["备注"]
    rows = [r[:5] + r[6:] + ["x"] for r in rows_for(district.grids[0].name)]
    outcome = services.households_check(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(header, rows))
    columns = {(i.row, i.column) for i in outcome.issues}
    assert (1, "备注") in columns
    assert any(i.row == 1 and "Room" in i.message for i in outcome.issues)


def test_a_person_already_registered_is_matched_by_id_number(district, worker):
    # given 張建國 already lives in a household of the grid
    grid = district.grids[0]
    number = valid_id("19700101", "111")
    make_resident(make_household(grid, room="901"), name="張建國", id_number=number)
    # when a file names him again in another household
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.csv",
                                  content=csv_bytes(HANS, rows_for(grid.name)))
    assert (batch.persons_created, batch.persons_matched) == (2, 1)
    services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then he is not registered twice but lives at the new address
    assert Person.objects.filter(id_number=number).count() == 1
    assert Resident.objects.get(person__id_number=number, moved_out__isnull=True).household.room == "101"
    # and importing the same file again changes nothing
    again = services.batch_upload(scope=resolve_scope(worker), file_name="r.csv",
                                  content=csv_bytes(HANS, rows_for(grid.name)))
    assert (again.status, again.households_created, again.persons_created) == (BatchStatus.READY, 0, 0)
    assert (again.households_matched, again.persons_matched) == (2, 3)


def test_same_id_twice_in_one_file_is_an_error(district, worker):
    number = valid_id()
    rows = rows_for(district.grids[0].name, ids=(number, valid_id("19800101", "222"), number))
    outcome = services.households_check(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    assert [(i.row, i.column) for i in outcome.issues] == [(4, "身份证号")]


def test_a_grid_outside_the_users_scope_is_refused_per_row(district, worker):
    # given a file whose second row names a grid of another community
    rows = rows_for(district.grids[0].name)
    rows[1][0] = district.grids[2].name
    rows[2][0] = "不存在的網格"
    outcome = services.households_check(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANT, rows))
    assert [(i.row, i.column) for i in outcome.issues] == [(3, "網格"), (4, "網格")]
    assert "outside your area" in outcome.issues[0].message
    assert Household.objects.count() == 0


def test_an_auditor_cannot_upload(district, make_user):
    auditor = make_user("auditor", area=district.district)
    with pytest.raises(PermissionDenied):
        services.batch_upload(scope=resolve_scope(auditor), file_name="r.xlsx",
                              content=xlsx(HANS, rows_for(district.grids[0].name)))
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(district, worker, encoding):
    rows = [[c.replace("號", "号").replace("區", "区").replace("樓", "楼").replace("蘭", "兰").replace("戶", "户")
             .replace("張", "张").replace("建國", "建国") for c in r] for r in rows_for(district.grids[0].name)]
    content = csv_bytes(HANS, rows, encoding=encoding)
    outcome = services.households_check(scope=resolve_scope(worker), file_name="r.csv", content=content)
    assert outcome.issues == []
    assert outcome.counts["households_created"] == 2


def test_bad_values_are_named_by_row_and_column(district, worker):
    rows = rows_for(district.grids[0].name)
    rows[0][7] = "X"  # gender
    rows[1][10] = "朋友"  # relation
    rows[2][9] = "12345"  # phone
    outcome = services.households_check(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "性别"), (3, "与户主关系"), (4, "电话")]


def test_a_numeric_id_cell_is_reported(district, worker):
    rows = rows_for(district.grids[0].name)
    rows[0][8] = 370202197001011110
    outcome = services.households_check(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "身份证号")]


def test_limits_give_a_clear_error(district, worker, settings):
    settings.BASTION_IMPORT_MAX_ROWS = 2
    with pytest.raises(ValidationError) as exc:
        services.households_check(scope=resolve_scope(worker), file_name="r.xlsx",
                                  content=xlsx(HANS, rows_for(district.grids[0].name)))
    assert "more than 2 data rows" in str(exc.value)
    settings.BASTION_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.households_check(scope=resolve_scope(worker), file_name="r.xlsx",
                                  content=xlsx(HANS, rows_for(district.grids[0].name)))
    assert "at most 0 KB" in str(exc.value) or "KB" in str(exc.value)


def test_a_file_that_is_not_a_spreadsheet_is_refused(district, worker):
    with pytest.raises(ValidationError) as exc:
        services.households_check(scope=resolve_scope(worker), file_name="r.xlsx", content=b"PK\x03\x04garbage")
    assert "file" in exc.value.message_dict


def test_confirm_rechecks_and_writes_nothing_if_the_registry_changed(district, worker):
    # given a checked file, and then someone else registers 王小明's ID with another name
    rows = rows_for(district.grids[0].name)
    batch = services.batch_upload(scope=resolve_scope(worker), file_name="r.xlsx", content=xlsx(HANS, rows))
    make_resident(make_household(district.grids[0], room="909"), name="王大明", id_number=rows[2][8])
    # when it is confirmed
    batch = services.batch_confirm(scope=resolve_scope(worker), batch=batch)
    # then nothing from the file is written and the batch shows the new error
    assert batch.status == BatchStatus.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "身份证号")]
    assert not Household.objects.filter(room="101").exists()


def test_system_scope_check_is_possible_for_scripts(district):
    outcome = services.households_check(scope=system_scope(), file_name="r.xlsx",
                                        content=xlsx(EN, rows_for(district.grids[0].name)))
    assert outcome.issues == []
