"""Forms of the accounts pages. They parse input only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.access.models import Role
from bastion.access.scope import GRANTABLE_ROLES, ROLE_PERMISSIONS, Scope
from bastion.areas.models import Area
from bastion.orgs.models import Organization


class AccountForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    username = forms.CharField(
        label=_("User name"), max_length=150, help_text=_("Letters, digits and @ . + - _ only.")
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once."),
    )


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once."),
    )


def grantable_roles(scope: Scope) -> list[tuple[str, Any]]:
    """Roles the scope could give somewhere; the service checks the node itself."""
    held = set(scope.permissions) | {f"{p}_own" for p in scope.permissions}
    if scope.unrestricted:
        allowed: frozenset[str] = GRANTABLE_ROLES["district_admin"]
    else:
        allowed = frozenset().union(*(GRANTABLE_ROLES.get(g.role, frozenset()) for g in scope.grants))
    return [
        (value, label)
        for value, label in Role.choices
        if value in allowed and ROLE_PERMISSIONS.get(value, frozenset()) <= held
    ]


def target_choices(scope: Scope) -> list[tuple[str, list[tuple[str, str]]]]:
    """Areas and organisations where the scope holds grant.change, indented by depth."""
    areas = Area.objects.filter(scope.area_visible_q("grant.change")).order_by("path").only("name", "path", "depth")
    orgs = (
        Organization.objects.filter(scope.org_visible_q("grant.change"))
        .order_by("path")
        .only("name", "path", "depth")
    )

    def label(node: Any) -> str:
        return "\u00a0\u00a0" * (node.depth - 1) + node.name

    return [
        (str(_("Areas")), [(f"area:{a.pk}", label(a)) for a in areas]),
        (str(_("Organisations")), [(f"org:{o.pk}", label(o)) for o in orgs]),
    ]


class GrantForm(forms.Form):
    role = forms.CharField(label=_("Role"), widget=forms.Select)
    target = forms.CharField(
        label=_("Over"), widget=forms.Select, help_text=_("The role covers this node and everything under it.")
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain char fields, not choice fields: an out-of-scope value reaches the service, which
        # explains the refusal instead of a bare "not one of the available choices".
        self.fields["role"].widget.choices = [("", "—"), *grantable_roles(scope)]  # type: ignore[attr-defined]
        self.fields["target"].widget.choices = [("", "—"), *target_choices(scope)]  # type: ignore[attr-defined]

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role not in Role.values:
            raise forms.ValidationError(_("Unknown role “%(value)s”.") % {"value": role})
        return role

    def clean_target(self) -> Area | Organization:
        raw = self.cleaned_data["target"]
        kind, _sep, pk = raw.partition(":")
        model: Any = {"area": Area, "org": Organization}.get(kind)
        node = model.objects.filter(pk=int(pk)).first() if model is not None and pk.isdigit() else None
        if node is None:
            raise forms.ValidationError(_("Choose an area or an organisation."))
        return node
