from __future__ import annotations

import json

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.care import services


def test_pages_show_the_policy_cases_and_checklist(care, make_user, client_for):
    case = services.case_create(scope=system_scope(), situation=care.situation, person=care.person,
                                organization=care.community, facts="確診", amount="800")
    client = client_for(make_user("community_worker", org=care.community))
    assert care.person.name in client.get(reverse("care:index")).content.decode()
    assert "確診" in client.get(reverse("care:policy", args=[care.policy.pk])).content.decode()
    response = client.post(reverse("care:case", args=[case.pk]), {"action": "approve", "comment": "屬實"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "community_approved"
    assert "屬實" in client.get(reverse("care:case", args=[case.pk])).content.decode()
    assert care.rest.name in client.get(reverse("care:cadre", args=[care.person.pk])).content.decode()
    assert client.get(reverse("care:case_new")).status_code == 200


def test_api_runs_the_chain_and_refuses_a_second_payment(care, make_user, client_for):
    community = client_for(make_user("community_worker", org=care.community))
    created = community.post("/api/care/cases", data=json.dumps({
        "situation_id": care.situation.pk, "person_id": care.person.pk, "organization_id": care.community.pk,
        "facts": "隔離期間生活困難", "amount": "500.00",
    }), content_type="application/json")
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    deciders = [
        client_for(make_user("community_worker", org=care.community)),
        client_for(make_user("street_officer", org=care.street)),
        client_for(make_user("district_admin", org=care.district)),
    ]
    for client in deciders:
        r = client.post(f"/api/care/cases/{case_id}/decision", data=json.dumps({"approve": True, "comment": "ok"}),
                        content_type="application/json")
        assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved"
    pay = {"account_id": care.account.pk, "date": "2020-02-12"}
    first = deciders[2].post(f"/api/care/cases/{case_id}/payment", data=json.dumps(pay),
                             content_type="application/json")
    assert first.status_code == 200 and first.json()["status"] == "paid"
    second = deciders[2].post(f"/api/care/cases/{case_id}/payment", data=json.dumps(pay),
                              content_type="application/json")
    assert second.status_code == 400
    assert deciders[2].get("/api/care/figures").json() == {"situations": 2, "frontline_measures": 2}


def test_case_list_does_not_query_per_row(care, make_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(make_user("district_admin", org=care.district))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("care:index")).status_code == 200
        return len(ctx.captured_queries)

    services.case_create(scope=system_scope(), situation=care.situation, person=care.person,
                         organization=care.community, facts="x", amount="10")
    before = count()
    for _ in range(5):
        services.case_create(scope=system_scope(), situation=care.situation, person=care.person,
                             organization=care.community, facts="x", amount="10")
    assert count() == before


def test_api_configures_situations_and_measures(care, make_user, client_for):
    client = client_for(make_user("district_admin", org=care.district))
    r = client.post(f"/api/care/policies/{care.policy.pk}/situations",
                    data=json.dumps({"name": "因公殉職黨員家屬", "order": 6, "max_amount": "5000"}),
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["max_amount"] == "5000.00"
    r = client.post(f"/api/care/policies/{care.policy.pk}/measures",
                    data=json.dumps({"name": "心理疏導", "order": 3}), content_type="application/json")
    assert r.status_code == 201
    assert client.get("/api/care/figures").json() == {"situations": 3, "frontline_measures": 3}
    community = client_for(make_user("community_worker", org=care.community))
    denied = community.post(f"/api/care/policies/{care.policy.pk}/measures",
                            data=json.dumps({"name": "x"}), content_type="application/json")
    assert denied.status_code == 403
