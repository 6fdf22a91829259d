"""Persons and memberships through the JSON API: scope, masking, reveal, audit, bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from bastion.access.scope import system_scope
from bastion.access.tokens import token_create
from bastion.core.models import AuditEvent
from bastion.people.models import Membership, Person
from bastion.people.services import membership_create, person_create

ID_M = "370202199001011237"  # valid, male, born 1990-01-01
ID_F = "370202198512310023"  # valid, female, born 1985-12-31
ID_UNKNOWN_PLACE = "999999199001011238"  # valid checksum, area code not in the table
ID_BAD_CHECKSUM = "370202199001011236"
PHONE = "13812345678"


def token_client(user) -> Client:
    _token, raw = token_create(user=user, name="test device")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def patch(client: Client, url: str, data: dict):
    return client.patch(url, json.dumps(data), content_type="application/json")


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


@pytest.fixture
def residents(district):
    """One person in each of three grids: two grids of 仰口路社區 (street 0) and one of 西藏路社區 (street 1)."""
    s = system_scope()
    return {
        "mine": person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0), id_number=ID_F, phone=PHONE),
        "next_grid": person_create(scope=s, name="李四", area=district.grid(0, 0, 1)),
        "other_street": person_create(scope=s, name="王五", area=district.grid(1, 0, 0), id_number=ID_M),
    }


def test_grid_volunteer_token_lists_only_their_grid(district, residents, make_user):
    # Given a volunteer granted one grid, using a device token
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    # When they list persons
    response = client.get("/api/persons")

    # Then only the person of their grid comes back, paginated
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [p["name"] for p in body["items"]] == ["竇秀珍"]


def test_grid_volunteer_gets_404_on_another_grids_person(district, residents, make_user):
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    response = client.get(f"/api/persons/{residents['next_grid'].pk}")

    assert response.status_code == 404
    assert response.json()["detail"] == "not found"


def test_search_does_not_leak_people_outside_scope(district, residents, make_user):
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    assert client.get("/api/persons", {"q": "王五"}).json()["count"] == 0
    # Pinyin initials find the person inside the scope
    assert [p["name"] for p in client.get("/api/persons", {"q": "dxz"}).json()["items"]] == ["竇秀珍"]


def test_street_officer_sees_their_street_only(district, residents, make_user):
    client = token_client(make_user("street_officer", area=district.streets[0]))

    names = {p["name"] for p in client.get("/api/persons").json()["items"]}

    assert names == {"竇秀珍", "李四"}
    assert client.get(f"/api/persons/{residents['other_street'].pk}").status_code == 404
    in_grid = client.get("/api/persons", {"area_id": district.grid(0, 0, 1).pk}).json()
    assert [p["name"] for p in in_grid["items"]] == ["李四"]
    assert client.get("/api/persons", {"area_id": district.grid(1, 0, 0).pk}).json()["count"] == 0


def test_id_number_and_phone_are_masked_in_every_response(district, residents, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))
    person = residents["mine"]

    listed = client.get("/api/persons").content.decode()
    detail = client.get(f"/api/persons/{person.pk}")
    patched = patch(client, f"/api/persons/{person.pk}", {"party_status": "activist"})

    for text in (listed, detail.content.decode(), patched.content.decode()):
        assert ID_F not in text
        assert "3812345678" not in text
    assert detail.json()["id_number_masked"] == "**************0023"
    assert detail.json()["phone_masked"] == "+86*******5678"
    assert "id_number" not in detail.json()


def test_reveal_shows_the_numbers_and_is_audited(district, residents, make_user):
    user = make_user("community_worker", area=district.communities[0])
    client = token_client(user)
    person = residents["mine"]

    response = post(client, f"/api/persons/{person.pk}/reveal")

    assert response.status_code == 200
    assert response.json() == {"id_number": ID_F, "phone": "+8613812345678"}
    event = AuditEvent.objects.get(verb="person.reveal", object_id=str(person.pk))
    assert event.actor == user


def test_auditor_reads_but_may_not_reveal_or_write(district, residents, make_user):
    client = token_client(make_user("auditor", area=district.district))
    person = residents["mine"]
    events_before = AuditEvent.objects.count()

    assert client.get("/api/persons").json()["count"] == 3
    reveal = post(client, f"/api/persons/{person.pk}/reveal")
    create = post(client, "/api/persons", {"name": "趙六", "area_id": district.grid(0, 0, 0).pk})
    change = patch(client, f"/api/persons/{person.pk}", {"name": "改名"})

    assert (reveal.status_code, create.status_code, change.status_code) == (403, 403, 403)
    assert reveal.json()["detail"]
    assert AuditEvent.objects.count() == events_before
    assert Person.objects.count() == 3
    assert Person.objects.get(pk=person.pk).name == "竇秀珍"


def test_community_worker_creates_a_person_and_the_write_is_audited(district, make_user):
    user = make_user("community_worker", area=district.communities[0])
    client = token_client(user)

    response = post(
        client,
        "/api/persons",
        {"name": "張三", "area_id": district.grid(0, 0, 1).pk, "id_number": ID_M, "phone": PHONE},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["birth_date"] == "1990-01-01"
    assert body["gender"] == "M"
    assert body["warnings"] == []
    person = Person.objects.get(pk=body["id"])
    event = AuditEvent.objects.get(verb="person.create", object_id=str(person.pk))
    assert event.actor == user
    assert ID_M not in json.dumps(event.diff)


def test_unknown_id_area_code_is_a_warning_in_the_response(district, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))

    response = post(client, "/api/persons", {"name": "新人", "area_id": district.grid(0, 0, 0).pk,
                                             "id_number": ID_UNKNOWN_PLACE})

    assert response.status_code == 201
    assert len(response.json()["warnings"]) == 1
    assert "999999" in response.json()["warnings"][0]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"id_number": ID_BAD_CHECKSUM}, "body.id_number"),
        ({"id_number": "37020219900101"}, "body.id_number"),
        ({"phone": "12345"}, "body.phone"),
        ({"home_agency": "區委組織部"}, "body.home_agency"),
        ({"area_id": 999999}, "body.area_id"),
    ],
)
def test_bad_person_input_is_400_naming_the_field_and_writes_nothing(district, make_user, payload, field):
    client = token_client(make_user("community_worker", area=district.communities[0]))
    events_before = AuditEvent.objects.count()

    response = post(client, "/api/persons", {"name": "張三", "area_id": district.grid(0, 0, 0).pk, **payload})

    assert response.status_code == 400, response.content
    assert fields(response) == [field]
    assert response.json()["detail"]
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_area_outside_scope_is_refused_like_an_unknown_one(district, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))

    response = post(client, "/api/persons", {"name": "張三", "area_id": district.grid(1, 1, 1).pk})

    assert response.status_code == 400
    assert fields(response) == ["body.area_id"]
    assert Person.objects.count() == 0


def test_schema_errors_are_422_with_field_paths(district, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))

    missing = post(client, "/api/persons", {"area_id": district.grid(0, 0, 0).pk})
    wrong_type = post(client, "/api/persons", {"name": "張三", "birth_date": "yesterday"})
    bad_query = client.get("/api/persons", {"limit": "many"})

    assert missing.status_code == 422
    assert fields(missing) == ["body.name"]
    assert fields(wrong_type) == ["body.birth_date"]
    assert fields(bad_query) == ["query.limit"]
    no_body = client.post("/api/persons", "", content_type="application/json")
    not_json = client.post("/api/persons", "{name: 張三", content_type="application/json")
    assert (no_body.status_code, fields(no_body)) == (422, ["body"])
    assert not_json.status_code in (400, 422)
    assert not_json.json()["detail"]
    assert Person.objects.count() == 0


def test_patch_changes_only_the_fields_given_and_is_audited(district, residents, make_user):
    user = make_user("grid_secretary", area=district.grid(0, 0, 0))
    client = token_client(user)
    person = residents["mine"]

    response = patch(client, f"/api/persons/{person.pk}", {"phone": "13987654321"})

    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.phone == "+8613987654321"
    assert person.id_number == ID_F
    event = AuditEvent.objects.get(verb="person.update", object_id=str(person.pk))
    assert event.actor == user
    assert set(event.diff) == {"phone"}
    assert "3987654321" not in json.dumps(event.diff)


def test_patch_with_a_bad_phone_changes_nothing(district, residents, make_user):
    client = token_client(make_user("grid_secretary", area=district.grid(0, 0, 0)))
    person = residents["mine"]

    response = patch(client, f"/api/persons/{person.pk}", {"name": "新名", "phone": "0000"})

    assert response.status_code == 400
    assert fields(response) == ["body.phone"]
    person.refresh_from_db()
    assert person.name == "竇秀珍"


def test_person_list_is_paginated(district, make_user):
    s = system_scope()
    for n in range(7):
        person_create(scope=s, name=f"居民{n}", area=district.grid(0, 0, 0))
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    page = client.get("/api/persons", {"limit": 3, "offset": 6}).json()

    assert page["count"] == 7
    assert len(page["items"]) == 1


# -- memberships ------------------------------------------------------------------------


def test_membership_create_list_and_end(district, residents, make_user):
    user = make_user("community_worker", area=district.communities[0])
    client = token_client(user)
    person, branch = residents["mine"], district.pioneer_branches[0]

    created = post(client, "/api/memberships", {"person_id": person.pk, "organization_id": branch.pk,
                                                "role": "volunteer", "start": "2020-02-01"})
    assert created.status_code == 201, created.content
    mid = created.json()["id"]
    by_org = client.get("/api/memberships", {"organization_id": branch.pk}).json()
    by_person = client.get("/api/memberships", {"person_id": person.pk}).json()
    ended = post(client, f"/api/memberships/{mid}/end", {"end": "2020-03-01"})

    assert [m["id"] for m in by_org["items"]] == [mid]
    assert by_person["count"] == 1
    assert ended.status_code == 200
    assert ended.json()["end"] == "2020-03-01"
    verbs = set(AuditEvent.objects.filter(object_type="people.membership", actor=user).values_list("verb", flat=True))
    assert verbs == {"membership.create", "membership.end"}


def test_joining_a_temporary_branch_keeps_the_home_branch(district, residents, make_user):
    s = system_scope()
    person = residents["mine"]
    from bastion.orgs.services import org_create

    home = org_create(scope=s, name="仰口路社區第一黨支部", kind="standing_branch", area=district.communities[0],
                      parent=district.pioneer_branches[0].get_parent())
    membership_create(scope=s, person=person, organization=home, role="member")
    client = token_client(make_user("community_worker", area=district.communities[0]))

    post(client, "/api/memberships", {"person_id": person.pk, "organization_id": district.pioneer_branches[0].pk})

    current = client.get("/api/memberships", {"person_id": person.pk, "current_on": "2020-02-16"}).json()
    assert current["count"] == 2


def test_membership_bad_input_names_the_field(district, residents, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))
    person, branch = residents["mine"], district.pioneer_branches[0]

    unknown_org = post(client, "/api/memberships", {"person_id": person.pk, "organization_id": 999999})
    other_street_org = post(client, "/api/memberships", {"person_id": person.pk,
                                                         "organization_id": district.pioneer_branches[4].pk})
    backwards = post(client, "/api/memberships", {"person_id": person.pk, "organization_id": branch.pk,
                                                  "start": "2020-03-01", "end": "2020-02-01"})
    bad_role = post(client, "/api/memberships", {"person_id": person.pk, "organization_id": branch.pk,
                                                 "role": "king"})

    assert (unknown_org.status_code, fields(unknown_org)) == (400, ["body.organization_id"])
    assert (other_street_org.status_code, fields(other_street_org)) == (400, ["body.organization_id"])
    assert (backwards.status_code, fields(backwards)) == (400, ["body.end"])
    assert (bad_role.status_code, fields(bad_role)) == (422, ["body.role"])
    assert Membership.objects.count() == 0


def test_volunteer_may_not_add_members(district, residents, make_user):
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    response = post(client, "/api/memberships", {"person_id": residents["mine"].pk,
                                                 "organization_id": district.pioneer_branches[0].pk})

    assert response.status_code == 403
    assert Membership.objects.count() == 0


def _queries(client: Client, url: str, params: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_the_rows(district, make_user):
    # Given a community worker's lists of persons and memberships, measured with a few rows
    s = system_scope()
    branch = district.pioneer_branches[0]

    def add(n: int) -> None:
        for i in range(n):
            person = person_create(scope=s, name=f"志願者{Person.objects.count()}", area=district.grid(0, 0, i % 2))
            membership_create(scope=s, person=person, organization=branch, role="volunteer")

    client = token_client(make_user("community_worker", area=district.communities[0]))
    add(2)
    client.get("/api/persons")  # the token's last use is written once; measure after that
    few = (_queries(client, "/api/persons"), _queries(client, "/api/memberships"))

    # When ten times as many rows exist
    add(18)
    many = (_queries(client, "/api/persons"), _queries(client, "/api/memberships"))

    # Then the same number of queries serves them
    assert many == few


def test_list_and_create_answer_with_and_without_a_trailing_slash(district, residents, make_user):
    # A redirect would lose a POST body, so both spellings answer directly.
    client = token_client(make_user("community_worker", area=district.communities[0]))
    assert client.get("/api/persons").json()["count"] == client.get("/api/persons/").json()["count"] == 2
    assert client.get("/api/memberships/").status_code == 200
    for url in ("/api/persons", "/api/persons/"):
        created = post(client, url, {"name": f"新人{url[-1]}", "area_id": district.grid(0, 0, 0).pk})
        assert created.status_code == 201, created.content
    assert Person.objects.filter(name__startswith="新人").count() == 2


def test_patch_null_clears_a_nullable_field_and_absent_keeps_it(district, make_user):
    # Given a person without an ID number whose birth date and phone are recorded
    import datetime as dt

    person = person_create(
        scope=system_scope(), name="趙六", area=district.grid(0, 0, 0), birth_date=dt.date(1970, 5, 1), phone=PHONE
    )
    client = token_client(make_user("grid_secretary", area=district.grid(0, 0, 0)))
    # When a PATCH sends birth_date: null and leaves the phone out
    response = patch(client, f"/api/persons/{person.pk}", {"birth_date": None})
    # Then the birth date is cleared and the phone kept
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.birth_date is None and person.phone == "+86" + PHONE
    assert AuditEvent.objects.get(verb="person.update", object_id=str(person.pk)).diff["birth_date"] == [
        "1970-05-01", None,
    ]


def test_patch_null_on_a_field_that_cannot_be_empty_is_a_422_naming_it(district, residents, make_user):
    client = token_client(make_user("grid_secretary", area=district.grid(0, 0, 0)))
    person = residents["mine"]
    response = patch(client, f"/api/persons/{person.pk}", {"name": None, "phone": "13987654321"})
    assert response.status_code == 422
    assert fields(response) == ["body.name"]
    person.refresh_from_db()
    assert person.name == "竇秀珍" and person.phone == "+86" + PHONE
    assert not AuditEvent.objects.filter(verb="person.update").exists()
