"""Screening visits (排查), isolations with daily checks (居家隔離), referrals, release records, tasks."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bastion.areas.models import Area
from bastion.core.models import BaseModel
from bastion.coverage.models import Household
from bastion.people.models import Person

TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")
FEVER_FROM = Decimal("37.3")


def _temperature_ok(field: str = "temperature") -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": TEMPERATURE_MIN, f"{field}__lte": TEMPERATURE_MAX})


class Channel(models.TextChoices):
    DOOR = "door", _("Door visit")
    PHONE = "phone", _("Phone")
    SELF_REPORT = "self_report", _("Self-report")


class Contact(models.TextChoices):
    NONE = "none", _("No known contact")
    SUSPECTED = "suspected", _("Contact with a suspected case")
    CONFIRMED = "confirmed", _("Contact with a confirmed case")


class Outcome(models.TextChoices):
    NO_RISK = "no_risk", _("No risk")
    HOME_ISOLATION = "home_isolation", _("Home isolation")
    REFERRAL = "referral", _("Referral to a fever clinic")


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    FATIGUE = "fatigue", _("Fatigue")
    BREATH = "breath", _("Shortness of breath")
    SORE_THROAT = "sore_throat", _("Sore throat")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")


class ScreeningVisit(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="screenings")
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    grid = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(pgettext_lazy("visit", "channel"), max_length=16, choices=Channel.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    # The member who visited or phoned; empty for a self-report.
    member = models.ForeignKey(
        Person, verbose_name=_("visitor"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits_made"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    travelled = models.BooleanField(_("travelled in the last days"), default=False)
    travel_origin = models.CharField(_("travelled from"), max_length=100, blank=True)
    return_date = models.DateField(_("return date"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=16, choices=Contact.choices, default=Contact.NONE)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.NO_RISK)
    note = models.CharField(_("note"), max_length=300, blank=True)
    task = models.ForeignKey("ScreeningTask", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("screening visit")
        verbose_name_plural = _("screening visits")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_temperature_ok(), name="visit_temperature_range"),
            models.CheckConstraint(condition=Q(channel__in=[c.value for c in Channel]), name="visit_channel_valid"),
            models.CheckConstraint(condition=Q(outcome__in=[o.value for o in Outcome]), name="visit_outcome_valid"),
            models.CheckConstraint(condition=Q(contact__in=[c.value for c in Contact]), name="visit_contact_valid"),
            models.CheckConstraint(
                condition=Q(travelled=True) | (Q(travel_origin="") & Q(return_date__isnull=True)),
                name="visit_travel_details_only_if_travelled",
            ),
        ]
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["household", "-at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.at:%Y-%m-%d %H:%M}"


class IsolationKind(models.TextChoices):
    HOME = "home", _("Home isolation")
    MEDICAL = "medical", _("Medical observation")


class IsolationStatus(models.TextChoices):
    ACTIVE = "active", _("Under isolation")
    RELEASED = "released", _("Released")
    REFERRED = "referred", _("Referred")


class Isolation(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="isolations")
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="isolations",
    )
    grid = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=IsolationKind.choices, default=IsolationKind.HOME)
    reason = models.CharField(_("reason"), max_length=200)
    start = models.DateField(_("start"))
    days = models.PositiveSmallIntegerField(_("period (days)"))
    checks_per_day = models.PositiveSmallIntegerField(_("checks per day"), default=2)
    status = models.CharField(_("status"), max_length=16, choices=IsolationStatus.choices, default="active")
    end = models.DateField(_("ended on"), null=True, blank=True)
    visit = models.ForeignKey(
        ScreeningVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="isolations"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("isolation")
        verbose_name_plural = _("isolations")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=60), name="isolation_days_range"),
            models.CheckConstraint(
                condition=Q(checks_per_day__gte=1, checks_per_day__lte=6), name="isolation_checks_range"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="isolation_end_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(end__isnull=True)) | (~Q(status="active") & Q(end__isnull=False)),
                name="isolation_end_iff_closed",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="isolation_one_active_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.start}"

    @property
    def planned_end(self):  # type: ignore[no-untyped-def]
        import datetime as dt

        return self.start + dt.timedelta(days=self.days)


class IsolationCheck(BaseModel):
    isolation = models.ForeignKey(Isolation, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField(_("time"))
    channel = models.CharField(
        pgettext_lazy("visit", "channel"), max_length=16, choices=Channel.choices, default=Channel.DOOR
    )
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    member = models.ForeignKey(
        Person, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("isolation check")
        verbose_name_plural = _("isolation checks")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_temperature_ok(), name="check_temperature_range"),
            models.CheckConstraint(condition=Q(channel__in=[c.value for c in Channel]), name="check_channel_valid"),
        ]
        indexes = [models.Index(fields=["isolation", "-at"])]

    def __str__(self) -> str:
        return f"{self.isolation} · {self.at:%Y-%m-%d %H:%M}"


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXCLUDED = "excluded", _("Excluded, back home")
    SUSPECTED = "suspected", _("Suspected case")
    CONFIRMED = "confirmed", _("Confirmed case")
    OBSERVATION = "observation", _("Centralised medical observation")


class Referral(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    grid = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    destination = models.CharField(_("fever clinic"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    visit = models.ForeignKey(
        ScreeningVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    isolation = models.ForeignKey(Isolation, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReferralOutcome.choices, default="pending")
    outcome_at = models.DateTimeField(_("outcome time"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in ReferralOutcome]), name="referral_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(outcome_at__isnull=False), name="referral_outcome_has_time"
            ),
            models.CheckConstraint(
                condition=Q(outcome_at__isnull=True) | Q(outcome_at__gte=F("at")),
                name="referral_outcome_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.destination}"


class ReleaseRecord(BaseModel):
    """The release certificate (解除隔離證明) a community may issue when an isolation ends."""

    isolation = models.OneToOneField(Isolation, on_delete=models.PROTECT, related_name="release_record")
    number = models.CharField(_("number"), max_length=40, unique=True)
    community = models.ForeignKey(Area, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("release record")
        verbose_name_plural = _("release records")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ScreeningTask(BaseModel):
    """Someone to screen, handed over from elsewhere (a checkpoint's fever referral, a list from above)."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="screening_tasks")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(_("source"), max_length=200)
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default="open")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("screening task")
        verbose_name_plural = _("screening tasks")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in TaskStatus]), name="task_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True) | (~Q(status="open") & Q(done_at__isnull=False)),
                name="task_done_at_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.due}"
