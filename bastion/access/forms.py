"""Forms of the accounts pages. They parse input only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.access.models import Role
from bastion.access.scope import GRANTABLE_ROLES, ROLE_PERMISSIONS, Scope
from bastion.access.selectors import grant_target_search
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


class GrantForm(forms.Form):
    role = forms.CharField(label=_("Role"), widget=forms.Select)
    target = forms.CharField(
        label=_("Over"), widget=forms.RadioSelect, help_text=_("The role covers this node and everything under it.")
    )
    # The search that listed the targets, posted again so a refused form lists them again.
    find = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, scope: Scope, find: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain char fields, not choice fields: an out-of-scope value reaches the service, which
        # explains the refusal instead of a bare "not one of the available choices".
        self.fields["role"].widget.choices = [("", "—"), *grantable_roles(scope)]  # type: ignore[attr-defined]
        # A district holds thousands of nodes: list only those matching a search, never all of them.
        self.search = grant_target_search(scope=scope, query=find)
        self.query = find.strip()
        self.fields["find"].initial = self.query
        choices = [(f"area:{a.pk}", f"{a.name} · {a.get_kind_display()}") for a in self.search.areas]
        choices += [(f"org:{o.pk}", f"{o.name} · {o.get_kind_display()}") for o in self.search.organizations]
        chosen = self.data.get("target", "") if self.is_bound else ""
        if chosen and chosen not in dict(choices):
            # keep the posted choice listed (and checked) when it is in scope; never name one outside
            node = _node(chosen)
            if node is not None and _in_scope(scope, node):
                choices.insert(0, (chosen, f"{node.name} · {node.get_kind_display()}"))
        self.fields["target"].widget.choices = choices  # type: ignore[attr-defined]

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role not in Role.values:
            raise forms.ValidationError(_("Unknown role “%(value)s”.") % {"value": role})
        return role

    def clean_target(self) -> Area | Organization:
        node = _node(self.cleaned_data["target"])
        if node is None:
            raise forms.ValidationError(_("Choose an area or an organisation."))
        return node


def _node(value: str) -> Area | Organization | None:
    """`area:12` or `org:7` -> the node, or None for anything else."""
    kind, _sep, pk = value.partition(":")
    model: Any = {"area": Area, "org": Organization}.get(kind)
    return model.objects.filter(pk=int(pk)).first() if model is not None and pk.isdigit() else None


def _in_scope(scope: Scope, node: Area | Organization) -> bool:
    visible = scope.area_visible_q("grant.change") if isinstance(node, Area) else scope.org_visible_q("grant.change")
    return type(node).objects.filter(visible, pk=node.pk).exists()
