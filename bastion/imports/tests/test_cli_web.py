from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from bastion.core.models import AuditEvent
from bastion.coverage.models import Household, Person
from bastion.coverage.tests.helpers import household as make_household
from bastion.coverage.tests.helpers import resident as make_resident
from bastion.imports.models import BatchStatus, ImportBatch
from bastion.imports.tests.helpers import HANS, HANT, bad_checksum, csv_bytes, rows_for, valid_id, xlsx


@pytest.fixture
def worker(district, make_user):
    return make_user("community_worker", area=district.communities[0])


def test_cli_dry_run_prints_row_and_column_and_writes_nothing(district, worker, tmp_path):
    rows = rows_for(district.grids[0].name)
    rows[1][8] = bad_checksum(rows[1][8])
    path = tmp_path / "registry.xlsx"
    path.write_bytes(xlsx(HANT, rows))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_households", str(path), "--user", worker.username, "--dry-run", stderr=err)
    assert "row 3, 身份證號:" in err.getvalue()
    assert Household.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_cli_imports_a_good_file(district, worker, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(HANS, rows_for(district.grids[0].name), "gb18030"))
    out = io.StringIO()
    call_command("import_households", str(path), "--user", worker.username, stdout=out)
    assert "imported" in out.getvalue() and "persons_created=3" in out.getvalue()
    assert ImportBatch.objects.get().status == BatchStatus.IMPORTED
    assert Household.objects.count() == 2


def test_cli_unknown_user(tmp_path, db):
    path = tmp_path / "r.csv"
    path.write_bytes(b"a,b\n")
    with pytest.raises(CommandError, match="user"):
        call_command("import_households", str(path), "--user", "nobody")


def test_web_upload_preview_confirm(district, worker, client_for):
    client = client_for(worker)
    upload = io.BytesIO(xlsx(HANT, rows_for(district.grids[0].name)))
    upload.name = "登記表.xlsx"
    response = client.post(reverse("imports:upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and b'id="confirm"' in page.content
    assert Household.objects.count() == 0
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Household.objects.count() == 2
    listing = client.get(reverse("imports:index"))
    assert "登記表.xlsx" in listing.content.decode()
    original = client.get(reverse("imports:file", args=[batch.pk]))
    assert original.content == xlsx(HANT, rows_for(district.grids[0].name)) or original.status_code == 200


def test_web_preview_lists_errors_and_has_no_confirm(district, worker, client_for):
    rows = rows_for(district.grids[0].name)
    rows[2][8] = bad_checksum(rows[2][8])
    upload = io.BytesIO(xlsx(HANT, rows))
    upload.name = "r.xlsx"
    client = client_for(worker)
    response = client.post(reverse("imports:upload"), {"file": upload}, follow=True)
    text = response.content.decode()
    assert "身份證號" in text and 'id="confirm"' not in text
    batch = ImportBatch.objects.get()
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 302
    assert Household.objects.count() == 0


def test_web_unreadable_file_is_a_clear_400(district, worker, client_for):
    upload = io.BytesIO(b"\x00\x01garbage")
    upload.name = "r.pdf"
    response = client_for(worker).post(reverse("imports:upload"), {"file": upload})
    assert response.status_code == 400 and ".xlsx" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_another_users_batch_is_404(district, worker, make_user, client_for):
    upload = io.BytesIO(xlsx(HANT, rows_for(district.grids[0].name)))
    upload.name = "r.xlsx"
    client_for(worker).post(reverse("imports:upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    other = client_for(make_user("community_worker", area=district.communities[0]))
    assert other.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert other.get(reverse("imports:file", args=[batch.pk])).status_code == 404
    assert other.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404


def test_template_has_the_columns(worker, client_for):
    response = client_for(worker).get(reverse("imports:template"))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert header[0] == "网格" and "身份证号" in header, "the template speaks the user's language (zh-Hans)"


def _export_rows(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def registry(district):
    number = valid_id("19700101", "111")
    hh = make_household(district.grids[0], room="101")
    make_resident(hh, name="=HYPERLINK(1)", id_number=number, phone="13912345678")
    make_household(district.grids[2], street="西藏路2號", room="202")  # in another community
    return number


def test_export_shows_id_numbers_to_a_worker_who_may_reveal_them(district, worker, client_for, registry):
    response = client_for(worker).get(reverse("imports:export"), {"area": district.communities[0].pk})
    rows = _export_rows(response)
    assert len(rows) == 2, "header and one resident; the other community is not exported"
    assert rows[1][8] == registry and rows[1][6] == "=HYPERLINK(1)"
    event = AuditEvent.objects.get(verb="household.export")
    assert event.actor == worker and event.diff["rows"] == 1


def test_export_masks_id_numbers_without_reveal(district, make_user, client_for, registry, monkeypatch):
    # given a role that may export but not reveal (a worker whose reveal right is taken away)
    from bastion.access import scope as scope_module

    perms = dict(scope_module.ROLE_PERMISSIONS)
    perms["community_worker"] = perms["community_worker"] - {"person.reveal"}
    monkeypatch.setattr(scope_module, "ROLE_PERMISSIONS", perms)
    user = make_user("community_worker", area=district.communities[0])
    rows = _export_rows(client_for(user).get(reverse("imports:export")))
    assert rows[1][8] == "*" * 14 + registry[-4:]
    assert rows[1][9].endswith("5678") and "*" in rows[1][9]
    assert AuditEvent.objects.filter(verb="household.export", actor=user).exists()


def test_auditor_cannot_export(district, make_user, client_for, registry):
    auditor = make_user("auditor", area=district.district)
    assert client_for(auditor).get(reverse("imports:export")).status_code == 403
    assert not AuditEvent.objects.filter(verb="household.export").exists()


def test_api_upload_and_confirm(district, worker, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(worker)
    rows = rows_for(district.grids[0].name)
    rows[0][7] = "?"
    bad = SimpleUploadedFile("r.xlsx", xlsx(HANT, rows))
    response = client.post("/api/imports/households", {"file": bad}, HTTP_X_CSRFTOKEN="x")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "invalid" and body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "性別"
    good = SimpleUploadedFile("r.xlsx", xlsx(HANT, rows_for(district.grids[0].name)))
    batch_id = client.post("/api/imports/households", {"file": good}).json()["id"]
    done = client.post(f"/api/imports/batches/{batch_id}/confirm").json()
    assert done["status"] == "imported" and Person.objects.count() == 3
    assert client.get("/api/imports/batches").json()["count"] == 2


def test_api_unreadable_file_is_a_400_naming_the_file(worker, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(worker).post("/api/imports/households", {"file": SimpleUploadedFile("r.xlsx", b"PK junk")})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.file"
    assert ImportBatch.objects.count() == 0


def test_api_auditor_may_not_upload(district, make_user, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    auditor = make_user("auditor", area=district.district)
    upload = SimpleUploadedFile("r.xlsx", xlsx(HANT, rows_for(district.grids[0].name)))
    assert client_for(auditor).post("/api/imports/households", {"file": upload}).status_code == 403


def test_export_query_count_does_not_grow_with_households(district, worker, client_for, django_assert_max_num_queries):
    # given twenty households with a resident each
    for n in range(20):
        make_resident(make_household(district.grids[1], street="秀湛路3號", room=f"{n + 1:03d}"), name=f"居民{n}")
    client = client_for(worker)
    # then the export reads them in a handful of queries, not one per household
    with django_assert_max_num_queries(25):
        response = client.get(reverse("imports:export"))
    assert len(_export_rows(response)) == 21
