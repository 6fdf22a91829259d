from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.ledger.models import Account, Purpose, Transaction
from bastion.supplies import selectors, services
from bastion.supplies.models import Distribution, Purchase, Stock

D = dt.date(2020, 2, 5)


def give(setup, purchase, recipient, scope=None, **kw):
    if "quantity" not in kw:
        kw.setdefault("containers", 10)
    kw.setdefault("method", "dedicated_vehicle")
    kw.setdefault("use", "residential_compounds")
    return services.distribution_create(
        scope=scope or system_scope(), purchase=purchase, recipient=recipient, date=D, **kw
    )


def test_purchase_is_paid_from_the_ledger_and_received_into_stock(setup, buy):
    # when the street buys 200 barrels of alcohol holding 4 斤 (2 kg) each for 12,000 yuan
    purchase = buy()
    # then 400 kg are in the warehouse and the allocated dues paid for them
    assert purchase.quantity == Decimal("400.000")
    assert Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity == Decimal("400.000")
    setup.account.refresh_from_db()
    assert setup.account.balance == Decimal("38000.00")
    assert purchase.payment.kind == "purchase"
    assert purchase.payment.purpose.code == "prevention_supplies"


def test_a_purchase_the_fund_cannot_pay_leaves_nothing_behind(setup, buy):
    with pytest.raises(ValidationError) as err:
        buy(amount="50000.01")
    assert "amount" in err.value.message_dict
    assert not Purchase.objects.exists()
    assert not Stock.objects.filter(quantity__gt=0).exists()
    assert not Transaction.objects.filter(kind="purchase").exists()


def test_a_purpose_the_fence_does_not_allow_is_refused(setup):
    banquet = Purpose.objects.create(code="banquet", name="Banquet")
    with pytest.raises(ValidationError) as err:
        services.purchase_create(
            scope=system_scope(), organization=setup.street, item=setup.alcohol, container_name="桶", holds="2",
            holds_unit="kg", containers=1, amount="10", account=setup.account, purpose=banquet,
            location=setup.warehouse, date=D,
        )
    assert "purpose" in err.value.message_dict
    assert not Purchase.objects.exists()


@pytest.mark.parametrize("containers", [0, -3, "many"])
def test_zero_or_negative_containers_are_refused(setup, buy, containers):
    with pytest.raises(ValidationError) as err:
        buy(containers=containers)
    assert "containers" in err.value.message_dict


def test_a_unit_that_does_not_fit_the_item_is_refused(setup, buy):
    with pytest.raises(ValidationError) as err:
        buy(item=setup.alcohol, holds="3.8", unit="L")
    assert "unit" in err.value.message_dict
    assert not Purchase.objects.exists()


def test_distribution_takes_stock_and_is_signed_by_a_named_person(setup, buy):
    purchase = buy()
    d = give(setup, purchase, setup.communities[0], containers=40, signer_name="董彰")
    assert d.quantity == Decimal("80.000")
    assert d.signed and d.signer_name == "董彰"
    assert Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity == Decimal("320.000")
    d2 = give(setup, purchase, setup.police, quantity="10", unit="jin", use="checkpoints")
    assert d2.quantity == Decimal("5.000") and not d2.signed
    services.distribution_sign(scope=system_scope(), distribution=d2, signer_name="張警官")
    with pytest.raises(ValidationError):
        services.distribution_sign(scope=system_scope(), distribution=d2, signer_name="again")


def test_distributing_more_than_the_stock_is_refused(setup, buy):
    purchase = buy(containers=5)
    with pytest.raises(ValidationError) as err:
        give(setup, purchase, setup.communities[0], containers=6)
    assert "quantity" in err.value.message_dict
    assert not Distribution.objects.exists()
    assert Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity == Decimal("10.000")


def test_a_community_sees_what_it_received_a_street_what_it_bought_and_gave(setup, buy, make_user, scope_of):
    purchase = buy()
    mine = give(setup, purchase, setup.communities[0])
    give(setup, purchase, setup.communities[1])
    community = scope_of(make_user("community_worker", org=setup.communities[0]))
    assert list(selectors.distribution_list(scope=community)) == [mine]
    assert not selectors.purchase_list(scope=community).exists()
    street = scope_of(make_user("street_officer", org=setup.street))
    assert selectors.distribution_list(scope=street).count() == 2
    assert list(selectors.purchase_list(scope=street)) == [purchase]
    other = scope_of(make_user("street_officer", org=setup.other_street))
    assert not selectors.distribution_list(scope=other).exists()
    with pytest.raises(PermissionDenied):
        give(setup, purchase, setup.communities[0], scope=community)


def test_street_figures_count_containers_quantities_and_recipients(setup, buy):
    alcohol = buy(containers=200, holds="4", unit="jin", amount="12000")
    disinfectant = buy(item=setup.disinfectant, containers=100, holds="3.8", unit="L", amount="4000")
    for org in [*setup.communities, setup.police]:
        give(setup, alcohol, org, containers=20)
        give(setup, disinfectant, org, containers=10)
    figures = selectors.street_figures(scope=system_scope(), street=setup.street)
    assert figures == {
        "alcohol": {"containers": 200, "kg": "400.00"},
        "disinfectant_84": {"containers": 100, "litres": "380.00"},
        "recipients": 3,
    }


def test_every_barrel_traces_back_to_the_fund_source_and_forward_to_the_signature(setup, buy, district):
    purchase = buy()
    give(setup, purchase, setup.communities[0], containers=40, signer_name="董彰")
    # from the recipient back to the fund
    chains = selectors.recipient_trace(scope=system_scope(), recipient=setup.communities[0])
    assert len(chains) == 1
    chain = chains[0].as_dict()
    assert chain["distribution"]["signer"] == "董彰"
    assert chain["purchase"]["containers"] == 200
    assert chain["account"]["name"] == setup.account.label
    assert chain["funding"][0]["from"][0]["fund_source"] == "district_dues"
    assert chain["funding"][0]["from"][0]["organization"] == district.committee.name
    # from the district's fund forward to the signature
    dues = Account.objects.get(organization=district.committee, kind="fund")
    trace = selectors.fund_trace(scope=system_scope(), account=dues).as_dict()
    assert [p["id"] for p in trace["purchases"]] == [purchase.pk]
    assert [(d["recipient"], d["signer"], d["containers"]) for d in trace["distributions"]] == [
        (setup.communities[0].name, "董彰", 40)
    ]
