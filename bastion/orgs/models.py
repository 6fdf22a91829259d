from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from bastion.areas.models import Area
from bastion.core.models import BaseModel


class OrgKind(models.TextChoices):
    DISTRICT_COMMITTEE = "district_committee", _("District committee")
    STREET_COMMITTEE = "street_committee", _("Street working committee")
    COMMUNITY_COMMITTEE = "community_committee", _("Community committee")
    STANDING_BRANCH = "standing_branch", _("Standing branch")
    TEMPORARY_BRANCH = "temporary_branch", _("Temporary branch")
    ONLINE_BRANCH = "online_branch", _("Online branch")
    PARTY_GROUP = "party_group", _("Party group")
    OTHER = "other", _("Other organisation")


class TemporaryPurpose(models.TextChoices):
    ASSAULT_TEAM = "assault_team", _("Assault team")
    GRID_PIONEER = "grid_pioneer", _("Grid pioneer group")
    CHECKPOINT_TEAM = "checkpoint_team", _("Checkpoint team")
    MOBILE_TEAM = "mobile_team", _("Mobile team")


COMMITTEES = {OrgKind.DISTRICT_COMMITTEE, OrgKind.STREET_COMMITTEE, OrgKind.COMMUNITY_COMMITTEE}
BRANCHES = {OrgKind.STANDING_BRANCH, OrgKind.TEMPORARY_BRANCH, OrgKind.ONLINE_BRANCH}

ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.DISTRICT_COMMITTEE: {None},
    OrgKind.STREET_COMMITTEE: {OrgKind.DISTRICT_COMMITTEE},
    OrgKind.COMMUNITY_COMMITTEE: {OrgKind.STREET_COMMITTEE},
    OrgKind.STANDING_BRANCH: set(COMMITTEES),
    OrgKind.TEMPORARY_BRANCH: set(COMMITTEES),
    OrgKind.ONLINE_BRANCH: set(COMMITTEES),
    OrgKind.PARTY_GROUP: set(BRANCHES),
    # Organisations outside the party tree that receive supplies or send cadres
    # (a police station, a hospital) hang under the committee whose area they serve.
    OrgKind.OTHER: set(COMMITTEES),
}


class Organization(MP_Node, BaseModel):  # type: ignore[django-manager-missing]  # treebeard is untyped
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    purpose = models.CharField(
        pgettext_lazy("branch purpose", "purpose"), max_length=32, choices=TemporaryPurpose.choices, blank=True
    )
    channel = models.CharField(_("channel"), max_length=200, blank=True, help_text=_("e.g. a WeChat group name"))
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    covered_areas = models.ManyToManyField(
        Area, verbose_name=_("covered areas"), blank=True, related_name="covering_organizations"
    )
    established = models.DateField(_("established"), null=True, blank=True)
    dissolved = models.DateField(_("dissolved"), null=True, blank=True)
    search_key = models.CharField(max_length=600, blank=True, editable=False)

    node_order_by = ["kind", "name"]
    history = HistoricalRecords(m2m_fields=[covered_areas])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in OrgKind]), name="org_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="temporary_branch", purpose__in=[p.value for p in TemporaryPurpose])
                | (~Q(kind="temporary_branch") & Q(purpose="")),
                name="org_purpose_only_on_temporary",
            ),
            models.CheckConstraint(
                condition=Q(kind="online_branch") | Q(channel=""), name="org_channel_only_on_online"
            ),
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(established__isnull=True) | Q(dissolved__gte=F("established")),
                name="org_dissolved_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.name
