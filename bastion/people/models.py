from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bastion.areas.models import Area
from bastion.core.models import BaseModel
from bastion.core.personal import mask_id, mask_phone
from bastion.orgs.models import Organization


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Unknown")


class PartyStatus(models.TextChoices):
    NONE = "none", _("Not a member")
    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    DEVELOPMENT_TARGET = "development_target", _("Development target")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class Person(BaseModel):
    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    party_status = models.CharField(
        _("party status"), max_length=24, choices=PartyStatus.choices, default=PartyStatus.NONE
    )
    is_agency_cadre = models.BooleanField(_("agency cadre"), default=False)
    home_agency = models.CharField(_("home agency"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
        help_text=_("The grid or community where the person lives or is registered."),
    )
    search_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=["M", "F", "U"]), name="person_gender_valid"),
            models.CheckConstraint(
                condition=Q(party_status__in=[s.value for s in PartyStatus]), name="person_party_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_agency_cadre=True) | Q(home_agency=""), name="person_home_agency_only_for_cadres"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class MembershipRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    GROUP_LEADER = "group_leader", _("Group leader")
    MEMBER = "member", _("Member")
    VOLUNTEER = "volunteer", _("Volunteer")


class Membership(BaseModel):
    """A person in an organisation. Several may be current at once (home branch + temporary branch)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. committee director"))
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in MembershipRole]), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization} · {self.get_role_display()}"
