"""Pages for onward distribution, items, containers, locations, purchase reversal and ledger receipts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.ledger.models import Account, Transaction
from bastion.supplies import services
from bastion.supplies.models import Container, Distribution, Item, Location, Purchase, ReceivedLot, Stock

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def give(purchase, recipient, containers, signer="甲"):
    return services.distribution_create(
        scope=system_scope(), purchase=purchase, recipient=recipient, containers=containers,
        method="dedicated_vehicle", use="residential_compounds", date=dt.date(2020, 2, 4), signer_name=signer,
    )


@pytest.fixture
def received(setup, buy):
    services.location_ensure(scope=system_scope(), organization=setup.communities[0], name="仰口路社區物資室")
    return ReceivedLot.objects.get(distribution=give(buy(), setup.communities[0], 10))


def test_a_community_worker_gives_on_from_the_lot_page(setup, district, received, make_user, client_for):
    client = client_for(make_user("community_worker", org=setup.communities[0]))
    url = reverse("supplies:lot", args=[received.pk])
    page = client.get(url).content.decode()
    assert setup.street.name in page and district.pioneer_branches[0].name in page  # trace back; grids offered
    response = client.post(url, {"recipient": district.pioneer_branches[0].pk, "containers": "4",
                                 "method": "dedicated_vehicle", "use": "residential_compounds",
                                 "date": "2020-02-05", "signer_name": "網格長"})
    assert response.status_code == 302
    d = Distribution.objects.get(source=received)
    assert d.quantity == Decimal("8.000") and d.signer_name == "網格長"
    detail = client.get(reverse("supplies:distribution", args=[d.pk])).content.decode()
    assert setup.street.name in detail and setup.communities[0].name in detail
    # the grid's trace page names both hops
    trace = client.get(reverse("supplies:recipient_trace", args=[district.pioneer_branches[0].pk])).content.decode()
    assert setup.communities[0].name in trace and setup.account.label in trace


def test_the_lot_page_refuses_too_much_with_the_field_named(setup, district, received, make_user, client_for):
    client = client_for(make_user("community_worker", org=setup.communities[0]))
    response = client.post(reverse("supplies:lot", args=[received.pk]), {
        "recipient": district.pioneer_branches[0].pk, "containers": "11", "method": "dedicated_vehicle",
        "use": "residential_compounds", "date": "2020-02-05"}, **EN)
    assert response.status_code == 200
    assert 'id="d-qty-error"' in response.content.decode()
    assert not Distribution.objects.filter(source=received).exists()


def test_another_community_cannot_see_or_use_the_lot(setup, district, received, make_user, client_for):
    client = client_for(make_user("community_worker", org=setup.communities[1]))
    url = reverse("supplies:lot", args=[received.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"recipient": district.pioneer_branches[2].pk, "containers": "1",
                                 "method": "dedicated_vehicle", "use": "residential_compounds", "date": "2020-02-05"})
    assert response.status_code == 404
    assert not Distribution.objects.filter(source=received).exists()


def test_a_grid_secretary_sees_the_lot_given_to_it_but_has_no_form(setup, district, received, make_user,
                                                                   client_for):
    d = services.distribution_create(scope=system_scope(), lot=received, recipient=district.pioneer_branches[0],
                                     containers=1, method="dedicated_vehicle", use="residential_compounds",
                                     date=dt.date(2020, 2, 5))
    client = client_for(make_user("grid_secretary", org=district.pioneer_branches[0]))
    page = client.get(reverse("supplies:distribution", args=[d.pk])).content.decode()
    assert setup.communities[0].name in page
    assert 'name="signer_name"' not in page


def test_take_into_stock_button_for_supplies_signed_before_the_store(setup, buy, make_user, client_for):
    d = give(buy(), setup.communities[0], 5)
    services.location_ensure(scope=system_scope(), organization=setup.communities[0], name="物資室")
    client = client_for(make_user("community_worker", org=setup.communities[0]))
    url = reverse("supplies:distribution", args=[d.pk])
    assert 'value="receive"' in client.get(url).content.decode()
    response = client.post(url, {"action": "receive"})
    lot = ReceivedLot.objects.get(distribution=d)
    assert response.status_code == 302 and response.url == reverse("supplies:lot", args=[lot.pk])
    assert 'value="receive"' not in client.get(url).content.decode()


def test_the_purchase_page_reverses_an_untouched_purchase(setup, buy, make_user, client_for):
    purchase = buy()
    client = client_for(make_user("street_officer", org=setup.street))
    url = reverse("supplies:purchase", args=[purchase.pk])
    assert 'value="reverse"' in client.get(url).content.decode()
    bad = client.post(url, {"action": "reverse", "date": "2020-02-05", "reason": ""}, **EN)
    assert bad.status_code == 200 and 'id="r-reason-error"' in bad.content.decode()
    response = client.post(url, {"action": "reverse", "date": "2020-02-05", "reason": "錯錄"})
    assert response.status_code == 302
    assert Stock.objects.get(location=setup.warehouse, item=setup.alcohol).quantity == 0
    assert Transaction.objects.filter(reverses=purchase.payment).exists()
    assert AuditEvent.objects.filter(verb="purchase.reverse").exists()
    page = client.get(url).content.decode()
    assert 'value="reverse"' not in page and 'name="recipient"' not in page


def test_the_purchase_page_explains_why_a_distributed_purchase_cannot_be_reversed(setup, buy, make_user,
                                                                                  client_for):
    purchase = buy()
    give(purchase, setup.police, 1)
    client = client_for(make_user("street_officer", org=setup.street))
    response = client.post(reverse("supplies:purchase", args=[purchase.pk]),
                           {"action": "reverse", "date": "2020-02-05", "reason": "x"}, **EN)
    assert response.status_code == 200
    assert "already been distributed" in response.content.decode()
    assert Purchase.objects.get(pk=purchase.pk).remaining == Decimal("398.000")


def test_the_ledger_page_of_a_purchase_payment_points_to_the_purchase(setup, buy, make_user, client_for):
    purchase = buy()
    client = client_for(make_user("street_officer", org=setup.street))
    page = client.get(reverse("ledger:transaction", args=[purchase.payment_id])).content.decode()
    assert reverse("supplies:purchase", args=[purchase.pk]) in page
    response = client.post(reverse("ledger:transaction", args=[purchase.payment_id]),
                           {"date": "2020-02-05", "reason": "x"})
    assert response.status_code == 200
    assert not Transaction.objects.filter(reverses=purchase.payment).exists()


def test_items_and_containers_are_added_from_the_items_page(setup, make_user, client_for):
    client = client_for(make_user("street_officer", org=setup.street))
    url = reverse("supplies:items")
    assert client.post(url, {"form": "item", "code": "masks", "name": "口罩", "dimension": "count"}).status_code == 302
    masks = Item.objects.get(code="masks")
    assert masks.base_unit == "piece"
    response = client.post(url, {"form": "container", "item": masks.pk, "container": "盒", "holds": "50",
                                 "unit": "piece"})
    assert response.status_code == 302
    assert Container.objects.get(item=masks).holds == Decimal("50.000")
    assert AuditEvent.objects.filter(verb="container.create").exists()
    assert "盒 (50 piece)" in client.get(url).content.decode()


@pytest.mark.parametrize(("data", "error_id"), [
    ({"form": "item", "code": "alcohol", "name": "酒精", "dimension": "mass"}, "i-code-error"),
    ({"form": "item", "code": "bad code!", "name": "x", "dimension": "mass"}, "i-code-error"),
    ({"form": "item", "code": "gloves", "name": "", "dimension": "count"}, "i-name-error"),
    ({"form": "item", "code": "gloves", "name": "手套", "dimension": "weight"}, "i-dim-error"),
    ({"form": "container", "container": "", "holds": "2", "unit": "kg"}, "c-name-error"),
    ({"form": "container", "container": "桶", "holds": "-2", "unit": "kg"}, "c-holds-error"),
    ({"form": "container", "container": "桶", "holds": "abc", "unit": "kg"}, "c-holds-error"),
    ({"form": "container", "container": "桶", "holds": "2", "unit": "L"}, "c-unit-error"),
    ({"form": "container", "container": "桶" * 41, "holds": "2", "unit": "kg"}, "c-name-error"),
])
def test_the_items_page_names_the_bad_field_and_writes_nothing(setup, make_user, client_for, data, error_id):
    client = client_for(make_user("street_officer", org=setup.street))
    if data["form"] == "container":
        data = {**data, "item": setup.alcohol.pk}
    before = (Item.objects.count(), Container.objects.count())
    response = client.post(reverse("supplies:items"), data, **EN)
    assert response.status_code == 200
    assert f'id="{error_id}"' in response.content.decode()
    assert (Item.objects.count(), Container.objects.count()) == before


def test_a_grid_secretary_reads_the_catalogue_but_cannot_add(setup, district, make_user, client_for):
    client = client_for(make_user("grid_secretary", org=district.pioneer_branches[0]))
    assert 'name="code"' not in client.get(reverse("supplies:items")).content.decode()
    response = client.post(reverse("supplies:items"), {"form": "item", "code": "x", "name": "x",
                                                       "dimension": "count"})
    assert response.status_code == 403
    assert not Item.objects.filter(code="x").exists()


def test_a_community_opens_its_receiving_location(setup, make_user, client_for):
    client = client_for(make_user("community_worker", org=setup.communities[0]))
    url = reverse("supplies:locations")
    response = client.post(url, {"organization": setup.communities[0].pk, "name": "物資室"})
    assert response.status_code == 302
    assert Location.objects.get(organization=setup.communities[0], name="物資室").receives
    # another community or an empty name are refused with the field named
    bad = client.post(url, {"organization": setup.communities[1].pk, "name": "x"}, **EN)
    assert bad.status_code == 200 and 'id="l-org-error"' in bad.content.decode()
    bad = client.post(url, {"organization": setup.communities[0].pk, "name": " "}, **EN)
    assert 'id="l-name-error"' in bad.content.decode()
    assert Location.objects.filter(organization__in=setup.communities).count() == 1
    assert "物資室" in client.get(url).content.decode()


def test_the_receipts_page_posts_money_from_outside(setup, make_user, client_for):
    client = client_for(make_user("street_officer", org=setup.street))
    url = reverse("ledger:receipts")
    balance = Account.objects.get(pk=setup.account.pk).balance
    response = client.post(url, {"account": setup.account.pk, "amount": "5000.50", "date": "2020-02-06",
                                 "memo": "愛心企業捐款"})
    assert response.status_code == 302
    assert Account.objects.get(pk=setup.account.pk).balance == balance + Decimal("5000.50")
    assert "愛心企業捐款" in client.get(url).content.decode()


@pytest.mark.parametrize(("data", "error_id"), [
    ({"amount": "abc", "date": "2020-02-06"}, "r-amount-error"),
    ({"amount": "1.005", "date": "2020-02-06"}, "r-amount-error"),
    ({"amount": "-5", "date": "2020-02-06"}, "r-amount-error"),
    ({"amount": "1" + "0" * 15, "date": "2020-02-06"}, "r-amount-error"),
    ({"amount": "5", "date": "not a date"}, "r-date-error"),
    ({"amount": "5", "date": "2020-02-06", "account": "999999"}, "r-acc-error"),
])
def test_the_receipts_page_names_the_bad_field_and_writes_nothing(setup, make_user, client_for, data, error_id):
    client = client_for(make_user("street_officer", org=setup.street))
    before = Transaction.objects.count()
    response = client.post(reverse("ledger:receipts"), {"account": setup.account.pk, **data}, **EN)
    assert response.status_code == 200
    assert f'id="{error_id}"' in response.content.decode()
    assert Transaction.objects.count() == before


def test_receipts_into_another_streets_fund_are_refused(setup, make_user, client_for):
    client = client_for(make_user("street_officer", org=setup.other_street))
    response = client.post(reverse("ledger:receipts"), {"account": setup.account.pk, "amount": "5",
                                                        "date": "2020-02-06"}, **EN)
    assert response.status_code == 200 and 'id="r-acc-error"' in response.content.decode()
    auditor = client_for(make_user("auditor", org=setup.street))
    assert auditor.post(reverse("ledger:receipts"), {"account": setup.account.pk, "amount": "5",
                                                     "date": "2020-02-06"}).status_code == 403


def test_api_gives_on_from_a_received_lot(setup, district, received, make_user, client_for):
    import json

    client = client_for(make_user("community_worker", org=setup.communities[0]))
    lots = client.get("/api/supplies/received-lots").json()
    assert [row["id"] for row in lots["items"]] == [received.pk]
    response = client.post("/api/supplies/distributions", data=json.dumps({
        "lot_id": received.pk, "recipient_id": district.pioneer_branches[1].pk, "containers": 2,
        "method": "central_pickup", "use": "residential_compounds", "date": "2020-02-05"}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["source_id"] == received.pk
    other = client_for(make_user("community_worker", org=setup.communities[1]))
    response = other.post("/api/supplies/distributions", data=json.dumps({
        "lot_id": received.pk, "recipient_id": district.pioneer_branches[2].pk, "containers": 1,
        "method": "central_pickup", "use": "residential_compounds", "date": "2020-02-05"}),
        content_type="application/json")
    assert response.status_code == 404


def test_api_reverses_a_purchase_and_adds_containers(setup, buy, make_user, client_for):
    import json

    purchase = buy()
    client = client_for(make_user("street_officer", org=setup.street))
    response = client.post(f"/api/supplies/items/{setup.alcohol.pk}/containers", data=json.dumps(
        {"name": "瓶", "holds": "500", "unit": "g"}), content_type="application/json")
    assert response.status_code == 201 and response.json()["holds"] == "0.500"
    bad = client.post(f"/api/supplies/items/{setup.alcohol.pk}/containers", data=json.dumps(
        {"name": "瓶", "holds": "500", "unit": "mL"}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "body.unit"
    response = client.post(f"/api/supplies/purchases/{purchase.pk}/reverse", data=json.dumps(
        {"date": "2020-02-05", "reason": "錯錄"}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["remaining"] == "0.000"
    again = client.post(f"/api/supplies/purchases/{purchase.pk}/reverse", data=json.dumps(
        {"date": "2020-02-05", "reason": "錯錄"}), content_type="application/json")
    assert again.status_code == 400
    # the ledger's own reversal endpoint refuses a purchase payment
    other = buy()
    refused = client.post(f"/api/ledger/transactions/{other.payment_id}/reverse", data=json.dumps(
        {"date": "2020-02-05", "reason": "x"}), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "body.transaction"


def test_api_takes_earlier_signed_supplies_into_stock(setup, buy, make_user, client_for):
    d = give(buy(), setup.communities[0], 5)
    services.location_ensure(scope=system_scope(), organization=setup.communities[0], name="物資室")
    client = client_for(make_user("community_worker", org=setup.communities[0]))
    response = client.post(f"/api/supplies/distributions/{d.pk}/receive")
    assert response.status_code == 201, response.content
    assert response.json()["remaining"] == "10.000"
    assert client.post(f"/api/supplies/distributions/{d.pk}/receive").status_code == 400
