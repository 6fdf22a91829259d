from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.ledger.models import Account, AccountKind, Purpose, Transaction
from bastion.ledger.views import date_of, errors_of
from bastion.orgs.models import Organization
from bastion.supplies import selectors, services
from bastion.supplies.models import Item, Method, Purchase, ReceivedLot, Use
from bastion.supplies.units import UNITS, Dimension


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


def _recipients(giver: Organization) -> Any:
    """Whom a giver usually hands supplies to: the organisations directly below it."""
    return Organization.objects.filter(path__startswith=giver.path, depth=giver.depth + 1).order_by("path")


def _distribute(request: HttpRequest, *, purchase: Purchase | None = None, lot: ReceivedLot | None = None) -> Any:
    """Record a distribution from the posted form; returns the distribution (the caller redirects)."""
    scope = request.scope  # type: ignore[attr-defined]
    if not scope.has("supplies.change"):
        scope.deny()
    return services.distribution_create(
        scope=scope,
        purchase=purchase,
        lot=lot,
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


def _can_change(scope: Any, org: Organization, perm: str = "supplies.change") -> bool:
    return bool(Organization.objects.filter(scope.org_visible_q(perm), pk=org.pk).exists())


@scoped("supplies.view")
def purchase(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    lot = selectors.purchase_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    reverse_errors: dict[str, list[str]] = {}
    if request.method == "POST" and request.POST.get("action") == "reverse":
        if not scope.has("supplies.change"):
            scope.deny()
        try:
            services.purchase_reverse(scope=scope, purchase=lot, date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
                                      reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            reverse_errors = errors_of(exc)
        else:
            messages.success(request, _("The purchase was reversed: the money is back in the fund and the "
                                        "supplies are out of stock."))
            return redirect("supplies:purchase", lot.pk)
    elif request.method == "POST":
        try:
            distribution = _distribute(request, purchase=lot)
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The distribution was recorded."))
            return redirect("supplies:distribution", distribution.pk)
    reversed_by = Transaction.objects.filter(reverses_id=lot.payment_id).first()
    can_change = _can_change(scope, lot.organization)
    return render(request, "supplies/purchase.html", {
        "lot": lot, "distributions": selectors.distribution_list(scope=scope, purchase=lot),
        "recipients": _recipients(lot.organization), "methods": Method.choices, "uses": Use.choices,
        "errors": errors, "reverse_errors": reverse_errors, "post": request.POST if not reverse_errors else {},
        "reversal": reversed_by,
        "can_distribute": can_change and not reversed_by,
        "can_reverse": can_change and not reversed_by and _can_change(scope, lot.organization, "ledger.change"),
    })


@scoped("supplies.view")
def received_lot(request: HttpRequest, pk: int) -> HttpResponse:
    """Supplies an organisation signed for and keeps in stock: where they came from, and giving them on."""
    scope = request.scope  # type: ignore[attr-defined]
    lot = selectors.lot_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            distribution = _distribute(request, lot=lot)
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The distribution was recorded."))
            return redirect("supplies:distribution", distribution.pk)
    return render(request, "supplies/lot.html", {
        "lot": lot, "hops": selectors.hops(lot.distribution), "onward": selectors.onward(lot),
        "distributions": selectors.distribution_list(scope=scope, lot=lot),
        "recipients": _recipients(lot.organization), "methods": Method.choices, "uses": Use.choices,
        "errors": errors, "post": request.POST, "can_distribute": _can_change(scope, lot.organization),
    })


@scoped("supplies.view")
def distribution(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    d = selectors.distribution_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "receive":
                taken = services.distribution_receive(scope=scope, distribution=d)
                messages.success(request, _("The supplies are now in the stock of %(location)s.")
                                 % {"location": taken.location.name})
                return redirect("supplies:lot", taken.pk)
            d = services.distribution_sign(scope=scope, distribution=d,
                                           signer_name=request.POST.get("signer_name", ""))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The signature was recorded."))
            return redirect("supplies:distribution", d.pk)
    received: ReceivedLot | None = d.received_lot if hasattr(d, "received_lot") else None
    can_receive = (d.signed and received is None and _can_change(scope, d.recipient)
                   and services.receiving_location(d.recipient) is not None)
    return render(request, "supplies/distribution.html", {
        "d": d, "errors": errors, "hops": selectors.hops(d), "received": received, "can_receive": can_receive,
    })


@scoped("supplies.view")
def items(request: HttpRequest) -> HttpResponse:
    """The catalogue: items measured in a base unit, and the containers they come in."""
    scope = request.scope  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    form = request.POST.get("form", "")
    if request.method == "POST":
        if not scope.has("supplies.change"):
            scope.deny()
        try:
            if form == "container":
                item = get_object_or_404(Item, pk=request.POST.get("item") or 0)
                container = services.container_ensure(
                    scope=scope, item=item, name=request.POST.get("container", ""),
                    holds=request.POST.get("holds"), unit=request.POST.get("unit", ""),
                )
                messages.success(request, _("Container %(container)s added to %(item)s.")
                                 % {"container": container, "item": item.name})
            else:
                item = services.item_create(scope=scope, code=request.POST.get("code", ""),
                                            name=request.POST.get("name", ""),
                                            dimension=request.POST.get("dimension", ""))
                messages.success(request, _("Item %(item)s added.") % {"item": item.name})
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            return redirect("supplies:items")
    return render(request, "supplies/items.html", {
        "items": selectors.item_list(), "dimensions": Dimension.choices, "units": UNITS, "errors": errors,
        "post": request.POST, "form": form,
    })


@scoped("supplies.view")
def locations(request: HttpRequest) -> HttpResponse:
    """Where stock is kept; the receiving location of an organisation takes in what it signs for."""
    scope = request.scope  # type: ignore[attr-defined]
    orgs = Organization.objects.filter(scope.org_visible_q("supplies.change")).order_by("path")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not scope.has("supplies.change"):
            scope.deny()
        try:
            org = orgs.filter(pk=request.POST.get("organization") or 0).first()
            if org is None:
                raise ValidationError({"organization": _("Choose an organisation you keep supplies for.")})
            location = services.location_ensure(scope=scope, organization=org, name=request.POST.get("name", ""),
                                                receives=request.POST.get("receives") == "on")
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Location %(name)s saved.") % {"name": location.name})
            return redirect("supplies:locations")
    page = Paginator(selectors.location_list(scope=scope).order_by("organization__path", "name"), 50).get_page(
        request.GET.get("page"))
    return render(request, "supplies/locations.html", {
        "page": page, "orgs": orgs[:500], "errors": errors, "post": request.POST,
        "lots": selectors.lot_list(scope=scope).filter(remaining__gt=0)[:100],
    })


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
