"""Forms of the area browser. They parse input only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bastion.areas.models import ALLOWED_PARENTS, Area, AreaKind, SiteType

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError next to the field it names (or above the form).

    Services name fields by their model names ("parent", "covered_areas.0"); `aliases`
    maps those to the form's own field names.
    """
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        name = aliases.get(key, aliases.get(key.split(".")[0], key.split(".")[0]))
        form.add_error(name if name in form.fields else None, errors)


class AreaChildForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=AreaKind.choices)
    site_type = forms.ChoiceField(label=_("Site type"), choices=[("", "—"), *SiteType.choices], required=False)
    code = forms.CharField(
        label=_("Official code"),
        max_length=12,
        required=False,
        help_text=_("6 digits for a district, 12 for a street or community; empty for grids and sites."),
    )
    code_year = forms.IntegerField(label=_("Code year"), required=False, help_text=_("The year of the code table."))

    def __init__(self, *args: Any, parent: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer the kinds that may sit under this parent first; the service still checks.
        fitting = [(k, label) for k, label in AreaKind.choices if parent.kind in ALLOWED_PARENTS[k]]
        others = [(k, label) for k, label in AreaKind.choices if (k, label) not in fitting]
        cast(forms.ChoiceField, self.fields["kind"]).choices = fitting + others
        if fitting:
            self.initial.setdefault("kind", fitting[0][0])


class AreaEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    site_type = forms.ChoiceField(label=_("Site type"), choices=[("", "—"), *SiteType.choices], required=False)
    code = forms.CharField(label=_("Official code"), max_length=12, required=False)
    code_year = forms.IntegerField(label=_("Code year"), required=False)

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if area.kind != AreaKind.SITE:
            del self.fields["site_type"]


class AreaMoveForm(forms.Form):
    new_parent: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("New parent area"), queryset=Area.objects.none()
    )

    def __init__(self, *args: Any, area: Area, candidates: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        field.queryset = candidates  # type: ignore[attr-defined]
        # Offer only the areas of a kind this area may sit under; any area in scope is accepted,
        # so a wrong choice is explained by the service, not refused as "not a valid choice".
        kinds = [k for k in ALLOWED_PARENTS[area.kind] if k]
        offered = candidates.filter(kind__in=kinds).exclude(pk=area.pk)
        current = area.get_parent()
        if current is not None:
            offered = offered.exclude(pk=current.pk)
        field.widget.choices = [("", "—")] + [(a.pk, f"{a.name} · {a.get_kind_display()}") for a in offered[:1000]]
