from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from bastion.core.models import BaseModel


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")
    SITE = "site", _("Site")


class SiteType(models.TextChoices):
    STATION = "station", _("Railway station")
    AIRPORT = "airport", _("Airport")
    GATE = "gate", _("Gate")
    OTHER = "other", _("Other site")


# Which kinds of parent each kind may sit under (None = a root).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    AreaKind.DISTRICT: {None},
    AreaKind.STREET: {AreaKind.DISTRICT},
    AreaKind.COMMUNITY: {AreaKind.STREET},
    AreaKind.GRID: {AreaKind.COMMUNITY},
    AreaKind.SITE: {AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY},
}

# Official code length per kind: 6-digit county code, 12-digit statistical code.
CODE_LENGTH: dict[str, int] = {AreaKind.DISTRICT: 6, AreaKind.STREET: 12, AreaKind.COMMUNITY: 12}


class Area(MP_Node, BaseModel):  # type: ignore[django-manager-missing]  # treebeard is untyped
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    site_type = models.CharField(_("site type"), max_length=16, choices=SiteType.choices, blank=True)
    code = models.CharField(_("official code"), max_length=12, blank=True)
    code_year = models.PositiveSmallIntegerField(_("code year"), null=True, blank=True)
    search_key = models.CharField(max_length=400, blank=True, editable=False)

    node_order_by = ["kind", "code", "name"]
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AreaKind]), name="area_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(code="") | Q(code_year__isnull=False), name="area_code_has_year"
            ),
            models.CheckConstraint(
                condition=Q(kind="site") | Q(site_type=""), name="area_site_type_only_on_sites"
            ),
            models.UniqueConstraint(
                fields=["code", "code_year"], condition=~Q(code=""), name="area_code_unique_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name
