from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """A value of a dict whose keys contain dots (figure codes such as branches.online)."""
    return mapping.get(key, "")
