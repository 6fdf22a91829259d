"""Demo funds: the district receives party dues from four fund sources and on 2020-02-01
allocates the first 300,000 yuan tranche to its ten streets; members pay voluntary special dues.

Idempotent: every posting is looked up by its kind, date and memo before it is made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bastion.ledger import services
from bastion.ledger.models import Account, DuesReceipt, FundSource, Transaction, TransactionKind
from bastion.orgs.models import Organization, OrgKind

DISTRICT_COMMITTEE = "市南區委"
RECEIVED_ON = dt.date(2020, 1, 31)
TRANCHE_DATE = dt.date(2020, 2, 1)
TRANCHE_MEMO = "首期配套劃撥黨費，支持基層黨組織開展疫情防控工作"

# What the district holds of each fund source, and how much of each goes to every street
# (ten streets × 30,000 yuan = the 300,000 yuan first tranche).
RECEIVED = {
    FundSource.CENTRAL: Decimal("100000.00"),
    FundSource.PROVINCIAL: Decimal("50000.00"),
    FundSource.MUNICIPAL: Decimal("50000.00"),
    FundSource.DISTRICT_DUES: Decimal("200000.00"),
}
TRANCHE_TOTAL = Decimal("300000.00")
TRANCHE_SHARE = {
    FundSource.CENTRAL: Decimal("100000.00"),
    FundSource.PROVINCIAL: Decimal("50000.00"),
    FundSource.MUNICIPAL: Decimal("50000.00"),
    FundSource.DISTRICT_DUES: Decimal("100000.00"),
}
RECEIPT_MEMO = {
    FundSource.CENTRAL: "中央組織部下撥黨費",
    FundSource.PROVINCIAL: "省委組織部下撥黨費",
    FundSource.MUNICIPAL: "市委組織部下撥黨費",
    FundSource.DISTRICT_DUES: "區管黨費",
}
# Members who paid large voluntary special dues (主動繳納大額黨費): (person, organisation, yuan, date).
SPECIAL_DUES = [
    ("孫興國", DISTRICT_COMMITTEE, "2000.00", dt.date(2020, 2, 2)),
    ("董彰", "海口路社區黨委", "1000.00", dt.date(2020, 2, 3)),
]


def _posted(kind: str, date: dt.date, memo: str) -> bool:
    return Transaction.objects.filter(kind=kind, date=date, memo=memo).exists()


def district_account(source: str) -> Account:
    return Account.objects.get(
        organization__name=DISTRICT_COMMITTEE, fund_source=source, kind="fund", ring_fenced=False
    )


def load(ctx: Any) -> None:
    scope = ctx.scope
    committee = ctx.org(DISTRICT_COMMITTEE)
    streets = list(Organization.objects.filter(kind=OrgKind.STREET_COMMITTEE, path__startswith=committee.path)
                   .order_by("path"))
    if not streets:
        ctx.log("ledger: no street committees; nothing allocated")
        return
    for source, amount in RECEIVED.items():
        account = services.account_ensure(scope=scope, organization=committee, fund_source=source)
        if not _posted(TransactionKind.RECEIPT, RECEIVED_ON, RECEIPT_MEMO[source]):
            services.receipt_post(scope=scope, account=account, amount=amount, date=RECEIVED_ON,
                                  memo=RECEIPT_MEMO[source])
    # Split each source's share evenly over the streets; the last street takes the rounding remainder.
    for source, share in TRANCHE_SHARE.items():
        memo = f"{TRANCHE_MEMO}（{RECEIPT_MEMO[source]}）"
        if _posted(TransactionKind.ALLOCATION, TRANCHE_DATE, memo):
            continue
        each = (share / len(streets)).quantize(Decimal("0.01"))
        amounts = [each] * (len(streets) - 1) + [share - each * (len(streets) - 1)]
        services.allocation_post(scope=scope, source=district_account(source),
                                 targets=list(zip(streets, amounts, strict=True)), date=TRANCHE_DATE, memo=memo)
    for name, org_name, dues, date in SPECIAL_DUES:
        payer = ctx.person(name)
        if DuesReceipt.objects.filter(payer=payer, date=date).exists():
            continue
        services.special_dues_receive(scope=scope, organization=ctx.org(org_name), payer=payer, payer_name=name,
                                      amount=dues, date=date)
    ctx.log(f"ledger: {TRANCHE_TOTAL} yuan allocated to {len(streets)} streets on {TRANCHE_DATE}")
