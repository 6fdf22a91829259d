"""Areas through the JSON API: tree rules, codes, scope, all-or-nothing writes."""

from __future__ import annotations

import json

from django.test import Client

from bastion.access.tokens import token_create
from bastion.areas.models import Area
from bastion.core.models import AuditEvent


def token_client(user) -> Client:
    _token, raw = token_create(user=user, name="test script")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client: Client, url: str, data: dict):
    return client.patch(url, json.dumps(data), content_type="application/json")


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_list_children_with_parent_ids(district, make_user):
    client = token_client(make_user("street_officer", area=district.streets[0]))

    body = client.get("/api/areas", {"parent_id": district.communities[0].pk}).json()

    assert body["count"] == 2
    assert {a["id"] for a in body["items"]} == {district.grid(0, 0, 0).pk, district.grid(0, 0, 1).pk}
    assert {a["parent_id"] for a in body["items"]} == {district.communities[0].pk}


def test_grid_volunteer_sees_only_their_grid(district, make_user):
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    body = client.get("/api/areas").json()

    assert [a["id"] for a in body["items"]] == [district.grid(0, 0, 0).pk]
    assert client.get(f"/api/areas/{district.grid(0, 0, 1).pk}").status_code == 404


def test_community_worker_adds_a_grid_and_it_is_audited(district, make_user):
    user = make_user("community_worker", area=district.communities[0])
    client = token_client(user)

    response = post(client, "/api/areas", {"name": "仰口路社區第3網格", "kind": "grid",
                                            "parent_id": district.communities[0].pk})

    assert response.status_code == 201, response.content
    assert response.json()["parent_id"] == district.communities[0].pk
    assert AuditEvent.objects.filter(verb="area.create", object_id=str(response.json()["id"]), actor=user).exists()


def test_bad_area_input_names_the_field_and_writes_nothing(district, make_user):
    client = token_client(make_user("street_officer", area=district.streets[0]))
    count, events = Area.objects.count(), AuditEvent.objects.count()
    cases = {
        "grid under a grid": ({"name": "x", "kind": "grid", "parent_id": district.grid(0, 0, 0).pk}, 400,
                              ["body.parent_id"]),
        "unknown parent": ({"name": "x", "kind": "grid", "parent_id": 999999}, 400, ["body.parent_id"]),
        "parent outside scope": ({"name": "x", "kind": "grid", "parent_id": district.communities[2].pk}, 400,
                                 ["body.parent_id"]),
        "short code": ({"name": "x", "kind": "community", "parent_id": district.streets[0].pk, "code": "3702",
                        "code_year": 2020}, 400, ["body.code"]),
        "code of another county": ({"name": "x", "kind": "community", "parent_id": district.streets[0].pk,
                                    "code": "370203001009", "code_year": 2020}, 400, ["body.code"]),
        "code without year": ({"name": "x", "kind": "community", "parent_id": district.streets[0].pk,
                               "code": "370202001009"}, 400, ["body.code_year"]),
        "unknown kind": ({"name": "x", "kind": "planet", "parent_id": district.streets[0].pk}, 422, ["body.kind"]),
        "empty name": ({"name": "", "kind": "grid", "parent_id": district.communities[0].pk}, 422, ["body.name"]),
    }
    for name, (payload, status, expected) in cases.items():
        response = post(client, "/api/areas", payload)
        assert (response.status_code, fields(response)) == (status, expected), name

    assert Area.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_moving_an_area_under_its_own_descendant_is_refused(district, make_user):
    client = token_client(make_user("district_admin", area=district.district))
    street = district.streets[0]
    path_before = street.path

    response = patch(client, f"/api/areas/{street.pk}", {"parent_id": district.communities[0].pk})

    assert (response.status_code, fields(response)) == (400, ["body.parent_id"])
    assert Area.objects.get(pk=street.pk).path == path_before


def test_move_and_rename_together_are_all_or_nothing(district, make_user):
    # Given a patch that moves a grid to another community and sets a code a grid cannot have
    client = token_client(make_user("street_officer", area=district.streets[0]))
    grid = district.grid(0, 0, 0)

    response = patch(client, f"/api/areas/{grid.pk}", {"parent_id": district.communities[1].pk,
                                                       "code": "370202001001", "code_year": 2020})

    # Then nothing changed: the grid is still where it was
    assert (response.status_code, fields(response)) == (400, ["body.code"])
    assert Area.objects.get(pk=grid.pk).get_parent().pk == district.communities[0].pk
    assert not AuditEvent.objects.filter(verb="area.move").exists()


def test_move_a_grid_to_another_community(district, make_user):
    client = token_client(make_user("street_officer", area=district.streets[0]))
    grid = district.grid(0, 0, 0)

    response = patch(client, f"/api/areas/{grid.pk}", {"parent_id": district.communities[1].pk, "name": "新網格"})

    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] == district.communities[1].pk
    assert response.json()["name"] == "新網格"


def test_auditor_may_read_but_not_write_areas(district, make_user):
    client = token_client(make_user("auditor", area=district.district))

    assert client.get("/api/areas").json()["count"] == Area.objects.count()
    response = post(client, "/api/areas", {"name": "x", "kind": "grid", "parent_id": district.communities[0].pk})
    assert response.status_code == 403
    assert client.delete(f"/api/areas/{district.grid(0, 0, 0).pk}").status_code == 403


def test_deleting_an_area_still_in_use_is_refused(district, make_user):
    # Given a grid where a person is registered, and an empty new grid
    from bastion.access.scope import system_scope
    from bastion.areas.services import area_create
    from bastion.people.services import person_create

    person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0))
    empty = area_create(scope=system_scope(), name="新網格", kind="grid", parent=district.communities[0])
    client = token_client(make_user("community_worker", area=district.communities[0]))

    in_use = client.delete(f"/api/areas/{district.grid(0, 0, 0).pk}")
    unused = client.delete(f"/api/areas/{empty.pk}")

    # Then the grid in use stays (409, as JSON) and the empty one goes
    assert in_use.status_code == 409
    assert in_use.json()["detail"]
    assert Area.objects.filter(pk=district.grid(0, 0, 0).pk).exists()
    assert not AuditEvent.objects.filter(verb="area.delete", object_id=str(district.grid(0, 0, 0).pk)).exists()
    assert unused.status_code == 204
    assert not Area.objects.filter(pk=empty.pk).exists()


def test_list_and_create_answer_with_and_without_a_trailing_slash(district, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))
    assert client.get("/api/areas").json()["count"] == client.get("/api/areas/").json()["count"] == 3
    for url in ("/api/areas", "/api/areas/"):
        body = {"name": f"第9網格{url[-1]}", "kind": "grid", "parent_id": district.communities[0].pk}
        created = post(client, url, body)
        assert created.status_code == 201, created.content
    assert Area.objects.filter(name__startswith="第9網格").count() == 2


def test_patch_absent_fields_are_kept_and_null_name_is_a_422(district, make_user):
    client = token_client(make_user("street_officer", area=district.streets[0]))
    community = district.communities[0]
    renamed = patch(client, f"/api/areas/{community.pk}", {"name": "仰口社區"})
    assert renamed.status_code == 200, renamed.content
    community.refresh_from_db()
    assert community.name == "仰口社區" and community.code == "370202001001" and community.code_year == 2020
    refused = patch(client, f"/api/areas/{community.pk}", {"name": None})
    assert refused.status_code == 422 and fields(refused) == ["body.name"]
    community.refresh_from_db()
    assert community.name == "仰口社區"
