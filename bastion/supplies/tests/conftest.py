from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from bastion.access.scope import system_scope
from bastion.ledger import services as ledger
from bastion.ledger.models import Account, FundSource, Purpose
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create
from bastion.supplies import services
from bastion.supplies.models import Item, Location


@dataclass
class Setup:
    street: Organization
    communities: list[Organization]
    police: Organization
    other_street: Organization
    account: Account
    warehouse: Location
    alcohol: Item
    disinfectant: Item
    supplies: Purpose


@pytest.fixture
def setup(district: Any) -> Setup:
    """A street holding 50,000 yuan of allocated dues, a warehouse, alcohol and 84 disinfectant."""
    s = system_scope()
    by_name = {o.name: o for o in Organization.objects.all()}
    street = by_name["湛山街道黨工委"]
    police = org_create(scope=s, name="湛山派出所", kind="other", parent=street)
    dues = ledger.account_ensure(scope=s, organization=district.committee, fund_source=FundSource.DISTRICT_DUES)
    ledger.receipt_post(scope=s, account=dues, amount="300000", date=dt.date(2020, 1, 30))
    ledger.allocation_post(scope=s, source=dues, targets=[(street, "50000")], date=dt.date(2020, 2, 1))
    return Setup(
        street=street,
        communities=[by_name["仰口路社區黨委"], by_name["秀湛路社區黨委"]],
        police=police,
        other_street=by_name["八大峽街道黨工委"],
        account=Account.objects.get(organization=street, ring_fenced=True),
        warehouse=services.location_ensure(scope=s, organization=street, name="湛山街道倉庫"),
        alcohol=services.item_ensure(scope=s, code="alcohol", name="酒精", dimension="mass"),
        disinfectant=services.item_ensure(scope=s, code="disinfectant_84", name="84消毒液", dimension="volume"),
        supplies=Purpose.objects.get(code="prevention_supplies"),
    )


@pytest.fixture
def buy(setup: Setup):
    def make(item: Item | None = None, containers: Any = 200, holds: Any = "4", unit: str = "jin",
             amount: Any = "12000", scope: Any = None) -> Any:
        return services.purchase_create(
            scope=scope or system_scope(), organization=setup.street, item=item or setup.alcohol,
            container_name="桶", holds=holds, holds_unit=unit, containers=containers, amount=amount,
            account=setup.account, purpose=setup.supplies, location=setup.warehouse, date=dt.date(2020, 2, 3),
        )

    return make
