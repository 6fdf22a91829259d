from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bastion.screening.models import Contact, Outcome, ReferralOutcome, Symptom

TEMP_WIDGET = forms.NumberInput(
    attrs={"step": "0.1", "min": "34", "max": "43", "inputmode": "decimal", "placeholder": "36.5"}
)


class VisitForm(forms.Form):
    channel = forms.ChoiceField(
        label=pgettext_lazy("visit", "channel"),
        choices=[("door", _("Door visit")), ("phone", _("Phone"))],
        widget=forms.RadioSelect,
        initial="door",
    )
    temperature = forms.DecimalField(
        label=_("temperature (°C)"), max_digits=3, decimal_places=1, required=False, widget=TEMP_WIDGET
    )
    symptoms = forms.MultipleChoiceField(
        label=_("symptoms"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    travelled = forms.BooleanField(label=_("travelled in the last days"), required=False)
    travel_origin = forms.CharField(label=_("travelled from"), max_length=100, required=False)
    return_date = forms.DateField(
        label=_("return date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contact = forms.ChoiceField(label=_("contact"), choices=Contact.choices, initial=Contact.NONE)
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=Outcome.choices, widget=forms.RadioSelect, initial=Outcome.NO_RISK
    )
    isolation_days = forms.IntegerField(label=_("isolation period (days)"), required=False, min_value=1, max_value=60)
    referral_destination = forms.CharField(label=_("fever clinic"), max_length=200, required=False)
    id_number = forms.CharField(label=_("resident ID number"), max_length=20, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    at = forms.DateTimeField(
        label=_("time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class CheckForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("temperature (°C)"), max_digits=3, decimal_places=1, required=False, widget=TEMP_WIDGET
    )
    symptoms = forms.MultipleChoiceField(
        label=_("symptoms"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(
        label=pgettext_lazy("visit", "channel"),
        choices=[("door", _("Door visit")), ("phone", _("Phone"))],
        widget=forms.RadioSelect,
        initial="door",
    )
    at = forms.DateTimeField(
        label=_("time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ReleaseForm(forms.Form):
    end = forms.DateField(label=_("ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PeriodForm(forms.Form):
    days = forms.IntegerField(label=_("period (days)"), min_value=1, max_value=60)


class ReferralForm(forms.Form):
    destination = forms.CharField(label=_("fever clinic"), max_length=200)


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING]
    )


class SelfReportForm(forms.Form):
    person = forms.TypedChoiceField(label=_("who is reporting"), coerce=int, widget=forms.RadioSelect)
    temperature = forms.DecimalField(label=_("temperature (°C)"), max_digits=3, decimal_places=1, widget=TEMP_WIDGET)
    symptoms = forms.MultipleChoiceField(
        label=_("symptoms"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
