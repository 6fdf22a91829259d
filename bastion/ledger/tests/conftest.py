from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bastion.access.scope import system_scope
from bastion.ledger import services
from bastion.ledger.models import FundSource
from bastion.orgs.models import Organization


@pytest.fixture
def orgs(district: Any) -> dict[str, Organization]:
    by_name = {o.name: o for o in Organization.objects.all()}
    return {
        "district": district.committee,
        "street": by_name["湛山街道黨工委"],
        "other_street": by_name["八大峽街道黨工委"],
        "community": by_name["仰口路社區黨委"],
        "other_community": by_name["西藏路社區黨委"],
    }


@pytest.fixture
def dues(orgs: dict[str, Organization]) -> Any:
    """The district's dues fund holding 500,000 yuan."""
    s = system_scope()
    account = services.account_ensure(scope=s, organization=orgs["district"], fund_source=FundSource.DISTRICT_DUES)
    services.receipt_post(scope=s, account=account, amount="500000.00", date=dt.date(2020, 1, 20), memo="dues")
    account.refresh_from_db()
    return account
