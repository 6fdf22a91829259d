"""Funds received: what came into a scope from above, beside what it allocated downwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bastion.access.scope import system_scope
from bastion.ledger import selectors, services
from bastion.ledger.models import Account

FEB1, FEB2 = dt.date(2020, 2, 1), dt.date(2020, 2, 2)


def _street_passes_on(orgs, dues, amount: str = "5000.00"):
    s = system_scope()
    services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "180000.00"),
                                                             (orgs["other_street"], "120000.00")], date=FEB1)
    street_fund = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    return services.allocation_post(scope=s, source=street_fund, targets=[(orgs["community"], amount)], date=FEB2)


def test_a_street_received_its_tranche_and_allocated_on_to_its_community(orgs, dues, make_user, scope_of):
    # given the district allocated 180,000 to 湛山 and 120,000 to 八大峽, and 湛山 passed 5,000 on
    _street_passes_on(orgs, dues)
    street = scope_of(make_user("street_officer", org=orgs["street"]))
    community = scope_of(make_user("community_worker", org=orgs["community"]))

    # when each scope asks what it received and what it allocated
    # then the street received its tranche only (its own allocation stays inside) and allocated 5,000
    assert selectors.funds_received(scope=street) == Decimal("180000.00")
    assert selectors.funds_allocated(scope=street) == Decimal("5000.00")
    # and the community received the 5,000 from its street
    assert selectors.funds_received(scope=community) == Decimal("5000.00")
    # and the district (everything in scope) received nothing from above
    assert selectors.funds_received(scope=system_scope()) == Decimal("0.00")
    assert selectors.funds_allocated(scope=system_scope()) == Decimal("305000.00")


def test_the_records_behind_funds_received_are_the_allocations_into_the_scope(orgs, dues, make_user, scope_of):
    # given the two allocations above
    _street_passes_on(orgs, dues)
    street = scope_of(make_user("street_officer", org=orgs["street"]))

    # when the street lists what it received
    rows = list(selectors.received_allocation_list(scope=street))

    # then it is the district's allocation, with only the street's part of it (not 八大峽's)
    assert [(t.organization, t.received) for t in rows] == [(orgs["district"], Decimal("180000.00"))]


def test_a_reversed_allocation_is_not_received_and_the_period_counts(orgs, dues, make_user, scope_of):
    # given the street's allocation to its community, later reversed
    txn = _street_passes_on(orgs, dues)
    services.transaction_reverse(scope=system_scope(), txn=txn, date=dt.date(2020, 2, 3), reason="wrong community")
    community = scope_of(make_user("community_worker", org=orgs["community"]))
    street = scope_of(make_user("street_officer", org=orgs["street"]))

    # then the community received nothing, and the street's tranche falls outside a period before it
    assert selectors.funds_received(scope=community) == Decimal("0.00")
    assert list(selectors.received_allocation_list(scope=community)) == []
    assert selectors.funds_received(scope=street, end=dt.date(2020, 1, 31)) == Decimal("0.00")
    assert selectors.funds_received(scope=street, start=FEB1, end=FEB1) == Decimal("180000.00")
