"""Forms of the organisation browser. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bastion.areas.forms import DATE_WIDGET
from bastion.areas.models import Area, AreaKind
from bastion.orgs.models import ALLOWED_PARENTS, Organization, OrgKind, TemporaryPurpose
from bastion.people.models import MembershipRole, Person

PURPOSE_CHOICES = [("", "—"), *TemporaryPurpose.choices]


def _area_label(area: Area) -> str:
    return f"{area.name} · {area.get_kind_display()}"


class _AreaFields(forms.Form):
    """The area an organisation sits in and the grids or sites it covers."""

    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Located in"), queryset=Area.objects.none(), required=False
    )
    covered_areas: forms.ModelMultipleChoiceField[Area] = forms.ModelMultipleChoiceField(
        label=_("Covers"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A grid pioneer group covers grids; a checkpoint team covers a site."),
    )

    def setup_areas(self, *, visible: QuerySet[Area], around: Area | None) -> None:
        # Any area in scope is accepted; the lists offer the ones near the organisation.
        near = visible.filter(path__startswith=around.path) if around is not None else visible
        area_field = self.fields["area"]
        area_field.queryset = visible  # type: ignore[attr-defined]
        home = [a for a in near.exclude(kind=AreaKind.GRID)[:300]]
        area_field.widget.choices = [("", "—")] + [(a.pk, _area_label(a)) for a in home]
        cover_field = self.fields["covered_areas"]
        cover_field.queryset = visible  # type: ignore[attr-defined]
        coverable = list(near.filter(kind__in=[AreaKind.GRID, AreaKind.SITE])[:300])
        selected = self.initial.get("covered_areas") or []
        coverable += [a for a in selected if a not in coverable]
        cover_field.widget.choices = [(a.pk, _area_label(a)) for a in coverable]
        if not coverable:
            del self.fields["covered_areas"]


class OrgChildForm(_AreaFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    purpose = forms.ChoiceField(
        label=pgettext_lazy("branch purpose", "Purpose"),
        choices=PURPOSE_CHOICES,
        required=False,
        help_text=_("For a temporary branch."),
    )
    channel = forms.CharField(
        label=_("Channel"),
        max_length=200,
        required=False,
        help_text=_("For an online branch, e.g. a WeChat group name."),
    )
    established = forms.DateField(label=_("Established"), required=False, widget=DATE_WIDGET)

    field_order = ["name", "kind", "purpose", "channel", "area", "covered_areas", "established"]

    def __init__(self, *args: Any, parent: Organization, visible_areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fitting = [(k, label) for k, label in OrgKind.choices if parent.kind in ALLOWED_PARENTS[k]]
        others = [(k, label) for k, label in OrgKind.choices if (k, label) not in fitting]
        cast(forms.ChoiceField, self.fields["kind"]).choices = fitting + others
        self.initial.setdefault("area", parent.area_id)
        self.setup_areas(visible=visible_areas, around=parent.area)


class OrgEditForm(_AreaFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.ChoiceField(
        label=pgettext_lazy("branch purpose", "Purpose"), choices=PURPOSE_CHOICES, required=False
    )
    channel = forms.CharField(label=_("Channel"), max_length=200, required=False)
    established = forms.DateField(label=_("Established"), required=False, widget=DATE_WIDGET)

    field_order = ["name", "purpose", "channel", "area", "covered_areas", "established"]

    def __init__(self, *args: Any, org: Organization, visible_areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if org.kind != OrgKind.TEMPORARY_BRANCH:
            del self.fields["purpose"]
        if org.kind != OrgKind.ONLINE_BRANCH:
            del self.fields["channel"]
        parent = org.get_parent()
        self.setup_areas(visible=visible_areas, around=org.area or (parent.area if parent else None))


class DissolveForm(forms.Form):
    on = forms.DateField(label=_("Dissolved on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class MemberAddForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Search for the person, then choose them from the list.")},
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("membership", "Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    title = forms.CharField(label=_("Title"), max_length=100, required=False, help_text=_("e.g. committee director"))
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, persons: QuerySet[Person], found: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = persons  # type: ignore[attr-defined]
        field.widget.choices = [
            (p.pk, f"{p.name} · {p.area.name if p.area else '—'} · {p.get_party_status_display()}") for p in found
        ]
        self.initial.setdefault("start", timezone.localdate())


class MembershipEndForm(forms.Form):
    end = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("end", timezone.localdate())
