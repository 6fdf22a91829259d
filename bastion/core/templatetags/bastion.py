from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bastion.core.audit import events_for

register = template.Library()

# What the last part of an audit verb means, shown beside the raw verb in history panels.
VERB_ACTIONS: dict[str, Any] = {
    "create": _("created"),
    "update": _("changed"),
    "move": _("moved"),
    "delete": _("deleted"),
    "reveal": _("identifiers revealed"),
    "end": _("ended"),
    "dissolve": _("dissolved"),
    "revoke": _("revoked"),
}

# Detail pages of the object types audit events point at.
OBJECT_URLS = {
    "areas.area": "areas:detail",
    "orgs.organization": "orgs:detail",
    "people.person": "people:detail",
}


@register.inclusion_tag("core/history_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], obj: Model, limit: int = 50) -> dict[str, Any]:
    """Who changed what, when: the audit events of one object (personal values arrive masked)."""
    return {"events": list(events_for(obj)[:limit]), "request": context.get("request")}


@register.filter
def verb_label(verb: str) -> str:
    """`person.update` -> "changed" (translated); an unknown action shows the verb itself."""
    action = (verb or "").rsplit(".", 1)[-1]
    label = VERB_ACTIONS.get(action)
    return f"{label} ({verb})" if label else verb


# Keys of an audit diff that are bookkeeping, not something a reader changed.
HIDDEN_DIFF_KEYS = {"search_key", "path", "depth", "numchild"}


@register.filter
def diff_items(diff: Any) -> list[tuple[str, Any]]:
    """The entries of an audit diff worth showing to a reader."""
    if not isinstance(diff, dict):
        return []
    empty: tuple[Any, ...] = (None, "", [])
    return [
        (key, value)
        for key, value in diff.items()
        if key not in HIDDEN_DIFF_KEYS
        and not (isinstance(value, list) and len(value) == 2 and value[0] in empty and value[1] in empty)
    ]


@register.filter
def change_text(change: Any, key: str = "") -> str:
    """One entry of an audit diff: [old, new] as "old → new", anything else as a list."""
    if isinstance(change, list | tuple) and len(change) == 2 and key != "fields":
        old, new = change
        return f"{new}" if old in (None, "", []) else f"{old} → {new}"
    if isinstance(change, list | tuple):
        return ", ".join(str(c) for c in change)
    return str(change)


@register.filter
def object_url(event: Any) -> str:
    """The detail page of the object an audit event is about, or "" if it has none."""
    name = OBJECT_URLS.get(getattr(event, "object_type", ""))
    if not name:
        return ""
    try:
        return reverse(name, args=[int(event.object_id)])
    except (NoReverseMatch, ValueError):
        return ""


@register.filter
def field_label(obj: Model, name: str) -> str:
    try:
        return str(getattr(obj._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - a diff key that is not a field (e.g. covered_areas)
        return name
