"""Reads of the area tree, always filtered by the caller's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope, minimal_prefixes
from bastion.areas.models import Area
from bastion.core.text import normalise_query


def area_list(
    *, scope: Scope, kind: str | None = None, parent: Area | None = None, query: str = ""
) -> QuerySet[Area]:
    qs = Area.objects.filter(scope.area_visible_q("area.view"))
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if query:
        qs = qs.filter(search_key__contains=normalise_query(query))
    return qs.order_by("path")


def area_get(*, scope: Scope, pk: int) -> Area:
    return get_object_or_404(Area.objects.filter(scope.area_visible_q("area.view")), pk=pk)


def area_roots(*, scope: Scope) -> QuerySet[Area]:
    """The top-most areas the scope can see (its grant roots)."""
    if scope.unrestricted:
        return Area.objects.filter(depth=1).order_by("path")
    # Every visible area lies under a granted path, so the roots are the outermost of those.
    return Area.objects.filter(path__in=minimal_prefixes(scope.area_paths("area.view"))).order_by("path")


def area_ancestors(area: Area) -> list[Area]:
    return list(area.get_ancestors())


def area_list_changeable(*, scope: Scope, perm: str = "area.change") -> QuerySet[Area]:
    """Areas where the scope holds perm (e.g. the parents an area may be moved under)."""
    return Area.objects.filter(scope.area_visible_q(perm)).order_by("path")


def area_is_visible(*, scope: Scope, area: Area, perm: str = "area.view") -> bool:
    """Whether an area already loaded (e.g. an ancestor) lies in the scope, without a query."""
    return scope.unrestricted or any(area.path.startswith(p) for p in scope.area_paths(perm))
