"""Forms of the org-life pages: they parse input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from bastion.access.scope import Scope
from bastion.orglife.models import COMPLIANCE_EVERY_MONTHS, ActivityKind, ActivityMode, PledgeKind
from bastion.orgs.models import TemporaryPurpose
from bastion.people.models import Person
from bastion.people.selectors import person_get, person_list

DATE = forms.DateInput(attrs={"type": "date"})


def resolve_person(scope: Scope, text: str, field: str) -> Person:
    """A person by “#number” or by exact name among the persons the scope sees."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Name the person.")})
    if text.lstrip("#").isdigit():
        from django.http import Http404

        try:
            return person_get(scope=scope, pk=int(text.lstrip("#")))
        except Http404 as exc:
            raise ValidationError({field: _("No person #%(n)s in your scope.") % {"n": text.lstrip("#")}}) from exc
    matches = list(person_list(scope=scope, query=text).filter(name=text)[:2])
    if not matches:
        raise ValidationError({field: _("No person named %(name)s in your scope.") % {"name": text}})
    if len(matches) > 1:
        raise ValidationError(
            {field: _("Several persons are named %(name)s; enter the number from the person's page, e.g. #%(n)d.")
             % {"name": text, "n": matches[0].pk}}
        )
    return matches[0]


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - the forms below declare them so
    field.choices = choices


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            base = field.split(".")[0]
            for error in errors:
                for message in error.messages:
                    form.add_error(base if base in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=30)
        if start > end:
            start, end = end, start
        return start, end


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ActivityKind.choices)
    mode = forms.ChoiceField(label=gettext_lazy("Held"), choices=ActivityMode.choices, widget=forms.RadioSelect,
                             initial=ActivityMode.OFFLINE)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    host = forms.ChoiceField(label=gettext_lazy("Host"), required=False)
    place = forms.CharField(label=gettext_lazy("Place or channel"), max_length=200, required=False)
    minutes = forms.CharField(label=gettext_lazy("Minutes"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)

    def __init__(self, *args: Any, members: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "host", [("", "—")] + [(str(p.pk), p.name) for p in members or []])


class EstablishForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    parent = forms.ChoiceField(label=gettext_lazy("Parent organisation"))
    purpose = forms.ChoiceField(label=pgettext_lazy("branch purpose", "Purpose"), choices=TemporaryPurpose.choices)
    decided_by = forms.CharField(label=gettext_lazy("Decided by"), max_length=200)
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DATE)
    established = forms.DateField(label=gettext_lazy("Established"), required=False, widget=DATE)
    covered_area = forms.ChoiceField(label=gettext_lazy("Covered grid or site"), required=False)
    secretary = forms.CharField(label=gettext_lazy("Secretary (name or #number)"), max_length=100, required=False)


class DissolveForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Dissolved on"), widget=DATE)


class AddMemberForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Person (name or #number)"), max_length=100)
    start = forms.DateField(label=gettext_lazy("From"), widget=DATE)


class RulesForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    document = forms.FileField(label=pgettext_lazy("file", "Document"), required=False)


class PledgeForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Person (name or #number)"), max_length=100)
    organization = forms.ChoiceField(label=gettext_lazy("Organisation"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PledgeKind.choices)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 5}))


class ApplicationForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Applicant (name or #number)"), max_length=100)
    applied_on = forms.DateField(label=gettext_lazy("Applied on"), widget=DATE)


STEP_CHOICES = [
    ("talk", gettext_lazy("Record the talk")),
    ("activist", gettext_lazy("Make activist")),
    ("target", gettext_lazy("Make development target")),
    ("admit", gettext_lazy("Admit as probationary member")),
    ("extend", gettext_lazy("Extend the probation")),
    ("confirm", gettext_lazy("Confirm as full member")),
]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=gettext_lazy("Step"), choices=STEP_CHOICES)
    on = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DATE)
    introducer_1 = forms.CharField(label=gettext_lazy("First introducer (name or #number)"), max_length=100,
                                   required=False)
    introducer_2 = forms.CharField(label=gettext_lazy("Second introducer (name or #number)"), max_length=100,
                                   required=False)
    months = forms.IntegerField(label=gettext_lazy("Extension in months (6 to 12)"), required=False)


class BrandForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    organization = forms.ChoiceField(label=gettext_lazy("Owning organisation"))
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False)


class StoryForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    organization = forms.ChoiceField(label=gettext_lazy("Organisation"))
    brand = forms.ChoiceField(label=gettext_lazy("Brand"), required=False)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    people = forms.CharField(label=gettext_lazy("People (names or #numbers, comma-separated)"), required=False)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)


class RuleForm(forms.Form):
    activity_kind = forms.ChoiceField(label=gettext_lazy("Activity kind"), choices=ActivityKind.choices)
    every_months = forms.TypedChoiceField(
        label=gettext_lazy("Every how many months"), coerce=int,
        choices=[(m, str(m)) for m in COMPLIANCE_EVERY_MONTHS],
    )
    organization = forms.ChoiceField(label=gettext_lazy("For the branches under"), required=False)
