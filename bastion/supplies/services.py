"""Writes for supplies: catalogue, purchases paid from the ledger, distributions.

Stock never goes negative: a distribution locks the (item, location) stock row and then
the lot (always in that order), checks the quantity on the locked rows and changes it with
F(); the CheckConstraints are the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.core import audit
from bastion.ledger.models import Account, Purpose, TransactionKind
from bastion.ledger.services import payment_post
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.supplies.models import Container, Distribution, Item, Location, Method, Purchase, Stock, Use
from bastion.supplies.units import Dimension, to_base


def item_ensure(*, scope: Scope, code: str, name: str, dimension: str) -> Item:
    if not scope.has("supplies.change"):
        scope.deny()
    if dimension not in Dimension.values:
        raise ValidationError({"dimension": _("An item is measured by mass, volume or count.")})
    item = Item.objects.filter(code=code).first()
    if item is not None:
        if item.dimension != dimension:
            raise ValidationError({"dimension": _("This item is already measured differently.")})
        return item
    with transaction.atomic():
        item = Item(code=code, name=(name or "").strip(), dimension=dimension)
        item.full_clean()
        item.save()
        audit.record(scope.user, "item.create", item, audit.diff({}, audit.snapshot(item)))
    return item


def container_ensure(*, scope: Scope, item: Item, name: str, holds: Any, unit: str) -> Container:
    """A container of the item holding a stated quantity (in unit; stored in the base unit)."""
    if not scope.has("supplies.change"):
        scope.deny()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"container": _("Name the container, e.g. 桶.")})
    base = to_base(holds, unit, item.dimension, field="holds")
    container, created = Container.objects.get_or_create(item=item, name=name, holds=base)
    if created:
        audit.record(scope.user, "container.create", container, audit.diff({}, audit.snapshot(container)))
    return container


def location_ensure(*, scope: Scope, organization: Organization, name: str) -> Location:
    scope.require("supplies.change", org=organization)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the location, e.g. the street warehouse.")})
    location, created = Location.objects.get_or_create(organization=organization, name=name)
    if created:
        audit.record(scope.user, "location.create", location, audit.diff({}, audit.snapshot(location)))
    return location


def _count(value: Any, field: str) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number of containers.")}) from None
    if number <= 0:
        raise ValidationError({field: _("The number of containers must be greater than zero.")})
    return number


def purchase_create(
    *,
    scope: Scope,
    organization: Organization,
    item: Item,
    container_name: str,
    holds: Any,
    holds_unit: str,
    containers: Any,
    amount: Any,
    account: Account,
    purpose: Purpose | None,
    location: Location,
    date: dt.date,
    supplier: str = "",
) -> Purchase:
    """Buy containers of an item, pay from a ledger account, receive them into a location."""
    scope.require("supplies.change", org=organization)
    count = _count(containers, "containers")
    if account.organization_id != organization.pk:
        raise ValidationError({"account": _("Pay from an account of the buying organisation.")})
    if location.organization_id != organization.pk:
        raise ValidationError({"location": _("Receive into a location of the buying organisation.")})
    with transaction.atomic():
        container = container_ensure(scope=scope, item=item, name=container_name, holds=holds, unit=holds_unit)
        quantity = container.holds * count
        payment = payment_post(
            scope=scope,
            account=account,
            amount=amount,
            purpose=purpose,
            date=date,
            kind=TransactionKind.PURCHASE,
            memo=_("%(count)s × %(container)s %(item)s") % {"count": count, "container": container.name,
                                                            "item": item.name},
        )
        purchase = Purchase.objects.create(
            organization=organization,
            item=item,
            container=container,
            containers=count,
            quantity=quantity,
            remaining=quantity,
            amount=payment.entries.get(account=account).amount.copy_abs(),
            account=account,
            payment=payment,
            location=location,
            supplier=(supplier or "").strip()[:200],
            date=date,
        )
        stock, _created = Stock.objects.get_or_create(item=item, location=location)
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
        audit.record(scope.user, "purchase.create", purchase, audit.diff({}, audit.snapshot(purchase)))
    return purchase


def distribution_create(
    *,
    scope: Scope,
    purchase: Purchase,
    recipient: Organization,
    method: str,
    use: str,
    date: dt.date,
    containers: Any = None,
    quantity: Any = None,
    unit: str | None = None,
    use_note: str = "",
    signer: Person | None = None,
    signer_name: str = "",
) -> Distribution:
    """Give supplies from a lot to an organisation: whole containers, or a quantity in a unit."""
    scope.require("supplies.change", org=purchase.organization)
    if method not in Method.values:
        raise ValidationError({"method": _("Choose how the supplies are delivered.")})
    if use not in Use.values:
        raise ValidationError({"use": _("Say what the supplies are for.")})
    count = 0
    if containers not in (None, ""):
        count = _count(containers, "containers")
        amount = purchase.container.holds * count
    elif quantity not in (None, ""):
        amount = to_base(quantity, unit or purchase.item.base_unit, purchase.item.dimension)
    else:
        raise ValidationError({"quantity": _("Give a number of containers or a quantity.")})
    with transaction.atomic():
        stock = Stock.objects.select_for_update().filter(item=purchase.item_id, location=purchase.location_id).first()
        lot = Purchase.objects.select_for_update().get(pk=purchase.pk)
        available = min(stock.quantity if stock else Decimal(0), lot.remaining)
        if amount > available:
            raise ValidationError(
                {"quantity": _("Only %(available)s %(unit)s of %(item)s are left; %(asked)s %(unit)s cannot be given.")
                 % {"available": available.normalize(), "unit": purchase.item.base_unit, "item": purchase.item.name,
                    "asked": amount.normalize()}}
            )
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - amount)  # type: ignore[union-attr]
        Purchase.objects.filter(pk=lot.pk).update(remaining=F("remaining") - amount)
        distribution = Distribution.objects.create(
            purchase=lot,
            recipient=recipient,
            containers=count,
            quantity=amount,
            method=method,
            use=use,
            use_note=(use_note or "").strip()[:200],
            date=date,
            created_by=scope.user if getattr(scope.user, "is_authenticated", False) else None,
        )
        audit.record(scope.user, "distribution.create", distribution, audit.diff({}, audit.snapshot(distribution)))
        if signer is not None or (signer_name or "").strip():
            distribution = distribution_sign(scope=scope, distribution=distribution, signer=signer,
                                             signer_name=signer_name)
    return distribution


def distribution_sign(
    *, scope: Scope, distribution: Distribution, signer: Person | None = None, signer_name: str = ""
) -> Distribution:
    """The recipient's named signer confirms receipt (recorded by either side)."""
    if not scope.has("supplies.change"):
        scope.deny()
    try:
        scope.require("supplies.change", org=distribution.recipient)
    except PermissionDenied:  # the giving side may record the paper signature instead
        scope.require("supplies.change", org=distribution.purchase.organization)
    name = (signer_name or (signer.name if signer else "")).strip()
    if not name:
        raise ValidationError({"signer_name": _("Name the person who signed for the supplies.")})
    with transaction.atomic():
        locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if locked.signed_at is not None:
            raise ValidationError({"signer_name": _("This distribution has already been signed for.")})
        before = audit.snapshot(locked)
        locked.signer = signer
        locked.signer_name = name[:100]
        locked.signed_at = timezone.now()
        locked.save(update_fields=["signer", "signer_name", "signed_at", "updated_at"])
        audit.record(scope.user, "distribution.sign", locked, audit.diff(before, audit.snapshot(locked)))
    return locked
