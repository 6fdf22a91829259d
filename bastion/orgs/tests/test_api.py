"""Organisations through the JSON API: filters, scope, create/patch/dissolve/move, bad input."""

from __future__ import annotations

import json

from django.test import Client

from bastion.access.tokens import token_create
from bastion.core.models import AuditEvent
from bastion.orgs.models import Organization


def token_client(user) -> Client:
    _token, raw = token_create(user=user, name="test script")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client: Client, url: str, data: dict):
    return client.patch(url, json.dumps(data), content_type="application/json")


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def committee_of(district, community: int) -> Organization:
    return district.pioneer_branches[community * 2].get_parent()


def test_grid_volunteer_sees_only_the_branch_covering_their_grid(district, make_user):
    client = token_client(make_user("member", area=district.grid(0, 0, 0)))

    body = client.get("/api/organizations").json()

    assert [o["id"] for o in body["items"]] == [district.pioneer_branches[0].pk]
    assert body["items"][0]["covered_area_ids"] == [district.grid(0, 0, 0).pk]
    assert client.get(f"/api/organizations/{district.pioneer_branches[1].pk}").status_code == 404


def test_list_filters_by_kind_purpose_parent_and_text(district, make_user):
    client = token_client(make_user("district_admin", area=district.district))
    committee = committee_of(district, 0)

    by_kind = client.get("/api/organizations", {"kind": "community_committee"}).json()
    by_purpose = client.get("/api/organizations", {"purpose": "grid_pioneer", "limit": 2}).json()
    by_parent = client.get("/api/organizations", {"parent_id": committee.pk}).json()
    by_text = client.get("/api/organizations", {"q": "团岛"}).json()  # simplified finds 團島

    assert by_kind["count"] == 4
    assert by_purpose["count"] == 8
    assert len(by_purpose["items"]) == 2
    assert {o["id"] for o in by_parent["items"]} == {b.pk for b in district.pioneer_branches[:2]}
    assert all(o["parent_id"] == committee.pk for o in by_parent["items"])
    assert by_text["count"] == 3  # the committee and its two grid branches


def test_unknown_parent_filter_names_the_query_field(district, make_user):
    client = token_client(make_user("district_admin", area=district.district))

    response = client.get("/api/organizations", {"parent_id": 999999})

    assert response.status_code == 400
    assert fields(response) == ["query.parent_id"]


def test_community_worker_creates_a_pioneer_branch_and_it_is_audited(district, make_user):
    user = make_user("community_worker", area=district.communities[0])
    client = token_client(user)
    committee = committee_of(district, 0)

    response = post(client, "/api/organizations", {
        "name": "仰口路社區突擊隊臨時黨支部", "kind": "temporary_branch", "purpose": "grid_pioneer",
        "parent_id": committee.pk, "area_id": district.communities[0].pk,
        "covered_area_ids": [district.grid(0, 0, 0).pk, district.grid(0, 0, 1).pk], "established": "2020-01-28",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent_id"] == committee.pk
    assert body["covered_area_ids"] == sorted([district.grid(0, 0, 0).pk, district.grid(0, 0, 1).pk])
    event = AuditEvent.objects.get(verb="organization.create", object_id=str(body["id"]))
    assert event.actor == user


def test_a_new_organisation_sits_where_its_parent_does_and_its_creator_sees_it(district, make_user):
    # Given a community worker adding an online branch without saying where it sits
    client = token_client(make_user("community_worker", area=district.communities[0]))

    response = post(client, "/api/organizations", {
        "name": "仰口路社區線上黨支部", "kind": "online_branch", "channel": "仰口路黨員微信群",
        "parent_id": committee_of(district, 0).pk,
    })

    # Then it takes the community committee's area and the worker can read it back
    assert response.status_code == 201, response.content
    assert response.json()["area_id"] == district.communities[0].pk
    assert client.get(f"/api/organizations/{response.json()['id']}").status_code == 200


def test_bad_organisation_input_names_the_field_and_writes_nothing(district, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))
    committee = committee_of(district, 0)
    base = {"name": "新支部", "kind": "temporary_branch", "purpose": "grid_pioneer", "parent_id": committee.pk}
    count, events = Organization.objects.count(), AuditEvent.objects.count()

    cases = {
        "unknown parent": ({**base, "parent_id": 999999}, 400, ["body.parent_id"]),
        "pioneer covering a community": ({**base, "covered_area_ids": [district.communities[0].pk]}, 400,
                                         ["body.covered_area_ids.0"]),
        "unknown covered area": ({**base, "covered_area_ids": [district.grid(0, 0, 0).pk, 999999]}, 400,
                                 ["body.covered_area_ids.1"]),
        "branch under a branch": ({**base, "parent_id": district.pioneer_branches[0].pk}, 400, ["body.parent_id"]),
        "dissolved before established": ({**base, "established": "2020-02-01", "dissolved": "2020-01-01"}, 400,
                                         ["body.dissolved"]),
        "missing purpose": ({**base, "purpose": None}, 400, ["body.purpose"]),
        "unknown kind": ({**base, "kind": "club"}, 422, ["body.kind"]),
        "bad date": ({**base, "established": "2020-02-30"}, 422, ["body.established"]),
        "id that is not a number": ({**base, "covered_area_ids": [district.grid(0, 0, 0).pk, "x"]}, 422,
                                    ["body.covered_area_ids.1"]),
    }
    for name, (payload, status, expected) in cases.items():
        response = post(client, "/api/organizations", payload)
        assert (response.status_code, fields(response)) == (status, expected), name

    assert Organization.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_patch_replaces_covered_areas(district, make_user):
    user = make_user("community_worker", area=district.communities[0])
    client = token_client(user)
    branch = district.pioneer_branches[0]

    response = patch(client, f"/api/organizations/{branch.pk}", {"covered_area_ids": [district.grid(0, 0, 1).pk]})

    assert response.status_code == 200, response.content
    assert response.json()["covered_area_ids"] == [district.grid(0, 0, 1).pk]
    event = AuditEvent.objects.filter(verb="organization.update", object_id=str(branch.pk)).get()
    assert event.diff["covered_areas"] == [[district.grid(0, 0, 0).pk], [district.grid(0, 0, 1).pk]]


def test_dissolve_sets_the_date_once(district, make_user):
    client = token_client(make_user("community_worker", area=district.communities[0]))
    branch = district.pioneer_branches[0]

    first = post(client, f"/api/organizations/{branch.pk}/dissolve", {"on": "2020-04-08"})
    second = post(client, f"/api/organizations/{branch.pk}/dissolve", {"on": "2020-04-09"})

    assert first.status_code == 200
    assert first.json()["dissolved"] == "2020-04-08"
    assert (second.status_code, fields(second)) == (400, ["body.on"])
    branch.refresh_from_db()
    assert branch.dissolved.isoformat() == "2020-04-08"


def test_move_a_branch_to_another_committee(district, make_user):
    user = make_user("street_officer", area=district.streets[0])
    client = token_client(user)
    branch, target = district.pioneer_branches[0], committee_of(district, 1)

    response = post(client, f"/api/organizations/{branch.pk}/move", {"parent_id": target.pk})

    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] == target.pk
    assert AuditEvent.objects.filter(verb="organization.move", object_id=str(branch.pk), actor=user).exists()


def test_move_under_its_own_descendant_is_refused(district, make_user):
    client = token_client(make_user("street_officer", area=district.streets[0]))
    committee = committee_of(district, 0)
    path_before = Organization.objects.get(pk=committee.pk).path

    response = post(client, f"/api/organizations/{committee.pk}/move", {"parent_id": district.pioneer_branches[0].pk})

    assert (response.status_code, fields(response)) == (400, ["body.parent_id"])
    assert Organization.objects.get(pk=committee.pk).path == path_before


def test_patch_is_all_or_nothing(district, make_user):
    # Given a patch that moves a branch and also sets an impossible date
    client = token_client(make_user("street_officer", area=district.streets[0]))
    branch, target = district.pioneer_branches[0], committee_of(district, 1)
    parent_before = branch.get_parent().pk

    response = patch(client, f"/api/organizations/{branch.pk}",
                     {"parent_id": target.pk, "established": "2020-02-01", "dissolved": "2020-01-01"})

    # Then it is refused and the move did not happen either
    assert (response.status_code, fields(response)) == (400, ["body.dissolved"])
    assert Organization.objects.get(pk=branch.pk).get_parent().pk == parent_before
    assert not AuditEvent.objects.filter(verb="organization.move").exists()


def test_auditor_and_volunteer_may_not_change_organisations(district, make_user):
    branch = district.pioneer_branches[0]
    for role, area in (("auditor", district.district), ("member", district.grid(0, 0, 0))):
        client = token_client(make_user(role, area=area))

        assert client.get(f"/api/organizations/{branch.pk}").status_code == 200
        assert patch(client, f"/api/organizations/{branch.pk}", {"name": "改名"}).status_code == 403
        assert post(client, f"/api/organizations/{branch.pk}/dissolve", {"on": "2020-04-08"}).status_code == 403

    branch.refresh_from_db()
    assert branch.name.endswith("臨時黨支部")
    assert branch.dissolved is None


def test_organisation_list_queries_do_not_grow_with_the_rows(district, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bastion.access.scope import system_scope
    from bastion.orgs.services import org_create

    client = token_client(make_user("district_admin", area=district.district))
    client.get("/api/organizations")  # the token's last use is written once; measure after that

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/organizations").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(6):
        org_create(scope=system_scope(), name=f"突擊隊{i}", kind="temporary_branch", purpose="assault_team",
                   parent=committee_of(district, 0), area=district.communities[0],
                   covered_areas=[district.grid(0, 0, 0)])

    assert count() == few


def test_list_and_create_answer_with_and_without_a_trailing_slash(district, make_user):
    client = token_client(make_user("district_admin", area=district.district))
    assert client.get("/api/organizations").json()["count"] == client.get("/api/organizations/").json()["count"]
    parent = committee_of(district, 0)
    for url in ("/api/organizations", "/api/organizations/"):
        created = post(client, url, {"name": f"突擊隊{url[-1]}", "kind": "temporary_branch",
                                     "purpose": "assault_team", "parent_id": parent.pk})
        assert created.status_code == 201, created.content
    assert Organization.objects.filter(name__startswith="突擊隊").count() == 2


def test_patch_null_clears_a_date_and_absent_fields_are_kept(district, make_user):
    import datetime as dt

    branch = district.pioneer_branches[0]
    Organization.objects.filter(pk=branch.pk).update(established=dt.date(2020, 2, 1))
    client = token_client(make_user("community_worker", area=district.communities[0]))
    response = patch(client, f"/api/organizations/{branch.pk}", {"established": None})
    assert response.status_code == 200, response.content
    branch.refresh_from_db()
    assert branch.established is None
    assert branch.name == district.pioneer_branches[0].name and branch.area_id == district.communities[0].pk
    assert [a.pk for a in branch.covered_areas.all()] == [district.grid(0, 0, 0).pk]


def test_patch_null_on_a_field_that_cannot_be_empty_is_a_422_naming_it(district, make_user):
    branch = district.pioneer_branches[0]
    client = token_client(make_user("community_worker", area=district.communities[0]))
    for field in ("name", "covered_area_ids", "parent_id"):
        response = patch(client, f"/api/organizations/{branch.pk}", {field: None})
        assert response.status_code == 422, field
        assert fields(response) == [f"body.{field}"]
    branch.refresh_from_db()
    assert branch.name == district.pioneer_branches[0].name
    assert not AuditEvent.objects.filter(verb="organization.update").exists()
