from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bastion.coverage.models import Relation
from bastion.people.models import Gender


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (others on the form itself)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class HouseholdForm(forms.Form):
    grid = forms.IntegerField(label=_("grid"), widget=forms.Select)
    street = forms.CharField(label=_("street"), max_length=100, help_text=_("e.g. 仰口路 12號"))
    compound = forms.CharField(label=_("compound"), max_length=100, required=False)
    building = forms.CharField(label=_("building"), max_length=40)
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)
    room = forms.CharField(label=_("room"), max_length=20)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ResidentForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=100)
    relation = forms.ChoiceField(label=_("relation to the head"), choices=Relation.choices)
    id_number = forms.CharField(label=_("resident ID number"), max_length=20, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices, initial=Gender.UNKNOWN)


class AssignForm(forms.Form):
    member = forms.IntegerField(label=_("member"), widget=forms.HiddenInput)
    start = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
