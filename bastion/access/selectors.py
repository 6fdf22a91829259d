from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from bastion.access.models import Grant, User
from bastion.access.scope import Scope
from bastion.core.models import AuditEvent


def grant_list(*, user: Any) -> QuerySet[Grant]:
    return Grant.objects.filter(user=user).select_related("area", "organization")


def _grants_in_scope(scope: Scope, perm: str) -> QuerySet[Grant]:
    from bastion.areas.models import Area
    from bastion.orgs.models import Organization

    return Grant.objects.filter(
        Q(area__in=Area.objects.filter(scope.area_visible_q(perm)).values("pk"))
        | Q(organization__in=Organization.objects.filter(scope.org_visible_q(perm)).values("pk"))
    )


def _users_in_scope(scope: Scope, perm: str) -> QuerySet[User]:
    from bastion.people.models import Person

    if not scope.has(perm):
        return User.objects.none()
    persons = Person.objects.filter(scope.person_visible_q(perm)).values("pk")
    return User.objects.filter(
        Q(person__in=persons) | Q(pk__in=_grants_in_scope(scope, perm).values("user_id")), is_superuser=False
    )


def user_list(*, scope: Scope, query: str = "") -> QuerySet[User]:
    """Accounts the scope may see on the accounts pages: of a person in scope, or holding a grant in scope."""
    from bastion.core.text import normalise_query

    qs = User.objects.all() if scope.unrestricted else _users_in_scope(scope, "grant.change")
    if query:
        term = normalise_query(query)
        qs = qs.filter(Q(username__icontains=query.strip()) | Q(person__search_key__contains=term))
    return (
        qs.select_related("person")
        .prefetch_related(Prefetch("grants", queryset=Grant.objects.select_related("area", "organization")))
        .order_by("username", "pk")
    )


def user_get(*, scope: Scope, pk: int) -> User:
    """One account in scope; anything else is a 404 (so ids outside reveal nothing)."""
    user = user_list(scope=scope).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def user_history(*, user: Any) -> QuerySet[AuditEvent]:
    """The audit events of an account and of every grant it holds or held (revoked grants are gone, their
    history rows are not)."""
    grant_ids = Grant.history.filter(user_id=user.pk).values_list("id", flat=True).distinct()
    return AuditEvent.objects.filter(
        Q(object_type="access.user", object_id=str(user.pk))
        | Q(object_type="access.grant", object_id__in=[str(pk) for pk in grant_ids])
    ).select_related("actor")


# Object types whose audit events a scoped reader may see, and how to find the visible ones.
def _visible_ids(scope: Scope) -> dict[str, QuerySet[Any]]:
    from bastion.areas.models import Area
    from bastion.orgs.models import Organization
    from bastion.people.models import Membership, Person

    def ids(qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.annotate(pk_text=Cast("pk", CharField())).values("pk_text")

    orgs = Organization.objects.filter(scope.org_visible_q("audit.view"))
    return {
        "areas.area": ids(Area.objects.filter(scope.area_visible_q("audit.view"))),
        "orgs.organization": ids(orgs),
        "people.person": ids(Person.objects.filter(scope.person_visible_q("audit.view"))),
        "people.membership": ids(Membership.objects.filter(organization__in=orgs.values("pk"))),
        "access.user": ids(_users_in_scope(scope, "audit.view")),
        "access.grant": ids(_grants_in_scope(scope, "audit.view")),
    }


def audit_event_list(*, scope: Scope, verb: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor")
    if not scope.unrestricted:
        if not scope.has("audit.view"):
            return qs.none()
        q = Q(actor=scope.user) if scope.user is not None else Q(pk__in=[])
        for object_type, visible in _visible_ids(scope).items():
            q |= Q(object_type=object_type, object_id__in=visible)
        qs = qs.filter(q)
    if verb:
        qs = qs.filter(verb__startswith=verb)
    return qs


@dataclass
class TargetSearch:
    """Areas and organisations a grant could be given over, found by name (at most `limit` of each)."""

    areas: list[Any]
    organizations: list[Any]
    more: bool  # some matches were left out: the query should be narrowed


def grant_target_search(*, scope: Scope, query: str, limit: int = 15) -> TargetSearch:
    """Nodes where the scope holds grant.change whose name matches the query in any script or in pinyin
    (full or initials), or whose official code starts with it; shallow nodes first."""
    from bastion.areas.models import Area
    from bastion.core.text import normalise_query
    from bastion.orgs.models import Organization

    raw, term = query.strip(), normalise_query(query)
    if not term:
        return TargetSearch([], [], False)
    by_name = Q(search_key__contains=term) | Q(name__icontains=raw)
    areas = list(
        Area.objects.filter(scope.area_visible_q("grant.change"))
        .filter(by_name | (Q(code__startswith=raw) if raw.isdigit() else Q(pk__in=[])))
        .order_by("depth", "path")
        .only("name", "kind", "code", "path", "depth")[: limit + 1]
    )
    orgs = list(
        Organization.objects.filter(scope.org_visible_q("grant.change"))
        .filter(by_name)
        .order_by("depth", "path")
        .only("name", "kind", "path", "depth")[: limit + 1]
    )
    return TargetSearch(areas[:limit], orgs[:limit], len(areas) > limit or len(orgs) > limit)
