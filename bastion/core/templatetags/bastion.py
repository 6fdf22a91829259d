from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from bastion.core.audit import events_for

register = template.Library()


@register.inclusion_tag("core/history_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], obj: Model, limit: int = 50) -> dict[str, Any]:
    """Who changed what, when: the audit events of one object (personal values arrive masked)."""
    return {"events": list(events_for(obj)[:limit]), "request": context.get("request")}


@register.filter
def field_label(obj: Model, name: str) -> str:
    try:
        return str(getattr(obj._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - a diff key that is not a field (e.g. covered_areas)
        return name
