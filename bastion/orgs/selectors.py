"""Reads of the organisation tree, filtered by scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope
from bastion.core.text import normalise_query
from bastion.orgs.models import Organization


def org_list(
    *,
    scope: Scope,
    kind: str | None = None,
    purpose: str | None = None,
    parent: Organization | None = None,
    query: str = "",
) -> QuerySet[Organization]:
    qs = Organization.objects.filter(scope.org_visible_q("org.view")).select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if purpose:
        qs = qs.filter(purpose=purpose)
    if parent is not None:
        qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if query:
        qs = qs.filter(search_key__contains=normalise_query(query))
    return qs.order_by("path")


def org_get(*, scope: Scope, pk: int) -> Organization:
    return get_object_or_404(
        Organization.objects.filter(scope.org_visible_q("org.view")).select_related("area"), pk=pk
    )


def org_roots(*, scope: Scope) -> QuerySet[Organization]:
    visible = Organization.objects.filter(scope.org_visible_q("org.view")).order_by("path")
    roots: list[int] = []
    last = None
    for pk, path in visible.values_list("pk", "path"):
        if last is None or not path.startswith(last):
            roots.append(pk)
            last = path
    return Organization.objects.filter(pk__in=roots).order_by("path")
