from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.core.errors import field_errors
from bastion.ledger import selectors, services
from bastion.ledger.models import AccountKind, Transaction, TransactionKind
from bastion.orgs.models import Organization


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in field_errors(exc):
        out.setdefault(error["field"], []).append(error["message"])
    return out


def date_of(value: str | None, default: dt.date | None = None) -> dt.date | None:
    try:
        return parse_date(value or "") or default
    except ValueError:
        return default


@scoped("ledger.view")
def index(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    accounts = selectors.account_list(scope=scope, kind=AccountKind.FUND)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "ledger/index.html", {
        "page": page,
        "allocated": selectors.funds_allocated(scope=scope),
        "transactions": selectors.transaction_list(scope=scope)[:10],
    })


@scoped("ledger.view")
def account(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    acc = selectors.account_get(scope=scope, pk=pk)
    today = timezone.localdate()
    start = date_of(request.GET.get("start"), today.replace(day=1)) or today
    end = date_of(request.GET.get("end"), today) or today
    statement = selectors.account_statement(scope=scope, account=acc, start=start, end=end)
    page = Paginator(statement.lines, 100).get_page(request.GET.get("page"))
    return render(request, "ledger/account.html", {"account": acc, "statement": statement, "page": page})


@scoped("ledger.view")
def transactions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.transaction_list(scope=request.scope), 50).get_page(request.GET.get("page"))  # type: ignore[attr-defined]
    return render(request, "ledger/transactions.html", {"page": page})


@scoped("ledger.view")
def transaction(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    txn = selectors.transaction_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not scope.has("ledger.change"):
            scope.deny()
        try:
            reversal = services.transaction_reverse(
                scope=scope, txn=txn, date=date_of(request.POST.get("date")), reason=request.POST.get("reason", "")  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The transaction was reversed."))
            return redirect("ledger:transaction", reversal.pk)
    entries = txn.entries.select_related("account", "account__organization")
    reversed_by = Transaction.objects.filter(reverses=txn).first()
    owner = services.transaction_owner(txn)
    return render(request, "ledger/transaction.html", {
        "txn": txn, "entries": entries, "reversal": reversed_by, "errors": errors, "owner": owner,
        "owner_kind": owner._meta.verbose_name if owner is not None else "",
        "owner_url": owner.get_absolute_url() if owner is not None and hasattr(owner, "get_absolute_url") else "",
    })


@scoped("ledger.change")
def allocate(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    sources = selectors.account_list(scope=scope, kind=AccountKind.FUND).filter(
        organization__in=Organization.objects.filter(scope.org_visible_q("ledger.change"))
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            source = get_object_or_404(sources, pk=request.POST.get("source") or 0)
            targets: list[tuple[Organization, Any]] = []
            for i in range(8):
                org_id, amount = request.POST.get(f"org_{i}"), request.POST.get(f"amount_{i}")
                if org_id and amount:
                    targets.append((get_object_or_404(Organization, pk=org_id), amount))
            txn = services.allocation_post(scope=scope, source=source, targets=targets,
                                           date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
                                           memo=request.POST.get("memo", ""))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The allocation was posted."))
            return redirect("ledger:transaction", txn.pk)
    orgs = Organization.objects.filter(scope.org_visible_q("ledger.change")).order_by("path")[:500]
    return render(request, "ledger/allocate.html",
                  {"sources": sources, "orgs": orgs, "rows": range(8), "errors": errors, "post": request.POST})


@scoped("ledger.view")
def special_dues(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    orgs = Organization.objects.filter(scope.org_visible_q("ledger.change")).order_by("path")[:500]
    if request.method == "POST":
        if not scope.has("ledger.change"):
            scope.deny()
        try:
            org: Organization = get_object_or_404(Organization.objects.filter(scope.org_visible_q("ledger.change")),
                                    pk=request.POST.get("organization") or 0)
            receipt = services.special_dues_receive(
                scope=scope, organization=org, payer_name=request.POST.get("payer_name", ""),
                amount=request.POST.get("amount"), date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Receipt %(number)s issued.") % {"number": receipt.number})
            return redirect("ledger:special_dues")
    page = Paginator(selectors.receipt_list(scope=scope), 50).get_page(request.GET.get("page"))
    return render(request, "ledger/special_dues.html",
                  {"page": page, "orgs": orgs, "errors": errors, "post": request.POST})


@scoped("ledger.view")
def receipts(request: HttpRequest) -> HttpResponse:
    """Money received from outside (a higher level's allocation, a donation) into a fund account."""
    scope = request.scope  # type: ignore[attr-defined]
    accounts = selectors.account_list(scope=scope, kind=AccountKind.FUND).filter(
        organization__in=Organization.objects.filter(scope.org_visible_q("ledger.change"))
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not scope.has("ledger.change"):
            scope.deny()
        try:
            account = accounts.filter(pk=request.POST.get("account") or 0).first()
            if account is None:
                raise ValidationError({"account": _("Choose a fund account you keep.")})
            txn = services.receipt_post(scope=scope, account=account, amount=request.POST.get("amount"),
                                        date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
                                        memo=request.POST.get("memo", ""))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The receipt was posted."))
            return redirect("ledger:transaction", txn.pk)
    page = Paginator(selectors.transaction_list(scope=scope, kind=TransactionKind.RECEIPT), 50).get_page(
        request.GET.get("page"))
    return render(request, "ledger/receipts.html",
                  {"accounts": accounts[:500], "page": page, "errors": errors, "post": request.POST})
