"""Organisational life: temporary-branch charters, online-branch rules, activities and attendance,
compliance rules, pledges, applications to join, brands and stories.

Branches themselves are the spine's Organization; this app records what they do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bastion.core.models import BaseModel
from bastion.orgs.models import Organization
from bastion.people.models import Membership, Person

# Attachments: what a phone or an office PC produces, nothing executable.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ActivityKind(models.TextChoices):
    MEMBERS_MEETING = "members_meeting", _("Branch members' meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme party day")
    LIFE_MEETING = "life_meeting", _("Organisational life meeting")
    OATH = "oath", _("Oath")


class ActivityMode(models.TextChoices):
    OFFLINE = "offline", _("In person")
    ONLINE = "online", _("Online")


class Activity(BaseModel):
    """One meeting, lecture, theme party day or oath of a branch."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    mode = models.CharField(_("held"), max_length=8, choices=ActivityMode.choices, default=ActivityMode.OFFLINE)
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    host = models.ForeignKey(
        Person, verbose_name=_("host"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField(_("place or channel"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ActivityKind]), name="orglife_activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in ActivityMode]), name="orglife_activity_mode_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "date"]),
            models.Index(fields=["mode", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} · {self.topic}"


class Attendance(models.Model):
    """A member at an activity: present, or absent with a reason."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="orglife_attendances"
    )
    present = models.BooleanField(_("present"), default=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="orglife_attendance_once"),
            models.CheckConstraint(
                condition=(Q(present=True) & Q(absence_reason="")) | (Q(present=False) & ~Q(absence_reason="")),
                name="orglife_absence_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["person", "activity"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.activity}"


class ActivityAttachment(BaseModel):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="orglife/activities/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=MAX_UPLOAD_BYTES), name="orglife_attachment_size_limited"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class BranchCharter(BaseModel):
    """How a temporary branch came to be: who decided, when, its secretary and its oath."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("temporary branch"), on_delete=models.CASCADE, related_name="charter"
    )
    decided_by = models.CharField(_("decided by"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    secretary = models.ForeignKey(
        Membership, verbose_name=_("secretary"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    oath = models.OneToOneField(
        Activity, verbose_name=_("oath"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("temporary branch charter")
        verbose_name_plural = _("temporary branch charters")

    def __str__(self) -> str:
        return str(self.organization)


class WorkingRules(BaseModel):
    """The rules online branches work by: set on an online branch, or on a committee for all below it."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="working_rules"
    )
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    document = models.FileField(
        pgettext_lazy("file", "document"), upload_to="orglife/rules/", blank=True, max_length=255
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working rules")
        verbose_name_plural = _("working rules")
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(document=""), name="orglife_rules_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


COMPLIANCE_EVERY_MONTHS = [0, 1, 2, 3, 4, 6, 12]


class ComplianceRule(BaseModel):
    """A branch must hold an activity of this kind every N months (calendar-aligned).

    A rule without organisation applies everywhere; a rule on an organisation overrides it for
    the branches below that organisation (the nearest one wins). every_months = 0 lifts the duty.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="compliance_rules",
        help_text=_("Leave empty for a rule that applies everywhere."),
    )
    activity_kind = models.CharField(_("activity kind"), max_length=24, choices=ActivityKind.choices)
    every_months = models.PositiveSmallIntegerField(
        _("every how many months"), help_text=_("1 = monthly, 3 = quarterly, 0 = not required")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance rule")
        verbose_name_plural = _("compliance rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__in=COMPLIANCE_EVERY_MONTHS), name="orglife_rule_months_divide_year"
            ),
            models.CheckConstraint(
                condition=Q(activity_kind__in=[k.value for k in ActivityKind]), name="orglife_rule_kind_valid"
            ),
            models.UniqueConstraint(fields=["organization", "activity_kind"], name="orglife_rule_once_per_org"),
            models.UniqueConstraint(
                fields=["activity_kind"], condition=Q(organization__isnull=True), name="orglife_rule_once_globally"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_kind_display()} / {self.every_months}"


class PledgeKind(models.TextChoices):
    GUARANTEE = "guarantee", _("Letter of guarantee")
    BATTLE_REQUEST = "battle_request", _("Request to serve on the front line")


class Pledge(BaseModel):
    """A 保證書 or 請戰書: a person's written commitment."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="pledges")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="pledges"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PledgeKind.choices)
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in PledgeKind]), name="orglife_pledge_kind"),
            models.CheckConstraint(condition=~Q(text=""), name="orglife_pledge_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.date}"


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    DEVELOPMENT_TARGET = "development_target", _("Development target")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


STAGE_ORDER = [s.value for s in Stage]


class Application(BaseModel):
    """An application to join, followed through the pipeline by its branch."""

    person = models.ForeignKey(
        Person, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="party_applications"
    )
    branch = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.APPLICANT)
    applied_on = models.DateField(_("applied on"))
    talk_on = models.DateField(_("talk held on"), null=True, blank=True)
    activist_on = models.DateField(_("activist from"), null=True, blank=True)
    target_on = models.DateField(_("development target from"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted (probation from)"), null=True, blank=True)
    introducer_1 = models.ForeignKey(
        Person, verbose_name=_("first introducer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    introducer_2 = models.ForeignKey(
        Person, verbose_name=_("second introducer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    probation_end = models.DateField(_("probation ends"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("probation extended by (months)"), default=0)
    full_on = models.DateField(_("full member from"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=STAGE_ORDER), name="orglife_application_stage_valid"),
            models.UniqueConstraint(
                fields=["person"], condition=~Q(stage="full"), name="orglife_one_open_application"
            ),
            models.CheckConstraint(
                condition=Q(talk_on__isnull=True) | Q(talk_on__gte=F("applied_on")), name="orglife_talk_after_applying"
            ),
            models.CheckConstraint(
                condition=Q(extension_months=0) | Q(extension_months__gte=6, extension_months__lte=12),
                name="orglife_extension_6_to_12",
            ),
            models.CheckConstraint(
                condition=Q(introducer_1__isnull=True) | ~Q(introducer_1=F("introducer_2")),
                name="orglife_two_different_introducers",
            ),
        ]
        indexes = [models.Index(fields=["branch", "stage"]), models.Index(fields=["applied_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_stage_display()}"


class Brand(BaseModel):
    """A party-building brand (黨建品牌), e.g. 疫線先鋒."""

    name = models.CharField(_("name"), max_length=100)
    organization = models.ForeignKey(
        Organization, verbose_name=_("owning organisation"), on_delete=models.PROTECT, related_name="brands"
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="orglife_brand_unique_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Story(BaseModel):
    """A story of people who stood up (先進事跡)."""

    title = models.CharField(pgettext_lazy("heading", "title"), max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="stories"
    )
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="stories")
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    photo = models.FileField(_("photo"), upload_to="orglife/stories/%Y/%m/", blank=True, max_length=255)
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title
