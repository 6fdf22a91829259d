"""Authentication and the access endpoints of the JSON API: tokens, session + CSRF, /me, audit."""

from __future__ import annotations

import json

from django.test import Client

from bastion.access.models import Grant
from bastion.access.scope import system_scope
from bastion.access.tokens import token_create, token_revoke
from bastion.people.models import Person
from bastion.people.services import person_create, person_update


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_anonymous_calls_get_a_json_401(district):
    client = Client()

    for url in ("/api/access/me", "/api/persons", f"/api/areas/{district.district.pk}"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"] == "authentication required"
    write = client.post("/api/persons", json.dumps({"name": "x"}), content_type="application/json")
    assert write.status_code == 401


def test_a_token_acts_with_its_users_scope(district, make_user):
    # Given a volunteer of one grid with a token
    user = make_user("member", area=district.grid(0, 0, 0))
    _token, raw = token_create(user=user, name="phone")

    # When the token lists areas and asks who it is
    areas = bearer(raw).get("/api/areas").json()
    me = bearer(raw).get("/api/access/me").json()

    # Then it sees the volunteer's grid only, as the volunteer
    assert [a["id"] for a in areas["items"]] == [district.grid(0, 0, 0).pk]
    assert me["username"] == user.username
    assert me["grants"] == [{"role": "member", "area_id": district.grid(0, 0, 0).pk,
                             "area_name": district.grid(0, 0, 0).name, "organization_id": None,
                             "organization_name": None}]


def test_a_revoked_token_gets_401(district, make_user):
    user = make_user("district_admin", area=district.district)
    token, raw = token_create(user=user, name="old laptop")
    assert bearer(raw).get("/api/access/me").status_code == 200

    token_revoke(user=user, token=token)

    response = bearer(raw).get("/api/access/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "authentication required"


def test_unknown_or_malformed_tokens_get_401(district, make_user):
    _token, raw = token_create(user=make_user("district_admin", area=district.district), name="x")

    assert bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B")).get("/api/access/me").status_code == 401
    assert bearer("not-a-token").get("/api/access/me").status_code == 401


def test_token_of_a_deactivated_user_gets_401(district, make_user):
    user = make_user("district_admin", area=district.district)
    _token, raw = token_create(user=user, name="x")
    user.is_active = False
    user.save()

    assert bearer(raw).get("/api/access/me").status_code == 401


def test_session_write_needs_the_csrf_token(district, make_user):
    # Given a signed-in browser that enforces CSRF like a real one
    user = make_user("community_worker", area=district.communities[0])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    payload = json.dumps({"name": "張三", "area_id": district.grid(0, 0, 0).pk})

    # A read works with the session alone
    assert client.get("/api/persons").status_code == 200

    # A write without the CSRF token is refused, as JSON, and writes nothing
    refused = client.post("/api/persons", payload, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert Person.objects.count() == 0

    # With the CSRF cookie echoed in the X-CSRFToken header, as the pages' script does, it goes through
    csrf = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a 32-character CSRF secret
    client.cookies["csrftoken"] = csrf
    accepted = client.post("/api/persons", payload, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201, accepted.content
    assert Person.objects.count() == 1


def test_a_bearer_token_needs_no_csrf_token(district, make_user):
    _token, raw = token_create(user=make_user("community_worker", area=district.communities[0]), name="script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})

    response = client.post("/api/persons", json.dumps({"name": "張三", "area_id": district.grid(0, 0, 0).pk}),
                           content_type="application/json")

    assert response.status_code == 201


def test_me_lists_grants_and_permissions(district, make_user):
    user = make_user("auditor", area=district.district)
    Grant.objects.create(user=user, role="grid_secretary", area=district.grid(1, 1, 1))
    client = Client()
    client.force_login(user)

    me = client.get("/api/access/me").json()

    assert {g["role"] for g in me["grants"]} == {"auditor", "grid_secretary"}
    assert "person.view" in me["permissions"]
    assert "audit.view" in me["permissions"]
    assert me["person"] is None


def test_user_without_grants_is_authenticated_but_may_not_list(district, make_user):
    client = Client()
    client.force_login(make_user())

    assert client.get("/api/access/me").json()["permissions"] == []
    response = client.get("/api/persons")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


def test_audit_events_of_an_object(district, make_user):
    # Given a person changed once by a community worker
    worker = make_user("community_worker", area=district.communities[0])
    from bastion.access.scope import resolve_scope

    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0))
    person_update(scope=resolve_scope(worker), person=person, party_status="activist")
    query = {"object_type": "people.person", "object_id": str(person.pk)}

    # When the worker, an auditor of another street, a volunteer of the grid ask for its history
    client = Client()
    client.force_login(worker)
    mine = client.get("/api/access/audit", query).json()
    _t, raw = token_create(user=make_user("auditor", area=district.streets[1]), name="x")
    elsewhere = bearer(raw).get("/api/access/audit", query).json()
    _t, raw = token_create(user=make_user("member", area=district.grid(0, 0, 0)), name="x")
    volunteer = bearer(raw).get("/api/access/audit", query)

    # Then the worker sees both events, newest first, with the diff
    assert [e["verb"] for e in mine["items"]] == ["person.update", "person.create"]
    assert mine["items"][0]["actor"] == worker.username
    assert mine["items"][0]["diff"] == {"party_status": ["none", "activist"]}
    assert mine["items"][1]["actor"] is None
    # the auditor of another street sees none, the volunteer (no audit.view) is refused
    assert elsewhere["count"] == 0
    assert volunteer.status_code == 403


def test_audit_needs_the_object(district, make_user):
    client = Client()
    client.force_login(make_user("district_admin", area=district.district))

    response = client.get("/api/access/audit")

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"query.object_type", "query.object_id"}


def test_openapi_schema_is_public_and_lists_every_operation(db):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/persons", "/api/persons/{person_id}/reveal", "/api/organizations/{org_id}/move",
            "/api/memberships", "/api/access/me", "/api/access/audit"} <= set(paths)
    assert Client().get("/api/docs").status_code == 200
