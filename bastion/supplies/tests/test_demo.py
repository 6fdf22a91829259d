"""The ledger, supplies and care demo loaders on a small 市南區 with 珠海路街道 (the spine loader is not run)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bastion.access.scope import system_scope
from bastion.areas.services import area_create
from bastion.care import demo as care_demo
from bastion.care import selectors as care_selectors
from bastion.care.models import Case
from bastion.demo.context import DemoContext
from bastion.ledger import demo as ledger_demo
from bastion.ledger import selectors as ledger_selectors
from bastion.ledger.models import Account, Entry, Transaction
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create
from bastion.people.services import person_create
from bastion.supplies import demo as supplies_demo
from bastion.supplies import selectors
from bastion.supplies.models import Distribution, ReceivedLot, Stock


@pytest.fixture
def small_shinan(db):
    s = system_scope()
    district = area_create(scope=s, name="市南區", kind="district", code="370202", code_year=2020)
    committee = org_create(scope=s, name="市南區委", kind="district_committee", area=district)
    for si, (street_name, communities) in enumerate([
        ("珠海路街道", ["海口路社區", "麥島社區", "珠海路社區", "徐州路社區"]),
        ("湛山街道", ["仰口路社區"]),
    ]):
        street = area_create(scope=s, name=street_name, kind="street", parent=district,
                             code=f"370202{si + 1:03d}000", code_year=2020)
        street_org = org_create(scope=s, name=f"{street_name}黨工委", kind="street_committee", parent=committee,
                                area=street)
        for ci, name in enumerate(communities):
            area = area_create(scope=s, name=name, kind="community", parent=street,
                               code=f"370202{si + 1:03d}{ci + 1:03d}", code_year=2020)
            org_create(scope=s, name=f"{name}黨委", kind="community_committee", parent=street_org, area=area)
            for n in range(9):
                person_create(scope=s, name=f"{name}居民{n}", area=area)
            if name == "海口路社區":
                person_create(scope=s, name="董彰", area=area)
                community_org = Organization.objects.get(name=f"{name}黨委")
                for g in (1, 2, 3):
                    org_create(scope=s, name=f"{name}第0{g}網格先鋒防控小組臨時黨支部", kind="temporary_branch",
                               purpose="grid_pioneer", parent=community_org, area=area)
    person_create(scope=s, name="孫興國", area=district)
    person_create(scope=s, name="蓋海建", area=district)
    return committee


def load_all() -> None:
    ctx = DemoContext(log=lambda *a: None)
    for module in (ledger_demo, supplies_demo, care_demo):
        module.load(ctx)


def test_demo_figures_and_every_barrel_traced_from_fund_to_signature(small_shinan):
    # given the loaders run twice (they are idempotent)
    load_all()
    counts = (Transaction.objects.count(), Distribution.objects.count(), Case.objects.count())
    load_all()
    assert (Transaction.objects.count(), Distribution.objects.count(), Case.objects.count()) == counts
    s = system_scope()
    # then the figures of the seed come out of the records
    period = {"start": dt.date(2020, 1, 24), "end": dt.date(2020, 2, 16)}
    assert str(ledger_selectors.funds_allocated(scope=s, **period)) == "300000.00"
    street = selectors.street_for_area_name("珠海路街道")
    assert selectors.street_figures(scope=s, street=street, **period) == {
        "alcohol": {"containers": 200, "kg": "400.00"},
        "disinfectant_84": {"containers": 100, "litres": "380.00"},
        "recipients": 6,
    }
    assert selectors.streets_figures(scope=s, **period)["珠海路街道"]["recipients"] == 6
    assert care_selectors.care_figures(scope=s) == {"situations": 6, "frontline_measures": 12}
    # and cases stand at every stage of the chain
    assert set(Case.objects.values_list("status", flat=True)) == {
        "submitted", "community_approved", "street_approved", "approved", "paid", "rejected"
    }
    # every barrel is signed for and traces back to a district fund source
    assert not Distribution.objects.filter(signed_at__isnull=True).exists()
    community = Organization.objects.get(name="海口路社區黨委")
    chains = selectors.recipient_trace(scope=s, recipient=community)
    haikou = [c for c in chains if c.distribution.recipient == community]
    assert {c.distribution.signer_name for c in haikou} == {"董彰"}
    assert {c.distribution.containers for c in haikou} == {40, 20}
    for chain in chains:
        assert chain.funding[0].sources[0].organization == small_shinan
    given = sum(d.containers for d in Distribution.objects.filter(purchase__item__code="alcohol",
                                                                  source__isnull=True))
    assert given == 200
    # 海口路社區 passed 10 of its 40 barrels on to two grids, each signed for and traced through the community
    onward = [c for c in chains if c.distribution.source_id is not None]
    assert len(onward) == 2 and sum(c.distribution.containers for c in onward) == 10
    for chain in onward:
        assert [h.recipient for h in chain.hops] == [community, chain.distribution.recipient]
        assert chain.hops[0].signer_name == "董彰" and chain.distribution.signed
    lot = ReceivedLot.objects.get(location__organization=community, item__code="alcohol")
    assert lot.quantity == Decimal("80.000") and lot.remaining == Decimal("60.000")
    assert Stock.objects.get(location=lot.location, item__code="alcohol").quantity == Decimal("60.000")
    # and every account's statement balances to the fen
    for account in Account.objects.all():
        st = ledger_selectors.account_statement(scope=s, account=account, start=dt.date(2020, 1, 1),
                                                end=dt.date(2020, 12, 31))
        assert st.closing == account.balance
    assert sum(Entry.objects.values_list("amount", flat=True)) == 0
