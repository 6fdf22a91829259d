from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bastion.checkpoints.models import IdKind, Outcome


class EntranceForm(forms.Form):
    name = forms.CharField(label=_("Entrance name"), max_length=100)


class DeviceTokenForm(forms.Form):
    name = forms.CharField(label=_("Name (the device)"), max_length=100)


class ShiftForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Member"), coerce=int)
    entrance = forms.TypedChoiceField(label=_("Entrance"), coerce=int)
    start = forms.DateTimeField(label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(
        label=_("End"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty while the member is still on duty."),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], entrances: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]
        self.fields["entrance"].choices = entrances  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    reading_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    temperature = forms.DecimalField(label=_("Temperature (°C)"), max_digits=3, decimal_places=1,
                                     widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}))
    traveller_name = forms.CharField(label=_("Traveller's name"), max_length=100)
    id_kind = forms.ChoiceField(label=_("Document"), choices=IdKind.choices, initial=IdKind.RESIDENT_ID)
    id_number = forms.CharField(label=_("ID or passport number"), max_length=32, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    travel_number = forms.CharField(label=_("Train or flight number"), max_length=20, required=False)
    destination_address = forms.CharField(label=_("Destination address"), max_length=300, required=False)
    destination_area = forms.TypedChoiceField(
        label=_("Destination community or grid in the district"), coerce=int, required=False, empty_value=None,
        help_text=_("If the traveller is staying in the district, the community is asked to screen them."),
    )

    def __init__(self, *args: Any, areas: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_area"].choices = [("", "—"), *areas]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(Outcome.FEVER_CLINIC, Outcome.FEVER_CLINIC.label),
                                     (Outcome.RELEASED, Outcome.RELEASED.label)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's field errors on the form fields they name (others on the form)."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
