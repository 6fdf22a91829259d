from __future__ import annotations

import json

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.supplies import services
from bastion.supplies.models import Distribution


def test_pages_show_stock_purchases_and_the_trace(setup, buy, make_user, client_for):
    purchase = buy()
    d = services.distribution_create(scope=system_scope(), purchase=purchase, recipient=setup.communities[0],
                                     containers=40, method="central_pickup", use="nine_small_venues",
                                     date=purchase.date, signer_name="董彰")
    client = client_for(make_user("street_officer", org=setup.street))
    assert "湛山街道倉庫" in client.get(reverse("supplies:index")).content.decode()
    assert "董彰" in client.get(reverse("supplies:purchase", args=[purchase.pk])).content.decode()
    page = client.get(reverse("supplies:recipient_trace", args=[setup.communities[0].pk])).content.decode()
    assert "董彰" in page and setup.account.label in page
    assert "800 斤" in client.get(reverse("supplies:purchase", args=[purchase.pk])).content.decode()
    page = client.get(reverse("supplies:fund_trace", args=[setup.account.pk])).content.decode()
    assert setup.communities[0].name in page
    assert client.get(reverse("supplies:distribution", args=[d.pk])).status_code == 200


def test_distribution_form_refuses_more_than_the_stock(setup, buy, make_user, client_for):
    purchase = buy(containers=5)
    client = client_for(make_user("street_officer", org=setup.street))
    response = client.post(reverse("supplies:purchase", args=[purchase.pk]), {
        "recipient": setup.communities[0].pk, "containers": "6", "method": "dedicated_vehicle",
        "use": "residential_compounds", "date": "2020-02-05",
    })
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Distribution.objects.exists()


def test_api_distributes_and_traces_within_scope(setup, buy, make_user, client_for):
    purchase = buy()
    street = client_for(make_user("street_officer", org=setup.street))
    response = street.post("/api/supplies/distributions", data=json.dumps({
        "purchase_id": purchase.pk, "recipient_id": setup.police.pk, "containers": 10,
        "method": "dedicated_vehicle", "use": "checkpoints", "date": "2020-02-05", "signer_name": "值班民警",
    }), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["quantity"] == "20.000"
    too_much = street.post("/api/supplies/distributions", data=json.dumps({
        "purchase_id": purchase.pk, "recipient_id": setup.police.pk, "containers": 500,
        "method": "dedicated_vehicle", "use": "checkpoints", "date": "2020-02-05",
    }), content_type="application/json")
    assert too_much.status_code == 400
    assert too_much.json()["errors"][0]["field"] == "body.quantity"
    trace = street.get(f"/api/supplies/trace/recipients/{setup.police.pk}").json()
    assert trace[0]["distribution"]["signer"] == "值班民警"
    figures = street.get(f"/api/supplies/figures/streets/{setup.street.pk}").json()
    assert figures["alcohol"] == {"containers": 200, "kg": "400.00"}
    # a community sees nothing it did not receive
    community = client_for(make_user("community_worker", org=setup.communities[1]))
    assert community.get("/api/supplies/distributions").json()["count"] == 0
    assert community.get("/api/supplies/purchases").json()["count"] == 0


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_trace_pages_do_not_query_per_row(setup, buy, make_user, client_for):
    purchase = buy()
    client = client_for(make_user("street_officer", org=setup.street))

    def give(n):
        for _ in range(n):
            services.distribution_create(scope=system_scope(), purchase=purchase, recipient=setup.communities[0],
                                         containers=1, method="central_pickup", use="residential_compounds",
                                         date=purchase.date, signer_name="董彰")

    give(2)
    urls = [reverse("supplies:index"), reverse("supplies:recipient_trace", args=[setup.communities[0].pk]),
            reverse("supplies:fund_trace", args=[setup.account.pk]), reverse("supplies:purchase", args=[purchase.pk])]
    before = [_queries(client, url) for url in urls]
    give(8)
    assert [_queries(client, url) for url in urls] == before


def test_purchase_form_can_name_a_new_warehouse_and_pays_from_the_ledger(setup, make_user, client_for):
    client = client_for(make_user("street_officer", org=setup.street))
    assert client.get(reverse("supplies:purchase_new")).status_code == 200
    response = client.post(reverse("supplies:purchase_new"), {
        "item": setup.disinfectant.pk, "container_name": "桶", "holds": "3.8", "holds_unit": "L",
        "containers": "100", "amount": "3800", "account": setup.account.pk, "purpose": setup.supplies.pk,
        "new_location": "湛山街道第二倉庫", "date": "2020-02-03",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from bastion.supplies.models import Stock

    stock = Stock.objects.get(location__name="湛山街道第二倉庫")
    assert str(stock.quantity) == "380.000"
    # a unit of the wrong dimension is refused with the form shown again
    again = client.post(reverse("supplies:purchase_new"), {
        "item": setup.alcohol.pk, "container_name": "桶", "holds": "2", "holds_unit": "L", "containers": "1",
        "amount": "10", "account": setup.account.pk, "purpose": setup.supplies.pk, "location": stock.location.pk,
        "date": "2020-02-03",
    })
    assert again.status_code == 200 and "errorlist" in again.content.decode()


def test_api_adds_items_and_locations(setup, make_user, client_for):
    client = client_for(make_user("street_officer", org=setup.street))
    r = client.post("/api/supplies/items", data=json.dumps({"code": "masks", "name": "口罩", "dimension": "count"}),
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["base_unit"] == "piece"
    bad = client.post("/api/supplies/items", data=json.dumps({"code": "x", "name": "x", "dimension": "colour"}),
                      content_type="application/json")
    assert bad.status_code == 422
    loc = client.post("/api/supplies/locations", data=json.dumps({"organization_id": setup.street.pk, "name": "倉庫B"}),
                      content_type="application/json")
    assert loc.status_code == 201
    assert "倉庫B" in [row["name"] for row in client.get("/api/supplies/locations").json()["items"]]
    other = client.post("/api/supplies/locations",
                        data=json.dumps({"organization_id": setup.other_street.pk, "name": "倉庫C"}),
                        content_type="application/json")
    assert other.status_code == 404


def test_a_fund_outside_the_scope_is_answered_as_missing(setup, buy, make_user, client_for):
    buy()
    community = client_for(make_user("community_worker", org=setup.communities[1]))
    outside = community.get(f"/api/supplies/trace/funds/{setup.account.pk}")
    missing = community.get("/api/supplies/trace/funds/999999")
    assert outside.status_code == missing.status_code == 404
    street = client_for(make_user("street_officer", org=setup.street))
    assert street.get(f"/api/supplies/trace/funds/{setup.account.pk}").status_code == 200
