"""Reads of the organisation tree, filtered by scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope, minimal_prefixes
from bastion.areas.models import Area
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
    if scope.unrestricted:
        return Organization.objects.filter(depth=1).order_by("path")
    # Every visible organisation lies under a granted or derived path: the roots are the outermost.
    return Organization.objects.filter(path__in=minimal_prefixes(scope.org_paths("org.view"))).order_by("path")


def org_list_for_area(*, scope: Scope, area: Area) -> QuerySet[Organization]:
    """Organisations located in an area or covering it, as far as the scope sees them."""
    from django.db.models import Q

    here = Organization.objects.filter(Q(area=area) | Q(covered_areas=area)).values("pk")
    return (
        Organization.objects.filter(scope.org_visible_q("org.view"), pk__in=here)
        .select_related("area")
        .order_by("path")
    )


def org_ancestors(*, scope: Scope, org: Organization) -> list[tuple[Organization, bool]]:
    """The parents of an organisation from the root down, each with whether the scope may open it."""
    ancestors = list(org.get_ancestors())
    visible = set(
        Organization.objects.filter(scope.org_visible_q("org.view"), pk__in=[a.pk for a in ancestors]).values_list(
            "pk", flat=True
        )
    )
    return [(a, a.pk in visible) for a in ancestors]


def org_is_visible(*, scope: Scope, org: Organization, perm: str) -> bool:
    """Whether the scope holds perm over this organisation (e.g. org.change, membership.change)."""
    if scope.unrestricted:
        return scope.has(perm)
    return scope.has(perm) and Organization.objects.filter(scope.org_visible_q(perm), pk=org.pk).exists()
