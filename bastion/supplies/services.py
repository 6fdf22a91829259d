"""Writes for supplies: catalogue, purchases paid from the ledger, distributions.

Stock never goes negative: a distribution locks the (item, location) stock row and then
the lot (a purchase or a received lot; always in that order), checks the quantity on the
locked rows and changes it with F(); the CheckConstraints are the last line of defence.

Onward: a signed distribution to an organisation with a receiving location becomes a
ReceivedLot in that location's stock, which can be given on again, any number of hops.
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
from bastion.ledger.models import Account, Purpose, Transaction, TransactionKind
from bastion.ledger.services import payment_post, transaction_reverse
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.supplies.models import (
    Container,
    Distribution,
    Item,
    Location,
    Method,
    Purchase,
    ReceivedLot,
    Stock,
    Use,
)
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


def item_create(*, scope: Scope, code: str, name: str, dimension: str) -> Item:
    """Add a new item to the catalogue (a code that exists already is refused, unlike item_ensure)."""
    if not scope.has("supplies.change"):
        scope.deny()
    code = (code or "").strip()
    if Item.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An item with the code %(code)s exists already.") % {"code": code}})
    if not (name or "").strip():
        raise ValidationError({"name": _("Name the item, e.g. alcohol.")})
    return item_ensure(scope=scope, code=code, name=name, dimension=dimension)


def container_ensure(*, scope: Scope, item: Item, name: str, holds: Any, unit: str) -> Container:
    """A container of the item holding a stated quantity (in unit; stored in the base unit)."""
    if not scope.has("supplies.change"):
        scope.deny()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"container": _("Name the container, e.g. 桶.")})
    if len(name) > 40:
        raise ValidationError({"container": _("A container's name has at most 40 characters.")})
    base = to_base(holds, unit, item.dimension, field="holds")
    with transaction.atomic():
        container = Container.objects.filter(item=item, name=name, holds=base).first()
        if container is None:
            container = Container(item=item, name=name, holds=base)
            container.full_clean()
            container.save()
            audit.record(scope.user, "container.create", container, audit.diff({}, audit.snapshot(container)))
    return container


def location_ensure(
    *, scope: Scope, organization: Organization, name: str, receives: bool | None = None
) -> Location:
    """A location of the organisation, opened if new.

    The first location an organisation opens receives its deliveries; receives=True makes this
    one the receiving location instead of another (there is at most one).
    """
    scope.require("supplies.change", org=organization)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the location, e.g. the street warehouse.")})
    with transaction.atomic():
        location = Location.objects.filter(organization=organization, name=name).first()
        if location is None:
            location = Location(organization=organization, name=name[:200])
            location.full_clean(exclude=["receives"])
            location.receives = bool(receives) or not Location.objects.filter(
                organization=organization, receives=True
            ).exists()
            if location.receives:
                Location.objects.filter(organization=organization, receives=True).update(receives=False)
            location.save()
            audit.record(scope.user, "location.create", location, audit.diff({}, audit.snapshot(location)))
        elif receives and not location.receives:
            Location.objects.filter(organization=organization, receives=True).update(receives=False)
            location.receives = True
            location.save(update_fields=["receives", "updated_at"])
            audit.record(scope.user, "location.receives", location, {"receives": [False, True]})
    return location


def receiving_location(organization: Organization) -> Location | None:
    """Where supplies the organisation signs for go, if it keeps stock at all."""
    return Location.objects.filter(organization=organization, receives=True).first()


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


def _is_reversed(purchase: Purchase) -> bool:
    return Transaction.objects.filter(reverses_id=purchase.payment_id).exists()


def distribution_create(
    *,
    scope: Scope,
    recipient: Organization,
    method: str,
    use: str,
    date: dt.date,
    purchase: Purchase | None = None,
    lot: ReceivedLot | None = None,
    containers: Any = None,
    quantity: Any = None,
    unit: str | None = None,
    use_note: str = "",
    signer: Person | None = None,
    signer_name: str = "",
) -> Distribution:
    """Give supplies to an organisation from a purchase (the buyer) or from a received lot (any later
    hop): whole containers, or a quantity in a unit."""
    if (purchase is None) == (lot is None):
        raise ValidationError({"lot": _("Give from one lot: a purchase or supplies received.")})
    root: Purchase = lot.purchase if lot is not None else purchase  # type: ignore[assignment,union-attr]
    location_id = lot.location_id if lot is not None else root.location_id
    giver = lot.location.organization if lot is not None else root.organization
    scope.require("supplies.change", org=giver)
    if recipient.pk == giver.pk:
        raise ValidationError({"recipient": _("Give the supplies to another organisation.")})
    if method not in Method.values:
        raise ValidationError({"method": _("Choose how the supplies are delivered.")})
    if use not in Use.values:
        raise ValidationError({"use": _("Say what the supplies are for.")})
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Give the date of the distribution.")})
    count = 0
    if containers not in (None, ""):
        count = _count(containers, "containers")
        amount = root.container.holds * count
    elif quantity not in (None, ""):
        amount = to_base(quantity, unit or root.item.base_unit, root.item.dimension)
    else:
        raise ValidationError({"quantity": _("Give a number of containers or a quantity.")})
    if _is_reversed(root):
        raise ValidationError({"lot": _("This purchase was reversed; nothing can be given from it.")})
    lot_model: type[Purchase] | type[ReceivedLot] = ReceivedLot if lot is not None else Purchase
    lot_pk = lot.pk if lot is not None else root.pk
    with transaction.atomic():
        # Always the stock row first, then the lot: the same order as every other writer.
        stock = Stock.objects.select_for_update().filter(item=root.item_id, location=location_id).first()
        locked = lot_model.objects.select_for_update().get(pk=lot_pk)
        available = min(stock.quantity if stock else Decimal(0), locked.remaining)
        if amount > available:
            raise ValidationError(
                {"quantity": _("Only %(available)s %(unit)s of %(item)s are left; %(asked)s %(unit)s cannot be given.")
                 % {"available": available.normalize(), "unit": root.item.base_unit, "item": root.item.name,
                    "asked": amount.normalize()}}
            )
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - amount)  # type: ignore[union-attr]
        lot_model.objects.filter(pk=lot_pk).update(remaining=F("remaining") - amount)
        distribution = Distribution.objects.create(
            purchase=root,
            source=lot,
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
    """The recipient's named signer confirms receipt (recorded by either side).

    If the recipient has a receiving location, the signed quantity enters its stock as a lot
    it can give on (the signature is what makes the supplies the recipient's).
    """
    if not scope.has("supplies.change"):
        scope.deny()
    try:
        scope.require("supplies.change", org=distribution.recipient)
    except PermissionDenied:  # the giving side may record the paper signature instead
        scope.require("supplies.change", org=distribution.giver)
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
        location = receiving_location(locked.recipient)
        if location is not None:
            _take_into_stock(scope=scope, distribution=locked, location=location)
    return locked


def _take_into_stock(*, scope: Scope, distribution: Distribution, location: Location) -> ReceivedLot:
    purchase = distribution.purchase
    lot = ReceivedLot(
        distribution=distribution, purchase=purchase, item_id=purchase.item_id, location=location,
        quantity=distribution.quantity, remaining=distribution.quantity,
        date=distribution.date,
    )
    lot.full_clean()
    lot.save()
    stock, _created = Stock.objects.get_or_create(item_id=purchase.item_id, location=location)
    Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + lot.quantity)
    audit.record(scope.user, "received_lot.create", lot, audit.diff({}, audit.snapshot(lot)))
    return lot


def distribution_receive(
    *, scope: Scope, distribution: Distribution, location: Location | None = None
) -> ReceivedLot:
    """Take supplies signed for earlier (before the recipient kept stock) into one of its locations."""
    scope.require("supplies.change", org=distribution.recipient)
    location = location or receiving_location(distribution.recipient)
    if location is None:
        raise ValidationError({"location": _("Open a location for %(org)s first.")
                               % {"org": distribution.recipient.name}})
    if location.organization_id != distribution.recipient_id:
        raise ValidationError({"location": _("Receive into a location of the recipient.")})
    with transaction.atomic():
        locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if locked.signed_at is None:
            raise ValidationError({"signer_name": _("Supplies enter the stock once someone has signed for them.")})
        if ReceivedLot.objects.filter(distribution=locked).exists():
            raise ValidationError({"location": _("These supplies are already in stock.")})
        return _take_into_stock(scope=scope, distribution=locked, location=location)


def purchase_reverse(*, scope: Scope, purchase: Purchase, date: dt.date, reason: str) -> Purchase:
    """Undo a purchase: the money goes back to the fund and the lot leaves the stock, together.

    Refused once any of it has been given out; the distributions are the record of where it went.
    """
    scope.require("supplies.change", org=purchase.organization)
    if Distribution.objects.filter(purchase=purchase).exists():
        raise ValidationError({"purchase": _(
            "Some of this purchase has already been distributed; a purchase can only be reversed while all of "
            "it is in stock."
        )})
    with transaction.atomic():
        # The ledger first (it locks the transaction and the accounts, as a purchase does), then stock and lot.
        reversal = transaction_reverse(scope=scope, txn=purchase.payment, date=date, reason=reason, via=purchase)
        stock = Stock.objects.select_for_update().filter(item=purchase.item_id, location=purchase.location_id).first()
        lot = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if Distribution.objects.filter(purchase=lot).exists() or lot.remaining != lot.quantity:
            raise ValidationError({"purchase": _(
                "Some of this purchase has already been distributed; a purchase can only be reversed while all "
                "of it is in stock."
            )})
        if stock is None or stock.quantity < lot.quantity:
            raise ValidationError({"purchase": _("The stock at %(location)s no longer holds this purchase.")
                                   % {"location": purchase.location.name}})
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - lot.quantity)
        Purchase.objects.filter(pk=lot.pk).update(remaining=0)
        audit.record(scope.user, "purchase.reverse", lot,
                     {"remaining": [str(lot.remaining), "0.000"], "reversal": [None, reversal.pk]})
        lot.refresh_from_db()
    return lot
