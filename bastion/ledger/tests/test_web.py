from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.ledger import services
from bastion.ledger.models import Account, Transaction


def test_pages_show_accounts_statements_and_transactions(orgs, dues, make_user, client_for):
    txn = services.allocation_post(scope=system_scope(), source=dues, targets=[(orgs["street"], "300000")],
                                   date=dt.date(2020, 2, 1), memo="第一批")
    client = client_for(make_user("district_admin", org=orgs["district"]))
    assert "300000.00" in client.get(reverse("ledger:index")).content.decode()
    page = client.get(reverse("ledger:account", args=[dues.pk]), {"start": "2020-01-01", "end": "2020-02-29"})
    assert "200000.00" in page.content.decode()
    assert "第一批" in client.get(reverse("ledger:transaction", args=[txn.pk])).content.decode()
    assert client.get(reverse("ledger:transactions")).status_code == 200
    assert client.get(reverse("ledger:allocate")).status_code == 200
    assert client.get(reverse("ledger:special_dues")).status_code == 200


def test_reversal_form_posts_a_reversing_transaction(orgs, dues, make_user, client_for):
    txn = services.allocation_post(scope=system_scope(), source=dues, targets=[(orgs["street"], "10")],
                                   date=dt.date(2020, 2, 1))
    client = client_for(make_user("district_admin", org=orgs["district"]))
    response = client.post(reverse("ledger:transaction", args=[txn.pk]), {"date": "2020-02-02", "reason": "錯誤"})
    assert response.status_code == 302
    assert Transaction.objects.filter(reverses=txn).exists()


def test_a_member_without_ledger_rights_is_refused(orgs, make_user, client_for):
    client = client_for(make_user("member", org=orgs["community"]))
    assert client.get(reverse("ledger:index")).status_code == 403
    assert client.get("/api/ledger/accounts").status_code == 403


def test_api_allocates_and_reports_errors_by_field(orgs, dues, make_user, client_for):
    client = client_for(make_user("district_admin", org=orgs["district"]))
    response = client.post("/api/ledger/allocations", data=json.dumps({
        "source_account_id": dues.pk, "date": "2020-02-01", "memo": "first tranche",
        "targets": [{"organization_id": orgs["street"].pk, "amount": "300000.00"}],
    }), content_type="application/json")
    assert response.status_code == 201, response.content
    assert sorted(e["amount"] for e in response.json()["entries"]) == ["-300000.00", "300000.00"]
    assert client.get("/api/ledger/figures").json() == {"allocated": "300000.00"}
    over = client.post("/api/ledger/allocations", data=json.dumps({
        "source_account_id": dues.pk, "date": "2020-02-01",
        "targets": [{"organization_id": orgs["street"].pk, "amount": "200000.01"}],
    }), content_type="application/json")
    assert over.status_code == 400
    assert over.json()["errors"][0]["field"] == "body.amount"
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    statement = client.get(f"/api/ledger/accounts/{street.pk}/statement",
                           {"start": "2020-02-01", "end": "2020-02-29"}).json()
    assert statement["closing"] == "300000.00"
    dues_resp = client.post("/api/ledger/special-dues", data=json.dumps({
        "organization_id": orgs["community"].pk, "payer_name": "王嵩", "amount": "2000", "date": "2020-02-05",
    }), content_type="application/json")
    assert dues_resp.status_code == 201, dues_resp.content
    assert dues_resp.json()["number"].startswith("SD2020-")


def test_ledger_pages_do_not_query_per_row(orgs, dues, make_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(make_user("district_admin", org=orgs["district"]))
    urls = [reverse("ledger:index"), reverse("ledger:transactions"),
            reverse("ledger:account", args=[dues.pk]) + "?start=2020-01-01&end=2020-12-31"]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    services.allocation_post(scope=system_scope(), source=dues, targets=[(orgs["street"], "1")],
                             date=dt.date(2020, 2, 1))
    before = counts()
    for org in (orgs["other_street"], orgs["community"], orgs["other_community"]):
        services.allocation_post(scope=system_scope(), source=dues, targets=[(org, "1")], date=dt.date(2020, 2, 2))
    assert counts() == before
