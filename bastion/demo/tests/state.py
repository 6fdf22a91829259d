"""A comparable picture of the database: row counts of every table plus natural keys."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from bastion.access.models import Grant, User
from bastion.areas.models import Area
from bastion.orgs.models import Organization
from bastion.people.models import Membership, Person


def database_state() -> dict[str, Any]:
    """Row counts of every table plus a few natural keys, to compare two loads."""
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    return {
        "counts": counts,
        "areas": _sorted(Area.objects.values_list("path", "name", "code")),
        "orgs": _sorted(Organization.objects.values_list("path", "name")),
        "ids": _sorted(Person.objects.values_list("id_number", "name", "area__name")),
        "memberships": _sorted(
            Membership.objects.values_list("person__id_number", "organization__name", "role", "title", "start")
        ),
        "users": _sorted(User.objects.values_list("username", "password", "person__name")),
        "grants": _sorted(Grant.objects.values_list("user__username", "role", "area__name", "organization__name")),
    }


def _sorted(rows: Any) -> list[Any]:
    """Rows in a stable order, whatever mix of None and values they hold."""
    return sorted(rows, key=repr)
