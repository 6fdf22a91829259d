"""Households, residents, building heads and responsibility (包片、包戶、包人)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bastion.areas.models import Area
from bastion.core.models import BaseModel
from bastion.people.models import Person


class Building(BaseModel):
    """A building (樓/棟) in a grid: street + compound + number. Building heads and 包樓 attach here."""

    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="buildings")
    street = models.CharField(_("street"), max_length=100, help_text=_("e.g. 仰口路 12號"))
    compound = models.CharField(_("compound"), max_length=100, blank=True)
    number = models.CharField(_("building"), max_length=40)
    key = models.CharField(max_length=260, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["street", "compound", "number", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.street, self.compound, self.number) if p)


class Household(BaseModel):
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="households"
    )
    # Denormalised from the building so scope filters are one join away.
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="households")
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20)
    key = models.CharField(max_length=300, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Bumped to revoke every self-report link handed out so far.
    self_report_version = models.PositiveIntegerField(_("self-report link version"), default=1)
    self_report_enabled = models.BooleanField(_("self-report link active"), default=False)
    search_key = models.CharField(max_length=600, blank=True, editable=False, db_index=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building__street", "building__compound", "building__number", "unit", "room", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="household_address_unique"),
            models.CheckConstraint(condition=~Q(room=""), name="household_has_room"),
        ]

    def __str__(self) -> str:
        parts = [str(self.building)]
        if self.unit:
            parts.append(_("unit %(unit)s") % {"unit": self.unit})
        parts.append(self.room)
        return " ".join(str(p) for p in parts)

    @property
    def address(self) -> str:
        return str(self)


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    RELATIVE = "relative", _("Other relative")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other")


class Resident(BaseModel):
    """A person living in a household. A person lives in one household at a time."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    relation = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    moved_in = models.DateField(_("moved in"), null=True, blank=True)
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(moved_out__isnull=True), name="resident_one_current_home"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(moved_out__isnull=True, relation="head"),
                name="resident_one_head_per_household",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=[r.value for r in Relation]), name="resident_relation_valid"
            ),
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True) | Q(moved_in__isnull=True) | Q(moved_out__gte=F("moved_in")),
                name="resident_moved_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.household}"


class BuildingHead(BaseModel):
    """樓長: a resident (often a member) who looks after one building."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="heads")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="buildings_headed")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("building head")
        verbose_name_plural = _("building heads")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="buildinghead_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["building", "person"], condition=Q(end__isnull=True), name="buildinghead_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.building}"


class TargetKind(models.TextChoices):
    AREA = "area", _("Area (包片)")
    BUILDING = "building", _("Building")
    HOUSEHOLD = "household", _("Household (包戶)")
    PERSON = "person", _("Person (包人)")


class Responsibility(BaseModel):
    """A member answers for an area, a building, a household or a person from one date to another."""

    member = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TargetKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="responsibilities"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_members",
    )
    # The area the target lies in (the area itself, or the grid of the building/household/person):
    # scope filters use it.
    scope_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", editable=False)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="area",
                        area__isnull=False,
                        building__isnull=True,
                        household__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        kind="building",
                        area__isnull=True,
                        building__isnull=False,
                        household__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        kind="household",
                        area__isnull=True,
                        building__isnull=True,
                        household__isnull=False,
                        person__isnull=True,
                    )
                    | Q(
                        kind="person",
                        area__isnull=True,
                        building__isnull=True,
                        household__isnull=True,
                        person__isnull=False,
                    )
                ),
                name="responsibility_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="responsibility_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "end"]),
            models.Index(fields=["household", "end"]),
            models.Index(fields=["building", "end"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.target}"

    @property
    def target(self) -> object:
        return self.area or self.building or self.household or self.person
