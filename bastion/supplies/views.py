from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.ledger.models import Account, AccountKind, Purpose
from bastion.ledger.views import date_of, errors_of
from bastion.orgs.models import Organization
from bastion.supplies import selectors, services
from bastion.supplies.models import Item, Method, Use
from bastion.supplies.units import UNITS


@scoped("supplies.view")
def index(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    page = Paginator(selectors.distribution_list(scope=scope), 50).get_page(request.GET.get("page"))
    return render(request, "supplies/index.html", {
        "stock": selectors.stock_list(scope=scope)[:100],
        "purchases": selectors.purchase_list(scope=scope)[:20],
        "page": page,
    })


@scoped("supplies.change")
def purchase_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    orgs = Organization.objects.filter(scope.org_visible_q("supplies.change"))
    accounts = Account.objects.filter(organization__in=orgs, kind=AccountKind.FUND).select_related("organization")
    locations = selectors.location_list(scope=scope).filter(organization__in=orgs)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            account = get_object_or_404(accounts, pk=request.POST.get("account") or 0)
            new_location = request.POST.get("new_location", "").strip()
            if new_location:
                location = services.location_ensure(scope=scope, organization=account.organization,
                                                    name=new_location)
            else:
                location = get_object_or_404(locations, pk=request.POST.get("location") or 0)
            purchase = services.purchase_create(
                scope=scope,
                organization=account.organization,
                item=get_object_or_404(Item, pk=request.POST.get("item") or 0),
                container_name=request.POST.get("container_name", ""),
                holds=request.POST.get("holds"),
                holds_unit=request.POST.get("holds_unit", ""),
                containers=request.POST.get("containers"),
                amount=request.POST.get("amount"),
                account=account,
                purpose=Purpose.objects.filter(pk=request.POST.get("purpose") or 0).first(),
                location=location,
                date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
                supplier=request.POST.get("supplier", ""),
            )
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The purchase was recorded and paid."))
            return redirect("supplies:purchase", purchase.pk)
    return render(request, "supplies/purchase_new.html", {
        "items": selectors.item_list(), "accounts": accounts, "locations": locations, "units": UNITS,
        "purposes": Purpose.objects.all(), "errors": errors, "post": request.POST,
    })


@scoped("supplies.view")
def purchase(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    lot = selectors.purchase_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not scope.has("supplies.change"):
            scope.deny()
        try:
            distribution = services.distribution_create(
                scope=scope,
                purchase=lot,
                recipient=get_object_or_404(Organization, pk=request.POST.get("recipient") or 0),
                containers=request.POST.get("containers") or None,
                quantity=request.POST.get("quantity") or None,
                unit=request.POST.get("unit") or None,
                method=request.POST.get("method", ""),
                use=request.POST.get("use", ""),
                use_note=request.POST.get("use_note", ""),
                date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
                signer_name=request.POST.get("signer_name", ""),
            )
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The distribution was recorded."))
            return redirect("supplies:distribution", distribution.pk)
    recipients = Organization.objects.filter(path__startswith=lot.organization.path).exclude(
        pk=lot.organization.pk
    ).filter(depth=lot.organization.depth + 1).order_by("path")
    return render(request, "supplies/purchase.html", {
        "lot": lot, "distributions": selectors.distribution_list(scope=scope, purchase=lot),
        "recipients": recipients, "methods": Method.choices, "uses": Use.choices, "errors": errors,
        "post": request.POST,
    })


@scoped("supplies.view")
def distribution(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    d = selectors.distribution_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            d = services.distribution_sign(scope=scope, distribution=d, signer_name=request.POST.get("signer_name", ""))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The signature was recorded."))
            return redirect("supplies:distribution", d.pk)
    return render(request, "supplies/distribution.html", {"d": d, "errors": errors})


@scoped("supplies.view")
def recipient_trace(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    recipient = selectors.recipient_get(scope=scope, pk=pk)
    return render(request, "supplies/recipient_trace.html",
                  {"recipient": recipient, "chains": selectors.recipient_trace(scope=scope, recipient=recipient)})


@scoped("supplies.view")
def fund_trace(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    account = get_object_or_404(Account.objects.select_related("organization"), pk=pk)
    return render(request, "supplies/fund_trace.html",
                  {"trace": selectors.fund_trace(scope=scope, account=account)})
