"""Reads of the ledger, filtered by scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope
from bastion.ledger.models import ZERO, Account, DuesReceipt, Entry, Transaction, TransactionKind
from bastion.ledger.money import fmt
from bastion.orgs.models import Organization


def _orgs(scope: Scope) -> QuerySet[Organization]:
    return Organization.objects.filter(scope.org_visible_q("ledger.view"))


def account_list(
    *, scope: Scope, organization: Organization | None = None, kind: str | None = None
) -> QuerySet[Account]:
    qs = Account.objects.filter(organization__in=_orgs(scope)).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("organization__path", "kind", "fund_source", "pk")


def account_get(*, scope: Scope, pk: int) -> Account:
    return get_object_or_404(account_list(scope=scope), pk=pk)


def transaction_list(*, scope: Scope, account: Account | None = None, kind: str | None = None) -> QuerySet[Transaction]:
    visible = Entry.objects.filter(account__organization__in=_orgs(scope)).values("transaction_id")
    qs = Transaction.objects.filter(pk__in=visible).select_related("organization", "purpose", "reverses")
    if account is not None:
        qs = qs.filter(entries__account=account)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "-pk").distinct()


def transaction_get(*, scope: Scope, pk: int) -> Transaction:
    return get_object_or_404(transaction_list(scope=scope), pk=pk)


def receipt_list(*, scope: Scope) -> QuerySet[DuesReceipt]:
    return DuesReceipt.objects.filter(organization__in=_orgs(scope)).select_related("organization", "transaction")


@dataclass
class StatementLine:
    date: dt.date
    transaction: Transaction
    amount: Decimal
    balance: Decimal


@dataclass
class Statement:
    account: Account
    start: dt.date
    end: dt.date
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)
    total_in: Decimal = ZERO
    total_out: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total_in - self.total_out

    def as_dict(self) -> dict[str, object]:
        return {
            "account": self.account.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "opening": fmt(self.opening),
            "total_in": fmt(self.total_in),
            "total_out": fmt(self.total_out),
            "closing": fmt(self.closing),
            "lines": [
                {
                    "date": line.date.isoformat(),
                    "transaction": line.transaction.pk,
                    "kind": line.transaction.kind,
                    "memo": line.transaction.memo,
                    "amount": fmt(line.amount),
                    "balance": fmt(line.balance),
                }
                for line in self.lines
            ],
        }


def account_statement(*, scope: Scope, account: Account, start: dt.date, end: dt.date) -> Statement:
    """Opening balance, every entry of the period with the running balance, closing balance."""
    account = account_get(scope=scope, pk=account.pk)
    entries = Entry.objects.filter(account=account)
    opening = entries.filter(transaction__date__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO
    statement = Statement(account=account, start=start, end=end, opening=opening)
    running = opening
    period = (
        entries.filter(transaction__date__gte=start, transaction__date__lte=end)
        .select_related("transaction")
        .order_by("transaction__date", "transaction_id", "pk")
    )
    for entry in period:
        running += entry.amount
        if entry.amount > 0:
            statement.total_in += entry.amount
        else:
            statement.total_out -= entry.amount
        statement.lines.append(StatementLine(entry.transaction.date, entry.transaction, entry.amount, running))
    return statement


def funds_allocated(
    *, scope: Scope, start: dt.date | None = None, end: dt.date | None = None, organization: Organization | None = None
) -> Decimal:
    """Yuan allocated downwards (net of reversed allocations), by the organisations in scope."""
    qs = Entry.objects.filter(
        transaction__kind=TransactionKind.ALLOCATION,
        transaction__reversed_by__isnull=True,
        amount__gt=0,
        transaction__organization__in=_orgs(scope),
    )
    if start:
        qs = qs.filter(transaction__date__gte=start)
    if end:
        qs = qs.filter(transaction__date__lte=end)
    if organization is not None:
        qs = qs.filter(transaction__organization__path__startswith=organization.path)
    return (qs.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(Decimal("0.01"))


def allocation_list(
    *, scope: Scope, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Transaction]:
    """The allocations behind funds_allocated (not reversed, by organisations in scope), each with `allocated`,
    the yuan it moved (a report's drill-down)."""
    qs = Transaction.objects.filter(
        kind=TransactionKind.ALLOCATION, reversed_by__isnull=True, organization__in=_orgs(scope)
    )
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    moved = (
        Entry.objects.filter(transaction=OuterRef("pk"), amount__gt=0)
        .order_by()
        .values("transaction")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return qs.annotate(allocated=Subquery(moved)).select_related("organization", "purpose").order_by("date", "pk")


def _received_entries(*, scope: Scope, start: dt.date | None, end: dt.date | None) -> QuerySet[Entry]:
    """Entries of live allocations into accounts of organisations in scope, posted by an organisation outside it."""
    orgs = _orgs(scope)
    qs = Entry.objects.filter(
        transaction__kind=TransactionKind.ALLOCATION,
        transaction__reversed_by__isnull=True,
        amount__gt=0,
        account__organization__in=orgs,
    ).exclude(transaction__organization__in=orgs)
    if start:
        qs = qs.filter(transaction__date__gte=start)
    if end:
        qs = qs.filter(transaction__date__lte=end)
    return qs


def funds_received(*, scope: Scope, start: dt.date | None = None, end: dt.date | None = None) -> Decimal:
    """Yuan allocated to the organisations in scope from above (outside the scope), net of reversals.

    The counterpart of funds_allocated: a street's tranche shows here, while money moving between
    organisations inside the scope (a street to its communities) does not.
    """
    qs = _received_entries(scope=scope, start=start, end=end)
    return (qs.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(Decimal("0.01"))


def received_allocation_list(
    *, scope: Scope, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Transaction]:
    """The allocations behind funds_received, each with `received`: the yuan of it that entered the scope."""
    entries = _received_entries(scope=scope, start=start, end=end)
    received = (
        entries.filter(transaction=OuterRef("pk"))
        .order_by()
        .values("transaction")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return (
        Transaction.objects.filter(pk__in=entries.values("transaction"))
        .annotate(received=Subquery(received))
        .select_related("organization", "purpose")
        .order_by("date", "pk")
    )


def allocations_into(account: Account) -> QuerySet[Transaction]:
    """The allocations that brought money into an account (for tracing a fund back to its source)."""
    return (
        Transaction.objects.filter(kind=TransactionKind.ALLOCATION, entries__account=account, entries__amount__gt=0)
        .select_related("organization")
        .distinct()
        .order_by("date", "pk")
    )


def source_accounts(txn: Transaction) -> list[Account]:
    """The fund accounts money left in a transaction."""
    return [e.account for e in txn.entries.select_related("account", "account__organization") if e.amount < 0]


def downstream_accounts(account: Account) -> list[Account]:
    """The account and every account money was allocated to from it, recursively."""
    seen: dict[int, Account] = {account.pk: account}
    frontier = [account]
    while frontier:
        current = frontier.pop()
        txns = Transaction.objects.filter(
            kind=TransactionKind.ALLOCATION, entries__account=current, entries__amount__lt=0,
            reversed_by__isnull=True,
        ).values("pk")
        for target in Account.objects.filter(
            Q(entries__transaction__in=txns) & Q(entries__amount__gt=0)
        ).select_related("organization").distinct():
            if target.pk not in seen:
                seen[target.pk] = target
                frontier.append(target)
    return list(seen.values())
