"""The ledger, supplies and care demo loaders on a small 市南區 with 珠海路街道 (the spine loader is not run)."""

from __future__ import annotations

import datetime as dt

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
from bastion.supplies.models import Distribution


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
    haikou = selectors.recipient_trace(scope=s, recipient=Organization.objects.get(name="海口路社區黨委"))
    assert {c.distribution.signer_name for c in haikou} == {"董彰"}
    assert {c.distribution.containers for c in haikou} == {40, 20}
    for chain in haikou:
        assert chain.funding[0].sources[0].organization == small_shinan
    given = sum(d.containers for d in Distribution.objects.filter(purchase__item__code="alcohol"))
    assert given == 200
    # and every account's statement balances to the fen
    for account in Account.objects.all():
        st = ledger_selectors.account_statement(scope=s, account=account, start=dt.date(2020, 1, 1),
                                                end=dt.date(2020, 12, 31))
        assert st.closing == account.balance
    assert sum(Entry.objects.values_list("amount", flat=True)) == 0
