from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bastion.areas.models import Area
from bastion.core.models import BaseModel
from bastion.orgs.models import Organization


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    STREET_OFFICER = "street_officer", _("Street officer")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    GRID_SECRETARY = "grid_secretary", _("Grid branch secretary")
    MEMBER = "member", _("Member / volunteer")
    CHECKPOINT_MEMBER = "checkpoint_member", _("Checkpoint member")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )


class Grant(BaseModel):
    """A role over an area subtree or an organisation subtree. A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(organization__isnull=True))
                | (Q(area__isnull=True) & Q(organization__isnull=False)),
                name="grant_exactly_one_subtree",
            ),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="grant_role_valid"),
            models.UniqueConstraint(fields=["user", "role", "area"], name="grant_unique_area"),
            models.UniqueConstraint(fields=["user", "role", "organization"], name="grant_unique_org"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.area or self.organization}"


class ApiToken(models.Model):
    """A bearer token for devices and scripts. Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
