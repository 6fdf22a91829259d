"""The person form. It parses input; people.services validates IDs, phones and scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bastion.areas.forms import DATE_WIDGET
from bastion.areas.models import Area, AreaKind
from bastion.core.personal import parse_phone, parse_resident_id
from bastion.people.models import Gender, PartyStatus, Person


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Registered in"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("The grid or community where the person lives or is registered."),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        help_text=_("Taken from the ID number if given."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=DATE_WIDGET, help_text=_("Taken from the ID number if given.")
    )
    party_status = forms.ChoiceField(label=_("Party status"), choices=PartyStatus.choices, initial=PartyStatus.NONE)
    is_agency_cadre = forms.BooleanField(label=_("Agency cadre (sent down from an agency)"), required=False)
    home_agency = forms.CharField(label=_("Home agency"), max_length=200, required=False)

    def __init__(self, *args: Any, areas: QuerySet[Area], person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = areas  # type: ignore[attr-defined]
        offered = list(areas.filter(kind__in=[AreaKind.GRID, AreaKind.COMMUNITY, AreaKind.SITE])[:2000])
        if person is not None and person.area is not None and person.area not in offered:
            offered.insert(0, person.area)
        field.widget.choices = [("", "—")] + [(a.pk, f"{a.name} · {a.get_kind_display()}") for a in offered]
        if person is not None:
            # Identifiers are never put back into the page in clear: blank keeps the stored value.
            for name, masked in (("id_number", person.id_masked), ("phone", person.phone_masked)):
                if masked:
                    self.fields[name].help_text = _("Now %(masked)s. Leave blank to keep it.") % {"masked": masked}
                    self.fields[name].widget.attrs["placeholder"] = masked

    # The service validates again; checking here too shows every bad identifier at once.
    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if value:
            parse_resident_id(value)
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value:
            parse_phone(value)
        return value
