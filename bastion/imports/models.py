"""An uploaded registry file and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bastion.core.models import BaseModel


class BatchStatus(models.TextChoices):
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    IMPORTED = "imported", _("Imported")


class ImportBatch(BaseModel):
    """One uploaded file, kept whole (in the database, so every app server sees it) with its check result."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, default="households")
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("file"))
    status = models.CharField(_("status"), max_length=12, choices=BatchStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    households_created = models.PositiveIntegerField(_("households created"), default=0)
    households_matched = models.PositiveIntegerField(_("households matched"), default=0)
    persons_created = models.PositiveIntegerField(_("persons created"), default=0)
    persons_matched = models.PositiveIntegerField(_("persons matched"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BatchStatus]), name="importbatch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="imported", imported_at__isnull=False) | ~Q(status="imported"),
                name="importbatch_imported_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name
