"""Onward distribution: a signed receipt enters the recipient's stock and can be given on, traced both ways;
and reversing a purchase keeps money and stock together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.ledger import services as ledger
from bastion.ledger.models import Account, Transaction
from bastion.supplies import selectors, services
from bastion.supplies.models import Distribution, Location, Purchase, ReceivedLot, Stock

GIVEN = dt.date(2020, 2, 4)


def give(source, recipient, containers, signer="", scope=None, **kw):
    lot = {"lot": source} if isinstance(source, ReceivedLot) else {"purchase": source}
    return services.distribution_create(
        scope=scope or system_scope(), recipient=recipient, containers=containers, method="dedicated_vehicle",
        use="residential_compounds", date=GIVEN, signer_name=signer, **lot, **kw,
    )


def stock(location, item) -> Decimal:
    return Stock.objects.get(location=location, item=item).quantity


@pytest.fixture
def community_store(setup):
    return services.location_ensure(scope=system_scope(), organization=setup.communities[0], name="仰口路社區物資室")


def test_a_signed_receipt_enters_the_community_store_and_is_given_on_to_grids(setup, buy, district,
                                                                               community_store):
    # given 200 barrels at the street and a community that keeps a store room
    purchase = buy()
    community = setup.communities[0]
    grid_a, grid_b = district.pioneer_branches[0], district.pioneer_branches[1]
    # when the street gives it 40 barrels and the community signs
    d = give(purchase, community, 40, signer="劉曉梅")
    # then the 80 kg are a lot in the community's store
    lot = ReceivedLot.objects.get(distribution=d)
    assert lot.location == community_store and lot.quantity == lot.remaining == Decimal("80.000")
    assert stock(community_store, setup.alcohol) == Decimal("80.000")
    assert stock(setup.warehouse, setup.alcohol) == Decimal("320.000")
    # when the community worker gives 5 barrels to each of two grids, signed
    worker = _scope(setup, "community_worker", community)
    to_a = give(lot, grid_a, 5, signer="網格長甲", scope=worker)
    to_b = give(lot, grid_b, 5, scope=worker)
    services.distribution_sign(scope=worker, distribution=to_b, signer_name="網格長乙")
    # then the community's stock and lot go down, the street's does not
    lot.refresh_from_db()
    assert lot.remaining == Decimal("60.000") and stock(community_store, setup.alcohol) == Decimal("60.000")
    assert stock(setup.warehouse, setup.alcohol) == Decimal("320.000")
    assert Purchase.objects.get(pk=purchase.pk).remaining == Decimal("320.000")
    # and the grid traces back through the community and the street to the fund
    chain = selectors.recipient_trace(scope=system_scope(), recipient=grid_a)[0]
    assert [(h.giver, h.recipient) for h in chain.hops] == [(setup.street, community), (community, grid_a)]
    assert [h.signer_name for h in chain.hops] == ["劉曉梅", "網格長甲"]
    assert chain.account == setup.account and chain.funding
    assert chain.as_dict()["hops"][1]["from"] == community.name
    # and the fund traces forward to the grids, each hop naming its giver
    trace = selectors.fund_trace(scope=system_scope(), account=setup.account).as_dict()
    hops = {(row["from"], row["recipient"]) for row in trace["distributions"]}
    assert (community.name, grid_a.name) in hops and (community.name, grid_b.name) in hops
    assert {row["after"] for row in trace["distributions"] if row["from"] == community.name} == {d.pk}
    assert [x[1] for x in selectors.onward(lot)] == [to_a, to_b]


def _scope(setup, role, org):
    from bastion.access.models import Grant, User
    from bastion.access.scope import resolve_scope

    user = User.objects.create_user(username=f"{role}-{org.pk}", password="x")
    Grant.objects.create(user=user, role=role, organization=org)
    return resolve_scope(user)


def test_onward_hops_do_not_change_the_street_figures(setup, buy, district, community_store):
    # given the street gives to two communities and the police, and one community gives on to its grids
    purchase = buy()
    d = give(purchase, setup.communities[0], 40, signer="甲")
    give(purchase, setup.communities[1], 40, signer="乙")
    give(purchase, setup.police, 20, signer="丙")
    before = selectors.street_figures(scope=system_scope(), street=setup.street)
    lot = ReceivedLot.objects.get(distribution=d)
    give(lot, district.pioneer_branches[0], 10, signer="丁")
    # then the street still bought 200 barrels and gave to 3 recipients
    figures = selectors.street_figures(scope=system_scope(), street=setup.street)
    assert figures == before
    assert figures["recipients"] == 3 and figures["alcohol"] == {"containers": 200, "kg": "400.00"}


def test_a_third_hop_works_the_same_way(setup, buy, district, community_store):
    # given supplies passed street → community → grid, and the grid keeps a cupboard
    purchase = buy()
    grid = district.pioneer_branches[0]
    cupboard = services.location_ensure(scope=system_scope(), organization=grid, name="網格櫃")
    lot = ReceivedLot.objects.get(distribution=give(purchase, setup.communities[0], 40, signer="甲"))
    grid_lot = ReceivedLot.objects.get(distribution=give(lot, grid, 10, signer="乙"))
    assert grid_lot.location == cupboard
    # when the grid gives 2 barrels to a household's building (an organisation below it)
    from bastion.orgs.services import org_create

    group = org_create(scope=system_scope(), name="第一黨小組", kind="party_group", parent=grid)
    last = give(grid_lot, group, 2, signer="樓長")
    # then the trace runs four steps back, and the cupboard holds 16 kg
    assert [h.recipient for h in selectors.hops(last)] == [setup.communities[0], grid, group]
    assert stock(cupboard, setup.alcohol) == Decimal("16.000")


def test_a_lot_cannot_be_overdrawn_and_nothing_is_half_written(setup, buy, community_store, district):
    purchase = buy()
    lot = ReceivedLot.objects.get(distribution=give(purchase, setup.communities[0], 3, signer="甲"))
    with pytest.raises(ValidationError) as exc:
        give(lot, district.pioneer_branches[0], 4)
    assert "quantity" in exc.value.message_dict
    assert not Distribution.objects.filter(source=lot).exists()
    assert stock(community_store, setup.alcohol) == Decimal("6.000")
    # and a community cannot give to itself
    with pytest.raises(ValidationError) as exc:
        give(lot, setup.communities[0], 1)
    assert "recipient" in exc.value.message_dict


def test_a_community_worker_cannot_give_from_another_communitys_stock(setup, buy, community_store, district):
    # given 仰口路's received lot
    purchase = buy()
    lot = ReceivedLot.objects.get(distribution=give(purchase, setup.communities[0], 10, signer="甲"))
    other = _scope(setup, "community_worker", setup.communities[1])
    # when 秀湛路's worker tries to give from it, then it is refused and the lot is not in its lists
    with pytest.raises(PermissionDenied):
        give(lot, district.pioneer_branches[2], 1, scope=other)
    assert not selectors.lot_list(scope=other).filter(pk=lot.pk).exists()
    assert lot.remaining == ReceivedLot.objects.get(pk=lot.pk).remaining
    # nor can a street officer of another street, nor a grid secretary (view only)
    with pytest.raises(PermissionDenied):
        give(lot, district.pioneer_branches[0], 1, scope=_scope(setup, "street_officer", setup.other_street))
    with pytest.raises(PermissionDenied):
        give(lot, district.pioneer_branches[0], 1,
             scope=_scope(setup, "grid_secretary", district.pioneer_branches[0]))


def test_no_location_means_the_supplies_are_used_not_stocked(setup, buy):
    purchase = buy()
    d = give(purchase, setup.police, 10, signer="值班民警")
    assert not ReceivedLot.objects.filter(distribution=d).exists()
    assert not Stock.objects.filter(location__organization=setup.police).exists()


def test_supplies_signed_before_the_store_existed_can_be_taken_in_once(setup, buy):
    # given a community that signed before it had a store room, and one distribution not yet signed
    purchase = buy()
    signed = give(purchase, setup.communities[0], 10, signer="甲")
    unsigned = give(purchase, setup.communities[0], 5)
    worker = _scope(setup, "community_worker", setup.communities[0])
    with pytest.raises(ValidationError) as exc:
        services.distribution_receive(scope=worker, distribution=signed)
    assert "location" in exc.value.message_dict
    store = services.location_ensure(scope=worker, organization=setup.communities[0], name="物資室")
    assert store.receives
    # when the worker takes the signed one in
    lot = services.distribution_receive(scope=worker, distribution=signed)
    # then it is in stock once; a second time and the unsigned one are refused
    assert lot.location == store and stock(store, setup.alcohol) == Decimal("20.000")
    with pytest.raises(ValidationError):
        services.distribution_receive(scope=worker, distribution=signed)
    with pytest.raises(ValidationError) as exc:
        services.distribution_receive(scope=worker, distribution=unsigned)
    assert "signer_name" in exc.value.message_dict
    # and another community's worker may not take it in
    with pytest.raises(PermissionDenied):
        services.distribution_receive(scope=_scope(setup, "community_worker", setup.communities[1]),
                                      distribution=signed)


def test_one_receiving_location_per_organisation(setup):
    s = system_scope()
    first = services.location_ensure(scope=s, organization=setup.communities[0], name="一號室")
    second = services.location_ensure(scope=s, organization=setup.communities[0], name="二號室")
    assert first.receives and not second.receives
    services.location_ensure(scope=s, organization=setup.communities[0], name="二號室", receives=True)
    assert list(Location.objects.filter(organization=setup.communities[0], receives=True)) == [second]
    assert services.receiving_location(setup.communities[0]) == second


# -- reversal -----------------------------------------------------------------------------

def test_reversing_an_untouched_purchase_returns_the_money_and_takes_the_stock_out(setup, buy):
    # given a purchase of 200 barrels for 12,000 yuan, nothing given out
    balance = Account.objects.get(pk=setup.account.pk).balance
    purchase = buy()
    # when it is reversed
    services.purchase_reverse(scope=system_scope(), purchase=purchase, date=dt.date(2020, 2, 5), reason="錯錄")
    # then the money is back, the stock is empty, the lot cannot be given from and the figures forget it
    assert Account.objects.get(pk=setup.account.pk).balance == balance
    assert stock(setup.warehouse, setup.alcohol) == 0
    assert Purchase.objects.get(pk=purchase.pk).remaining == 0
    with pytest.raises(ValidationError) as exc:
        give(purchase, setup.police, 1)
    assert "lot" in exc.value.message_dict
    assert "alcohol" not in selectors.street_figures(scope=system_scope(), street=setup.street)
    # and a second reversal is refused
    with pytest.raises(ValidationError):
        services.purchase_reverse(scope=system_scope(), purchase=purchase, date=dt.date(2020, 2, 5), reason="x")


def test_a_purchase_already_distributed_cannot_be_reversed(setup, buy):
    balance = Account.objects.get(pk=setup.account.pk).balance
    purchase = buy()
    give(purchase, setup.police, 1)
    with pytest.raises(ValidationError) as exc:
        services.purchase_reverse(scope=system_scope(), purchase=purchase, date=dt.date(2020, 2, 5), reason="x")
    assert "purchase" in exc.value.message_dict
    # then nothing changed: money spent, stock as it was, no reversal posted
    assert Account.objects.get(pk=setup.account.pk).balance == balance - Decimal("12000.00")
    assert stock(setup.warehouse, setup.alcohol) == Decimal("398.000")
    assert not Transaction.objects.filter(reverses=purchase.payment).exists()


def test_the_ledger_alone_refuses_to_reverse_a_purchase_payment(setup, buy):
    purchase = buy()
    with pytest.raises(ValidationError) as exc:
        ledger.transaction_reverse(scope=system_scope(), txn=purchase.payment, date=dt.date(2020, 2, 5),
                                   reason="x")
    assert "transaction" in exc.value.message_dict
    assert stock(setup.warehouse, setup.alcohol) == Decimal("400.000")
    assert not Transaction.objects.filter(reverses=purchase.payment).exists()


def test_reversal_needs_both_supplies_and_ledger_rights_in_the_buyers_scope(setup, buy):
    purchase = buy()
    with pytest.raises(PermissionDenied):
        services.purchase_reverse(scope=_scope(setup, "community_worker", setup.communities[0]),
                                  purchase=purchase, date=dt.date(2020, 2, 5), reason="x")
    assert stock(setup.warehouse, setup.alcohol) == Decimal("400.000")
