import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from bastion.access.scope import system_scope
from bastion.api import api
from bastion.orglife.models import Activity, Application
from bastion.orglife.services import activity_create
from bastion.people.services import person_create

D = dt.date


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_every_orglife_operation_declares_its_scope():
    schema = api.get_openapi_schema()
    paths = [p for p in schema["paths"] if p.startswith("/api/orglife")]
    assert len(paths) > 15
    from bastion.orglife import api as orglife_api

    for path_ops in orglife_api.router.path_operations.values():
        for op in path_ops.operations:
            assert getattr(op.view_func, "bastion_scope", None), op.view_func.__name__


def test_record_an_activity_over_the_api(branch, make_user, client_for):
    client = client_for(make_user("grid_secretary", area=branch.org.area))
    a, b, c = branch.members
    response = post(client, "/api/orglife/activities", {
        "organization_id": branch.org.pk, "kind": "theme_day", "mode": "online", "date": "2020-02-01",
        "topic": "線上主題黨日", "attendance": [
            {"person_id": a.pk}, {"person_id": b.pk}, {"person_id": c.pk, "present": False, "absence_reason": "值班"},
        ],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["present_count"] == 2 and len(body["attendance"]) == 3
    listed = client.get("/api/orglife/activities", {"mode": "online"}).json()
    assert listed["count"] == 1 and listed["items"][0]["topic"] == "線上主題黨日"


def test_a_non_member_attendance_is_a_400_naming_the_field_and_writes_nothing(branch, district, make_user,
                                                                             client_for):
    outsider = person_create(scope=system_scope(), name="路人", area=district.grid(0, 0, 1))
    client = client_for(make_user("community_worker", area=district.communities[0]))
    response = post(client, "/api/orglife/activities", {
        "organization_id": branch.org.pk, "kind": "theme_day", "date": "2020-02-01", "topic": "x",
        "attendance": [{"person_id": outsider.pk}],
    })
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.attendance.0"
    assert not Activity.objects.exists()


def test_an_attachment_is_uploaded_and_limited(branch, make_user, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = activity_create(scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1),
                               topic="x")
    client = client_for(make_user("grid_secretary", area=branch.org.area))
    url = f"/api/orglife/activities/{activity.pk}/attachments"
    ok = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    bad = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "body.file"


def test_pipeline_steps_over_the_api(branch, district, make_user, client_for):
    wang = person_create(scope=system_scope(), name="王嵩", area=district.grid(0, 0, 0), birth_date=D(1991, 11, 2))
    client = client_for(make_user("community_worker", area=district.communities[0]))
    created = post(client, "/api/orglife/applications",
                   {"person_id": wang.pk, "branch_id": branch.org.pk, "applied_on": "2020-01-30"})
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    too_early = post(client, f"/api/orglife/applications/{app_id}/steps", {"step": "activist", "on": "2020-02-01"})
    assert too_early.status_code == 400 and too_early.json()["errors"][0]["field"] == "body.talk_on"
    talk = post(client, f"/api/orglife/applications/{app_id}/steps", {"step": "talk", "on": "2020-02-03"})
    assert talk.status_code == 200 and talk.json()["talk_on"] == "2020-02-03"
    assert Application.objects.get().talk_on == D(2020, 2, 3)
    pipeline = client.get("/api/orglife/pipeline", {"branch_id": branch.org.pk}).json()
    assert pipeline["items"][0]["next_step"] == "activist"


def test_figures_and_participation_are_scoped(branch, district, make_user, client_for):
    activity_create(scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1),
                    topic="x", mode="online")
    period = {"period_start": "2020-01-24", "period_end": "2020-02-16"}
    mine = client_for(make_user("auditor", area=district.communities[0]))
    other = client_for(make_user("auditor", area=district.communities[3]))
    assert mine.get("/api/orglife/figures", period).json()["orglife.online_activities"] == 1
    assert other.get("/api/orglife/figures", period).json()["orglife.online_activities"] == 0
    assert mine.get("/api/orglife/participation", period).json()["count"] == 0
    nobody = client_for(make_user())
    assert nobody.get("/api/orglife/figures", period).status_code == 403


def test_establish_and_dissolve_a_temporary_branch_over_the_api(district, branch, make_user, client_for):
    client = client_for(make_user("district_admin", area=district.district))
    created = post(client, "/api/orglife/temporary-branches", {
        "name": "突擊隊臨時黨支部", "parent_id": district.committee.pk, "purpose": "assault_team",
        "decided_by": "區委組織部", "decided_on": "2020-01-25", "secretary_id": branch.secretary.pk,
    })
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["charter"]["decided_by"] == "區委組織部"
    assert body["charter"]["secretary_person_id"] == branch.secretary.pk
    added = post(client, f"/api/orglife/temporary-branches/{body['id']}/members",
                 {"person_id": branch.members[0].pk, "start": "2020-01-26"})
    assert added.status_code == 201
    dissolved = post(client, f"/api/orglife/temporary-branches/{body['id']}/dissolve", {"on": "2020-03-31"})
    assert dissolved.status_code == 200 and dissolved.json()["dissolved"] == "2020-03-31"
    unknown = post(client, "/api/orglife/temporary-branches", {
        "name": "x", "parent_id": 999999, "purpose": "assault_team", "decided_by": "x", "decided_on": "2020-01-25",
    })
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "body.parent_id"


def test_pledges_brands_and_stories_over_the_api(branch, district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    pledge = post(client, "/api/orglife/pledges", {"person_id": branch.members[0].pk, "organization_id": branch.org.pk,
                                                   "kind": "guarantee", "date": "2020-02-05", "text": "我保證"})
    assert pledge.status_code == 201
    brand = post(client, "/api/orglife/brands", {"name": "黨員沖鋒號", "organization_id": branch.org.pk})
    assert brand.status_code == 201
    story = post(client, "/api/orglife/stories", {"title": "樓長", "organization_id": branch.org.pk,
                                                  "brand_id": brand.json()["id"], "date": "2020-02-06", "text": "x",
                                                  "person_ids": [branch.members[0].pk]})
    assert story.status_code == 201 and story.json()["person_ids"] == [branch.members[0].pk]
    assert client.get("/api/orglife/brands").json()["count"] == 1
    assert client.get("/api/orglife/pledges", {"person_id": branch.members[0].pk}).json()["count"] == 1
