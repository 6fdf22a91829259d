from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """A value of a dict whose keys contain dots (figure codes such as branches.online)."""
    return mapping.get(key, "")


@register.inclusion_tag("orglife/_person_panel.html", takes_context=True)
def orglife_person_panel(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """A person's pledges and party application, for the person's page (`{% orglife_person_panel person %}`)."""
    from bastion.orglife import selectors

    request = context.get("request")
    scope = getattr(request, "scope", None)
    if scope is None or not scope.has("orglife.view"):
        return {"show": False}
    return {
        "show": True,
        "person": person,
        "pledges": list(selectors.pledge_list(scope=scope, person=person)[:5]),
        "applications": list(selectors.application_list(scope=scope).filter(person=person)[:3]),
    }
