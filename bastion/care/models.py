"""Care: a subsidy policy with situations, cases approved community → street → district
and paid from the ledger; and a checklist of measures for frontline cadres."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bastion.core.models import BaseModel
from bastion.ledger.models import Account, Purpose, Transaction
from bastion.orgs.models import Organization
from bastion.people.models import Person


class Policy(BaseModel):
    organization = models.ForeignKey(
        Organization,
        verbose_name=pgettext_lazy("policy", "issued by"),
        on_delete=models.PROTECT,
        related_name="care_policies",
    )
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("care policy")
        verbose_name_plural = _("care policies")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="care_policy_unique")]

    def __str__(self) -> str:
        return self.name


class Situation(BaseModel):
    """A situation in which the policy grants a subsidy (configurable; the seed has 6)."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="situations")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_amount = models.DecimalField(_("maximum amount"), null=True, blank=True, max_digits=14, decimal_places=2)
    purpose = models.ForeignKey(
        Purpose, verbose_name=_("paid as"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        ordering = ["policy", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "name"], name="care_situation_unique"),
            models.CheckConstraint(condition=Q(max_amount__isnull=True) | Q(max_amount__gt=0), name="care_max_pos"),
        ]

    def __str__(self) -> str:
        return self.name


class MeasureKind(models.TextChoices):
    GENERAL = "general", _("General")
    REST_AFTER_DUTY = "rest_after_duty", _("Rest after a long continuous duty")


class Measure(BaseModel):
    """A measure for frontline cadres (configurable; the seed has 12)."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="measures")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=MeasureKind.choices, default=MeasureKind.GENERAL)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frontline measure")
        verbose_name_plural = _("frontline measures")
        ordering = ["policy", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["policy", "name"], name="care_measure_unique")]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (awaiting community)")
    COMMUNITY_APPROVED = "community_approved", _("Approved by community (awaiting street)")
    STREET_APPROVED = "street_approved", _("Approved by street (awaiting district)")
    APPROVED = "approved", _("Approved (awaiting payment)")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class Level(models.TextChoices):
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


class Case(BaseModel):
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="cases")
    situation = models.ForeignKey(
        Situation, verbose_name=_("situation"), on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="care_cases")
    organization = models.ForeignKey(
        Organization, verbose_name=_("community"), on_delete=models.PROTECT, related_name="care_cases"
    )
    facts = models.TextField(_("facts"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("paid from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.OneToOneField(
        Transaction, verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="care_case",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("care case")
        verbose_name_plural = _("care cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_case_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in CaseStatus]), name="care_case_status"),
            models.CheckConstraint(
                condition=(Q(status="paid") & Q(payment__isnull=False)) | (~Q(status="paid") & Q(payment__isnull=True)),
                name="care_case_paid_has_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.situation}"

    def get_absolute_url(self) -> str:
        return reverse("care:case", args=[self.pk])


class Approval(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    organization = models.ForeignKey(Organization, verbose_name=_("by organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    approved = models.BooleanField(_("approved"))
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["case", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="care_one_decision_per_level"),
            models.CheckConstraint(condition=Q(level__in=[v.value for v in Level]), name="care_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_level_display()}"


class MeasureRecord(BaseModel):
    """Whether one measure has been carried out for one cadre."""

    person = models.ForeignKey(Person, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="records")
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure record")
        verbose_name_plural = _("measure records")
        ordering = ["measure__order", "-done_on", "-pk"]
        indexes = [models.Index(fields=["person", "measure", "-done_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.measure} · {self.done_on}"
