"""Reads for supplies, filtered by scope: a community sees what it received, a street
what it bought and what it gave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope
from bastion.ledger.models import Account, Transaction
from bastion.ledger.money import fmt
from bastion.ledger.selectors import allocations_into, downstream_accounts, source_accounts
from bastion.orgs.models import Organization, OrgKind
from bastion.supplies.models import Distribution, Item, Location, Purchase, ReceivedLot, Stock
from bastion.supplies.units import Dimension

PERM = "supplies.view"


def _orgs(scope: Scope, perm: str = PERM) -> QuerySet[Organization]:
    return Organization.objects.filter(scope.org_visible_q(perm))


def item_list() -> QuerySet[Item]:
    return Item.objects.prefetch_related("containers").order_by("name")


def location_list(*, scope: Scope) -> QuerySet[Location]:
    return Location.objects.filter(organization__in=_orgs(scope)).select_related("organization").order_by("name")


def stock_list(*, scope: Scope) -> QuerySet[Stock]:
    return (
        Stock.objects.filter(location__organization__in=_orgs(scope))
        .select_related("item", "location", "location__organization")
        .order_by("location__name", "item__name")
    )


def purchase_list(*, scope: Scope, organization: Organization | None = None) -> QuerySet[Purchase]:
    qs = Purchase.objects.filter(organization__in=_orgs(scope)).select_related(
        "organization", "item", "container", "account", "account__organization", "location", "payment"
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.order_by("-date", "-pk")


def purchase_get(*, scope: Scope, pk: int) -> Purchase:
    return get_object_or_404(purchase_list(scope=scope), pk=pk)


def _given_by(orgs: QuerySet[Organization]) -> Q:
    """Distributions handed over by one of orgs: from its purchase or from a lot it received."""
    return Q(source__isnull=True, purchase__organization__in=orgs) | Q(source__location__organization__in=orgs)


def distribution_list(
    *, scope: Scope, recipient: Organization | None = None, purchase: Purchase | None = None,
    lot: ReceivedLot | None = None,
) -> QuerySet[Distribution]:
    orgs = _orgs(scope)
    # The buyer sees every hop of what it bought; a giver what it gave; a recipient what it received.
    qs = Distribution.objects.filter(
        Q(recipient__in=orgs) | Q(purchase__organization__in=orgs) | Q(source__location__organization__in=orgs)
    ).select_related(
        "recipient", "purchase", "purchase__item", "purchase__container", "purchase__organization", "signer",
        "source__location__organization", "received_lot",
    )
    if recipient is not None:
        qs = qs.filter(recipient__path__startswith=recipient.path)
    if purchase is not None:
        qs = qs.filter(purchase=purchase, source__isnull=True)
    if lot is not None:
        qs = qs.filter(source=lot)
    return qs.order_by("-date", "-pk")


def street_distribution_list(
    *, scope: Scope, street: Organization, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Distribution]:
    """What a street itself handed over from its purchases (the records behind its "recipients" figure);
    onward hops by the recipients are not the street's."""
    qs = distribution_list(scope=scope).filter(purchase__organization=street, source__isnull=True)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


def distribution_get(*, scope: Scope, pk: int) -> Distribution:
    return get_object_or_404(distribution_list(scope=scope), pk=pk)


def recipient_get(*, scope: Scope, pk: int) -> Organization:
    return get_object_or_404(_orgs(scope), pk=pk)


def lot_list(*, scope: Scope, perm: str = PERM) -> QuerySet[ReceivedLot]:
    """Received lots kept by organisations in scope (perm supplies.change: those one may give from)."""
    return (
        ReceivedLot.objects.filter(location__organization__in=_orgs(scope, perm))
        .select_related("item", "location", "location__organization", "purchase", "purchase__container",
                        "distribution", "distribution__recipient")
        .order_by("-date", "-pk")
    )


def lot_get(*, scope: Scope, pk: int) -> ReceivedLot:
    return get_object_or_404(lot_list(scope=scope), pk=pk)


def hops(distribution: Distribution) -> list[Distribution]:
    """The distributions that brought supplies from the purchase to this one, first hop first."""
    chain = [distribution]
    current = distribution
    while current.source_id is not None and len(chain) < 50:
        current = (
            Distribution.objects.select_related("recipient", "source__location__organization", "purchase")
            .get(received_lot=current.source_id)
        )
        chain.append(current)
    return list(reversed(chain))


def onward(lot: ReceivedLot) -> list[tuple[int, Distribution]]:
    """Everything given on from a received lot, hop by hop: (depth, distribution), depth 1 first."""
    out: list[tuple[int, Distribution]] = []
    frontier = [lot.pk]
    depth = 1
    while frontier and depth <= 50:
        rows = list(Distribution.objects.filter(source__in=frontier).select_related(
            "recipient", "received_lot", "purchase__item", "purchase__container", "source__location__organization",
        ).order_by("date", "pk"))
        out.extend((depth, d) for d in rows)
        frontier = [d.received_lot.pk for d in rows if hasattr(d, "received_lot")]
        depth += 1
    return out


# -- traceability ---------------------------------------------------------------------

@dataclass
class FundStep:
    """One allocation that brought the money into an account, and where it came from."""

    transaction: Transaction
    into: Account
    sources: list[Account]


@dataclass
class Chain:
    distribution: Distribution
    purchase: Purchase
    account: Account
    funding: list[FundStep] = field(default_factory=list)
    hops: list[Distribution] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d, p = self.distribution, self.purchase
        return {
            "hops": [
                {"id": h.pk, "date": h.date.isoformat(), "from": h.giver.name, "to": h.recipient.name,
                 "quantity": str(h.quantity), "signer": h.signer_name,
                 "signed_at": h.signed_at.isoformat() if h.signed_at else None}
                for h in (self.hops or [d])
            ],
            "distribution": {
                "id": d.pk, "date": d.date.isoformat(), "recipient": d.recipient.name, "containers": d.containers,
                "quantity": str(d.quantity), "unit": p.item.base_unit, "method": d.method, "use": d.use,
                "signer": d.signer_name, "signed_at": d.signed_at.isoformat() if d.signed_at else None,
            },
            "purchase": {
                "id": p.pk, "date": p.date.isoformat(), "buyer": p.organization.name, "item": p.item.code,
                "containers": p.containers, "container": p.container.name, "holds": str(p.container.holds),
                "amount": fmt(p.amount), "supplier": p.supplier, "transaction": p.payment_id,
            },
            "account": {"id": self.account.pk, "name": self.account.label, "fund_source": self.account.fund_source},
            "funding": [
                {
                    "transaction": step.transaction.pk,
                    "date": step.transaction.date.isoformat(),
                    "kind": step.transaction.kind,
                    "into": step.into.label,
                    "from": [{"name": a.label, "organization": a.organization.name, "fund_source": a.fund_source}
                             for a in step.sources],
                }
                for step in self.funding
            ],
        }


def _funding(account: Account, depth: int = 0) -> list[FundStep]:
    """Allocations into account, then into their source accounts, up to the fund source."""
    steps: list[FundStep] = []
    if depth > 10:
        return steps
    for txn in allocations_into(account):
        sources = source_accounts(txn)
        steps.append(FundStep(transaction=txn, into=account, sources=sources))
        for source in sources:
            steps.extend(_funding(source, depth + 1))
    return steps


def recipient_trace(*, scope: Scope, recipient: Organization) -> list[Chain]:
    """For every distribution a recipient received: the hops back to the buyer, the lot, the payment, the fund
    and its source."""
    chains = []
    funding_cache: dict[int, list[FundStep]] = {}
    for d in distribution_list(scope=scope, recipient=recipient).select_related(
        "purchase__account", "purchase__account__organization", "purchase__location"
    ):
        account = d.purchase.account
        if account.pk not in funding_cache:
            funding_cache[account.pk] = _funding(account)
        chains.append(Chain(distribution=d, purchase=d.purchase, account=account, funding=funding_cache[account.pk],
                            hops=hops(d)))
    return chains


@dataclass
class FundTrace:
    account: Account
    accounts: list[Account]
    purchases: list[Purchase]
    distributions: list[Distribution]

    def as_dict(self) -> dict[str, Any]:
        return {
            "account": {"id": self.account.pk, "name": self.account.label, "fund_source": self.account.fund_source},
            "accounts": [{"id": a.pk, "name": a.label, "organization": a.organization.name} for a in self.accounts],
            "purchases": [
                {"id": p.pk, "date": p.date.isoformat(), "buyer": p.organization.name, "item": p.item.code,
                 "containers": p.containers, "quantity": str(p.quantity), "amount": fmt(p.amount),
                 "account": p.account.label}
                for p in self.purchases
            ],
            "distributions": [
                {"id": d.pk, "purchase": d.purchase_id, "date": d.date.isoformat(), "from": d.giver.name,
                 "recipient": d.recipient.name, "containers": d.containers, "quantity": str(d.quantity),
                 "signer": d.signer_name,
                 "after": d.source.distribution_id if d.source is not None else None}
                for d in self.distributions
            ],
        }


def fund_trace(*, scope: Scope, account: Account) -> FundTrace:
    """Everything bought with a fund (directly or after allocation downwards) and where it went."""
    if not (
        _orgs(scope, "ledger.view").filter(pk=account.organization_id).exists()
        or _orgs(scope).filter(pk=account.organization_id).exists()
    ):
        scope.deny()
    accounts = downstream_accounts(account)
    purchases = list(
        Purchase.objects.filter(account__in=accounts, payment__reversed_by__isnull=True)
        .select_related("organization", "item", "container", "account", "account__organization")
        .order_by("date", "pk")
    )
    distributions = list(
        Distribution.objects.filter(purchase__in=purchases).select_related(
            "recipient", "purchase", "purchase__item", "purchase__container", "purchase__organization",
            "source__location__organization",
        ).order_by(
            "date", "pk"
        )
    )
    return FundTrace(account=account, accounts=accounts, purchases=purchases, distributions=distributions)


# -- figures --------------------------------------------------------------------------

MEASURE_KEY = {Dimension.MASS: "kg", Dimension.VOLUME: "litres", Dimension.COUNT: "pieces"}


def street_figures(
    *, scope: Scope, street: Organization, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """What a street bought (containers and base quantity per item) and how many recipients it gave to.

    {"alcohol": {"containers": 200, "kg": "400.00"}, ..., "recipients": 6}
    """
    purchases = purchase_list(scope=scope).filter(organization=street, payment__reversed_by__isnull=True)
    # Only what the street itself handed over: onward hops of the same supplies are not counted again.
    distributions = street_distribution_list(scope=scope, street=street, start=start, end=end)
    if start:
        purchases = purchases.filter(date__gte=start)
    if end:
        purchases = purchases.filter(date__lte=end)
    figures: dict[str, Any] = {}
    rows = purchases.values("item__code", "item__dimension").annotate(c=Sum("containers"), q=Sum("quantity"))
    for row in rows.order_by("item__code"):
        key = MEASURE_KEY[Dimension(row["item__dimension"])]
        figures[row["item__code"]] = {"containers": row["c"], key: f"{row['q']:.2f}"}
    figures["recipients"] = distributions.aggregate(n=Count("recipient", distinct=True))["n"]
    return figures


def streets_figures(
    *, scope: Scope, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """street_figures for every street committee in scope that bought supplies, keyed by the street's area name.

    For the report: supplies.streets.<street>.<item>.containers / .kg / .litres, and .recipients.
    """
    buyers = purchase_list(scope=scope).filter(organization__kind=OrgKind.STREET_COMMITTEE)
    if start:
        buyers = buyers.filter(date__gte=start)
    if end:
        buyers = buyers.filter(date__lte=end)
    streets = Organization.objects.filter(pk__in=buyers.values("organization")).select_related("area")
    return {
        (street.area.name if street.area else street.name): street_figures(scope=scope, street=street, start=start,
                                                                            end=end)
        for street in streets.order_by("path")
    }


def street_for_area_name(name: str) -> Organization | None:
    """The street working committee of the street area with this name (for figures keyed by street)."""
    return Organization.objects.filter(kind=OrgKind.STREET_COMMITTEE, area__name=name).order_by("path").first()


def in_containers(distribution: Distribution) -> Decimal:
    return distribution.quantity / distribution.purchase.container.holds
