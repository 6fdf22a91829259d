"""Supplies over JSON: catalogue, stock, purchases, distributions, traceability, figures.

Quantities are strings in the item's base unit (kg, L, piece); money strings with two places.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.ledger.models import Account, Purpose
from bastion.ledger.money import fmt
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.supplies import selectors, services
from bastion.supplies.models import Distribution, Item, Location, Method, Purchase, ReceivedLot, Stock, Use
from bastion.supplies.units import Dimension

router = Router(tags=["supplies"])


class ContainerOut(Schema):
    id: int
    name: str
    holds: str


class ItemOut(Schema):
    id: int
    code: str
    name: str
    dimension: str
    base_unit: str
    containers: list[ContainerOut]

    @staticmethod
    def resolve_containers(obj: Item) -> list[dict[str, Any]]:
        return [{"id": c.pk, "name": c.name, "holds": str(c.holds)} for c in obj.containers.all()]


class StockOut(Schema):
    id: int
    item: str
    location_id: int
    location: str
    quantity: str
    unit: str

    @staticmethod
    def resolve_item(obj: Stock) -> str:
        return obj.item.code

    @staticmethod
    def resolve_location(obj: Stock) -> str:
        return obj.location.name

    @staticmethod
    def resolve_unit(obj: Stock) -> str:
        return obj.item.base_unit

    @staticmethod
    def resolve_quantity(obj: Stock) -> str:
        return str(obj.quantity)


class PurchaseOut(Schema):
    id: int
    date: dt.date
    organization_id: int
    item: str
    container: str
    holds: str
    containers: int
    quantity: str
    remaining: str
    unit: str
    amount: str
    account_id: int
    payment_id: int
    location_id: int
    supplier: str

    @staticmethod
    def resolve_item(obj: Purchase) -> str:
        return obj.item.code

    @staticmethod
    def resolve_container(obj: Purchase) -> str:
        return obj.container.name

    @staticmethod
    def resolve_holds(obj: Purchase) -> str:
        return str(obj.container.holds)

    @staticmethod
    def resolve_unit(obj: Purchase) -> str:
        return obj.item.base_unit

    @staticmethod
    def resolve_amount(obj: Purchase) -> str:
        return fmt(obj.amount)

    @staticmethod
    def resolve_quantity(obj: Purchase) -> str:
        return str(obj.quantity)

    @staticmethod
    def resolve_remaining(obj: Purchase) -> str:
        return str(obj.remaining)


class ItemIn(Schema):
    code: str
    name: str
    dimension: Dimension


class LocationIn(Schema):
    organization_id: int
    name: str


class LocationOut(Schema):
    id: int
    organization_id: int
    name: str


class PurchaseIn(Schema):
    item_id: int
    container_name: str
    holds: str
    holds_unit: str
    containers: int
    amount: str
    account_id: int
    purpose_id: int | None = None
    location_id: int
    date: dt.date
    supplier: str = ""


class DistributionOut(Schema):
    id: int
    date: dt.date
    purchase_id: int
    source_id: int | None
    recipient_id: int
    recipient: str
    containers: int
    quantity: str
    method: str
    use: str
    use_note: str
    signer_id: int | None
    signer_name: str
    signed_at: dt.datetime | None

    @staticmethod
    def resolve_recipient(obj: Distribution) -> str:
        return obj.recipient.name

    @staticmethod
    def resolve_quantity(obj: Distribution) -> str:
        return str(obj.quantity)


class DistributionIn(Schema):
    purchase_id: int | None = None
    lot_id: int | None = None
    recipient_id: int
    containers: int | None = None
    quantity: str | None = None
    unit: str | None = None
    method: Method
    use: Use
    use_note: str = ""
    date: dt.date
    signer_id: int | None = None
    signer_name: str = ""


class SignIn(Schema):
    signer_id: int | None = None
    signer_name: str = ""


def _person(request: HttpRequest, pk: int | None) -> Person | None:
    if pk is None:
        return None
    return get_object_or_404(Person.objects.filter(request.scope.person_visible_q("person.view")), pk=pk)  # type: ignore[attr-defined]


@router.get("/items", response=list[ItemOut])
@scoped("supplies.view", api=True)
@paginate(LimitOffsetPagination)
def list_items(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.item_list()


@router.post("/items", response={201: ItemOut})
@scoped("supplies.change", api=True)
def create_item(request: HttpRequest, payload: ItemIn) -> Status[Item]:
    """Add an item to the catalogue, measured by mass (kg), volume (L) or count (piece)."""
    return Status(201, services.item_ensure(scope=request.scope, code=payload.code, name=payload.name,  # type: ignore[attr-defined]
                                            dimension=payload.dimension))


class ContainerIn(Schema):
    name: str
    holds: str
    unit: str


@router.post("/items/{item_id}/containers", response={201: ContainerOut})
@scoped("supplies.change", api=True)
def create_container(request: HttpRequest, item_id: int, payload: ContainerIn) -> Status[dict[str, Any]]:
    """Add a container of an item: what one holds, in a unit of the item's dimension (stored in the base unit)."""
    item = get_object_or_404(Item, pk=item_id)
    c = services.container_ensure(scope=request.scope, item=item, name=payload.name, holds=payload.holds,  # type: ignore[attr-defined]
                                  unit=payload.unit)
    return Status(201, {"id": c.pk, "name": c.name, "holds": str(c.holds)})


@router.get("/locations", response=list[LocationOut])
@scoped("supplies.view", api=True)
@paginate(LimitOffsetPagination)
def list_locations(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.location_list(scope=request.scope)  # type: ignore[attr-defined]


@router.post("/locations", response={201: LocationOut})
@scoped("supplies.change", api=True)
def create_location(request: HttpRequest, payload: LocationIn) -> Status[Location]:
    scope = request.scope  # type: ignore[attr-defined]
    org: Organization = get_object_or_404(Organization.objects.filter(scope.org_visible_q("supplies.change")),
                                          pk=payload.organization_id)
    return Status(201, services.location_ensure(scope=scope, organization=org, name=payload.name))


@router.get("/stock", response=list[StockOut])
@scoped("supplies.view", api=True)
@paginate(LimitOffsetPagination)
def list_stock(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.stock_list(scope=request.scope)  # type: ignore[attr-defined]


@router.get("/purchases", response=list[PurchaseOut])
@scoped("supplies.view", api=True)
@paginate(LimitOffsetPagination)
def list_purchases(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.purchase_list(scope=request.scope)  # type: ignore[attr-defined]


@router.get("/purchases/{purchase_id}", response=PurchaseOut)
@scoped("supplies.view", api=True)
def get_purchase(request: HttpRequest, purchase_id: int) -> Purchase:
    return selectors.purchase_get(scope=request.scope, pk=purchase_id)  # type: ignore[attr-defined]


@router.post("/purchases", response={201: PurchaseOut})
@scoped("supplies.change", api=True)
def create_purchase(request: HttpRequest, payload: PurchaseIn) -> Status[Purchase]:
    scope = request.scope  # type: ignore[attr-defined]
    orgs = Organization.objects.filter(scope.org_visible_q("supplies.change"))
    account = get_object_or_404(Account.objects.filter(organization__in=orgs), pk=payload.account_id)
    location = get_object_or_404(selectors.location_list(scope=scope), pk=payload.location_id)
    purpose = get_object_or_404(Purpose, pk=payload.purpose_id) if payload.purpose_id else None
    return Status(201, services.purchase_create(
        scope=scope, organization=account.organization, item=get_object_or_404(Item, pk=payload.item_id),
        container_name=payload.container_name, holds=payload.holds, holds_unit=payload.holds_unit,
        containers=payload.containers, amount=payload.amount, account=account, purpose=purpose,
        location=location, date=payload.date, supplier=payload.supplier,
    ))


class ReverseIn(Schema):
    date: dt.date
    reason: str


@router.post("/purchases/{purchase_id}/reverse", response=PurchaseOut)
@scoped("supplies.change", api=True)
def reverse_purchase(request: HttpRequest, purchase_id: int, payload: ReverseIn) -> Purchase:
    """Reverse a purchase: the money goes back and the lot leaves the stock; refused once any was distributed."""
    scope = request.scope  # type: ignore[attr-defined]
    lot = selectors.purchase_get(scope=scope, pk=purchase_id)
    return services.purchase_reverse(scope=scope, purchase=lot, date=payload.date, reason=payload.reason)


@router.get("/distributions", response=list[DistributionOut])
@scoped("supplies.view", api=True)
@paginate(LimitOffsetPagination)
def list_distributions(request: HttpRequest, recipient_id: int | None = None, purchase_id: int | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.distribution_list(scope=request.scope)  # type: ignore[attr-defined]
    if recipient_id is not None:
        qs = qs.filter(recipient_id=recipient_id)
    if purchase_id is not None:
        qs = qs.filter(purchase_id=purchase_id)
    return qs


@router.get("/distributions/{distribution_id}", response=DistributionOut)
@scoped("supplies.view", api=True)
def get_distribution(request: HttpRequest, distribution_id: int) -> Distribution:
    return selectors.distribution_get(scope=request.scope, pk=distribution_id)  # type: ignore[attr-defined]


@router.post("/distributions", response={201: DistributionOut})
@scoped("supplies.change", api=True)
def create_distribution(request: HttpRequest, payload: DistributionIn) -> Status[Distribution]:
    scope = request.scope  # type: ignore[attr-defined]
    return Status(201, services.distribution_create(
        scope=scope,
        purchase=selectors.purchase_get(scope=scope, pk=payload.purchase_id) if payload.purchase_id else None,
        lot=selectors.lot_get(scope=scope, pk=payload.lot_id) if payload.lot_id else None,
        recipient=get_object_or_404(Organization, pk=payload.recipient_id), containers=payload.containers,
        quantity=payload.quantity, unit=payload.unit, method=payload.method, use=payload.use,
        use_note=payload.use_note, date=payload.date, signer=_person(request, payload.signer_id),
        signer_name=payload.signer_name,
    ))


@router.post("/distributions/{distribution_id}/sign", response=DistributionOut)
@scoped("supplies.change", api=True)
def sign_distribution(request: HttpRequest, distribution_id: int, payload: SignIn) -> Distribution:
    scope = request.scope  # type: ignore[attr-defined]
    d = selectors.distribution_get(scope=scope, pk=distribution_id)
    return services.distribution_sign(scope=scope, distribution=d, signer=_person(request, payload.signer_id),
                                      signer_name=payload.signer_name)


class ReceivedLotOut(Schema):
    id: int
    date: dt.date
    distribution_id: int
    purchase_id: int
    item: str
    location_id: int
    organization_id: int
    quantity: str
    remaining: str

    @staticmethod
    def resolve_item(obj: ReceivedLot) -> str:
        return obj.item.code

    @staticmethod
    def resolve_organization_id(obj: ReceivedLot) -> int:
        return obj.location.organization_id

    @staticmethod
    def resolve_quantity(obj: ReceivedLot) -> str:
        return str(obj.quantity)

    @staticmethod
    def resolve_remaining(obj: ReceivedLot) -> str:
        return str(obj.remaining)


@router.get("/received-lots", response=list[ReceivedLotOut])
@scoped("supplies.view", api=True)
@paginate(LimitOffsetPagination)
def list_received_lots(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Supplies organisations signed for and keep in stock; give them on with lot_id in POST /distributions."""
    return selectors.lot_list(scope=request.scope)  # type: ignore[attr-defined]


@router.post("/distributions/{distribution_id}/receive", response={201: ReceivedLotOut})
@scoped("supplies.change", api=True)
def receive_distribution(request: HttpRequest, distribution_id: int) -> Status[ReceivedLot]:
    """Take supplies signed for before the recipient kept stock into its receiving location."""
    scope = request.scope  # type: ignore[attr-defined]
    d = selectors.distribution_get(scope=scope, pk=distribution_id)
    return Status(201, services.distribution_receive(scope=scope, distribution=d))


@router.get("/trace/recipients/{organization_id}", response=list[dict[str, Any]])
@scoped("supplies.view", api=True)
def trace_recipient(request: HttpRequest, organization_id: int) -> list[dict[str, Any]]:
    """For a recipient: each distribution, the lot it came from, the account that paid and the fund source."""
    scope = request.scope  # type: ignore[attr-defined]
    recipient = selectors.recipient_get(scope=scope, pk=organization_id)
    return [c.as_dict() for c in selectors.recipient_trace(scope=scope, recipient=recipient)]


@router.get("/trace/funds/{account_id}", response=dict[str, Any])
@scoped("supplies.view", api=True)
def trace_fund(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """For a fund: the accounts it was allocated to, everything bought with it and where it went."""
    account = get_object_or_404(Account.objects.select_related("organization"), pk=account_id)
    try:
        return selectors.fund_trace(scope=request.scope, account=account).as_dict()  # type: ignore[attr-defined]
    except PermissionDenied as exc:
        # Answer as for a missing account, so ids outside the scope reveal nothing.
        raise Http404 from exc


@router.get("/figures/streets/{organization_id}", response=dict[str, Any])
@scoped("supplies.view", api=True)
def street_figures(
    request: HttpRequest, organization_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """Containers and base quantities bought per item, and the number of recipients."""
    scope = request.scope  # type: ignore[attr-defined]
    visible = Organization.objects.filter(scope.org_visible_q("supplies.view"))
    street: Organization = get_object_or_404(visible, pk=organization_id)
    return selectors.street_figures(scope=scope, street=street, start=start, end=end)
