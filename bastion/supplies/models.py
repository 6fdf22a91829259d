"""Supplies: a catalogue of items in base units, purchases paid from the ledger, stock per
location (never negative), and distributions confirmed by a named signer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bastion.core.models import BaseModel
from bastion.ledger.models import Account, Transaction
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.supplies.units import BASE_UNIT, Dimension


class Item(BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("e.g. alcohol, disinfectant_84"))
    name = models.CharField(_("name"), max_length=200)
    dimension = models.CharField(pgettext_lazy("unit kind", "measured by"), max_length=8, choices=Dimension.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(dimension__in=[d.value for d in Dimension]), name="supplies_item_dim")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def base_unit(self) -> str:
        return BASE_UNIT[Dimension(self.dimension)]


class Container(BaseModel):
    """What one container of an item holds, in the item's base unit (a 桶 of alcohol: 2 kg)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="containers")
    name = models.CharField(_("container"), max_length=40, help_text=_("e.g. 桶 (barrel), 瓶 (bottle)"))
    holds = models.DecimalField(_("holds (base unit)"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        constraints = [
            models.CheckConstraint(condition=Q(holds__gt=0), name="supplies_container_holds_positive"),
            models.UniqueConstraint(fields=["item", "name", "holds"], name="supplies_container_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.holds.normalize():f} {self.item.base_unit})"


class Location(BaseModel):
    """Where stock is kept, e.g. a street warehouse or a community's store room.

    At most one location of an organisation receives: supplies signed for by the organisation
    go into its stock as a lot that can be given on. The first location an organisation opens
    receives unless another is chosen.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="supply_locations")
    name = models.CharField(_("name"), max_length=200)
    receives = models.BooleanField(
        _("receives deliveries"), default=False,
        help_text=_("Supplies the organisation signs for go into this location's stock."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="supplies_location_unique"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(receives=True), name="supplies_one_receiving_location"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stock")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock")
    quantity = models.DecimalField(_("quantity (base unit)"), default=0, max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="supplies_stock_not_negative"),
            models.UniqueConstraint(fields=["item", "location"], name="supplies_stock_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.location}: {self.quantity}"


class Purchase(BaseModel):
    """A purchase paid from a ledger account and received into a location: one lot."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("bought by"), on_delete=models.PROTECT, related_name="purchases"
    )
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="purchases")
    container = models.ForeignKey(Container, verbose_name=_("container"), on_delete=models.PROTECT, related_name="+")
    containers = models.PositiveIntegerField(_("containers"))
    quantity = models.DecimalField(_("quantity (base unit)"), max_digits=14, decimal_places=3)
    remaining = models.DecimalField(_("remaining (base unit)"), max_digits=14, decimal_places=3)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    account = models.ForeignKey(Account, verbose_name=_("paid from"), on_delete=models.PROTECT, related_name="+")
    payment = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="purchase")
    location = models.ForeignKey(
        Location,
        verbose_name=pgettext_lazy("stock location", "received at"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    history = HistoricalRecords(excluded_fields=["remaining"])

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(containers__gt=0), name="supplies_purchase_containers_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_purchase_quantity_positive"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("quantity")), name="supplies_purchase_remaining"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="supplies_purchase_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.item} × {self.containers} {self.container.name}"

    def get_absolute_url(self) -> str:
        return reverse("supplies:purchase", args=[self.pk])


class Method(models.TextChoices):
    DEDICATED_VEHICLE = "dedicated_vehicle", _("Dedicated vehicle")
    CENTRAL_PICKUP = "central_pickup", _("Central pickup")


class Use(models.TextChoices):
    RESIDENTIAL_COMPOUNDS = "residential_compounds", _("Residential compounds")
    NINE_SMALL_VENUES = "nine_small_venues", _("Nine kinds of small venues (九小場所)")
    CHECKPOINTS = "checkpoints", _("Checkpoints")
    OFFICES = "offices", _("Offices and duty points")
    OTHER = "other", _("Other")


class Distribution(BaseModel):
    """Supplies from one lot to a recipient organisation; confirmed by a signer on the recipient's side.

    purchase is always the lot as bought (item, container, fund); source is the received lot the
    supplies were given on from, or empty when the buyer gave them from the purchase itself.
    """

    purchase = models.ForeignKey(
        Purchase, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="distributions"
    )
    source = models.ForeignKey(
        "ReceivedLot", verbose_name=_("given on from"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="distributions",
    )
    recipient = models.ForeignKey(
        Organization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="supplies_received"
    )
    containers = models.PositiveIntegerField(_("containers"), default=0)
    quantity = models.DecimalField(_("quantity (base unit)"), max_digits=14, decimal_places=3)
    method = models.CharField(_("delivery"), max_length=24, choices=Method.choices)
    use = models.CharField(_("for"), max_length=32, choices=Use.choices)
    use_note = models.CharField(_("details of use"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    signer = models.ForeignKey(
        Person, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_distribution_quantity_positive"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | ~Q(signer_name=""), name="supplies_signature_has_name"
            ),
            models.CheckConstraint(condition=Q(method__in=[m.value for m in Method]), name="supplies_method_valid"),
            models.CheckConstraint(condition=Q(use__in=[u.value for u in Use]), name="supplies_use_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.purchase.item} → {self.recipient}"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def giver(self) -> Organization:
        """The organisation that handed the supplies over."""
        return self.source.location.organization if self.source_id else self.purchase.organization  # type: ignore[union-attr]


class ReceivedLot(BaseModel):
    """A signed distribution taken into the recipient's stock: a lot that can be given on again."""

    distribution = models.OneToOneField(
        Distribution, verbose_name=_("received with"), on_delete=models.PROTECT, related_name="received_lot"
    )
    purchase = models.ForeignKey(Purchase, verbose_name=_("bought as"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location,
        verbose_name=pgettext_lazy("stock location", "received at"),
        on_delete=models.PROTECT,
        related_name="received_lots",
    )
    quantity = models.DecimalField(_("quantity (base unit)"), max_digits=14, decimal_places=3)
    remaining = models.DecimalField(_("remaining (base unit)"), max_digits=14, decimal_places=3)
    date = models.DateField(_("date"))
    history = HistoricalRecords(excluded_fields=["remaining"])

    class Meta:
        verbose_name = _("received lot")
        verbose_name_plural = _("received lots")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_received_quantity_positive"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("quantity")), name="supplies_received_remaining"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.item} @ {self.location}"

    def get_absolute_url(self) -> str:
        return reverse("supplies:lot", args=[self.pk])

    @property
    def organization(self) -> Organization:
        return self.location.organization
