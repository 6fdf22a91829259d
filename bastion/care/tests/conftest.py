from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from bastion.access.scope import system_scope
from bastion.care import services
from bastion.care.models import Measure, Policy, Situation
from bastion.ledger import services as ledger
from bastion.ledger.models import Account, FundSource
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.people.services import person_create


@dataclass
class Setup:
    district: Organization
    street: Organization
    community: Organization
    other_community: Organization
    policy: Policy
    situation: Situation
    rest: Measure
    measures: list[Measure]
    person: Person
    account: Account


@pytest.fixture
def care(district: Any) -> Setup:
    s = system_scope()
    by_name = {o.name: o for o in Organization.objects.all()}
    policy = services.policy_ensure(scope=s, organization=district.committee, name="關心關愛措施")
    situation = services.situation_ensure(scope=s, policy=policy, name="確診", order=1, max_amount="2000")
    services.situation_ensure(scope=s, policy=policy, name="隔離期間生活困難", order=2)
    rest = services.measure_ensure(scope=s, policy=policy, name="長時間連續值守後安排輪休", order=1,
                                   kind="rest_after_duty")
    other = services.measure_ensure(scope=s, policy=policy, name="發放防護用品", order=2)
    dues = ledger.account_ensure(scope=s, organization=district.committee, fund_source=FundSource.DISTRICT_DUES)
    ledger.receipt_post(scope=s, account=dues, amount="100000", date=dt.date(2020, 1, 30))
    return Setup(
        district=district.committee,
        street=by_name["湛山街道黨工委"],
        community=by_name["仰口路社區黨委"],
        other_community=by_name["西藏路社區黨委"],
        policy=policy,
        situation=situation,
        rest=rest,
        measures=[rest, other],
        person=person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0)),
        account=dues,
    )
