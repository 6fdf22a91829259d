"""Checkpoints: a site (an area of kind site) has entrances; members work shifts there,
take temperature readings and count normal passes; a confirmed fever opens a referral."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bastion.areas.models import Area
from bastion.core.models import BaseModel
from bastion.core.personal import mask_id, mask_phone
from bastion.people.models import Person


class Entrance(BaseModel):
    site = models.ForeignKey(
        Area,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="entrances",
        limit_choices_to={"kind": "site"},
    )
    name = models.CharField(_("name"), max_length=100)
    # The key in the public URL of the poster's QR code: not guessable, not the row id.
    public_key = models.UUIDField(_("public key"), default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="entrance_unique_name_per_site")]

    def __str__(self) -> str:
        return f"{self.site.name} · {self.name}"


class DeviceToken(models.Model):
    """A bearer token for a reading device, bound to one site. Only its SHA-256 is stored."""

    site = models.ForeignKey(Area, verbose_name=_("site"), on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Shift(BaseModel):
    """A person on duty at an entrance. An open shift (no end) means on duty now."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="shifts")
    entrance = models.ForeignKey(Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="shifts")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="cp_shift_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["person", "start"]), models.Index(fields=["entrance", "start"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.entrance.name} {self.start:%Y-%m-%d %H:%M}"


class DutyWarning(models.Model):
    """A continuous duty (merged shifts) longer than the long-duty setting. Kept in step with the shifts."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Area, verbose_name=_("site"), on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("continuous-duty warning")
        verbose_name_plural = _("continuous-duty warnings")
        ordering = ["-end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="dutywarning_end_after_start"),
            models.UniqueConstraint(fields=["person", "site", "start"], name="dutywarning_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.hours} h"


class Reading(models.Model):
    """One temperature reading. Written through the bulk path; the client UUID makes resends idempotent."""

    uuid = models.UUIDField(_("client UUID"), unique=True)
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="readings"
    )
    measured_at = models.DateTimeField(_("measured at"))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    # The first reading this one re-measures (a fever asks for a second reading).
    remeasure_of = models.UUIDField(_("re-measure of"), null=True, blank=True)
    measured_by = models.ForeignKey(
        Person, verbose_name=_("measured by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(DeviceToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__gte=30) & Q(temperature__lte=45), name="cp_reading_temperature_plausible"
            )
        ]
        indexes = [models.Index(fields=["entrance", "measured_at"])]

    def __str__(self) -> str:
        return f"{self.temperature} °C {self.measured_at:%Y-%m-%d %H:%M}"


class Tally(models.Model):
    """Normal passes counted at an entrance over an interval (the hand-clicker)."""

    uuid = models.UUIDField(_("client UUID"), unique=True, default=uuid.uuid4)
    entrance = models.ForeignKey(Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="tallies")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    count = models.PositiveIntegerField(_("count"))
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="cp_tally_end_not_before_start"),
            models.CheckConstraint(condition=Q(count__gte=0), name="cp_tally_count_not_negative"),
        ]
        indexes = [models.Index(fields=["entrance", "start"])]

    def __str__(self) -> str:
        return f"{self.entrance.name} {self.count}"


class IdKind(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other document")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    FEVER_CLINIC = "fever_clinic", _("Sent to a fever clinic")
    RELEASED = "released", _("Released after re-check")


class Referral(BaseModel):
    """A confirmed fever: the traveller's details and what became of them."""

    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="referrals"
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now, db_index=True)
    reading_uuid = models.UUIDField(_("reading"), null=True, blank=True)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    traveller_name = models.CharField(_("traveller's name"), max_length=100)
    id_kind = models.CharField(_("document"), max_length=16, choices=IdKind.choices, default=IdKind.RESIDENT_ID)
    id_number = models.CharField(_("ID or passport number"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    travel_number = models.CharField(_("train or flight number"), max_length=20, blank=True)
    destination_address = models.CharField(_("destination address"), max_length=300, blank=True)
    destination_area = models.ForeignKey(
        Area,
        verbose_name=_("destination community or grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    screening_task_ref = models.CharField(_("screening task"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]), name="cp_referral_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(id_kind__in=[k.value for k in IdKind]), name="cp_referral_id_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(outcome_at__isnull=False), name="cp_referral_outcome_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.traveller_name} {self.temperature} °C"

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
