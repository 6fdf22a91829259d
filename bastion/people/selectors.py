"""Reads of persons and memberships, filtered by scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope
from bastion.core.text import normalise_query
from bastion.orgs.models import Organization
from bastion.people.models import Membership, Person


def person_list(*, scope: Scope, query: str = "", area_id: int | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(scope.person_visible_q("person.view")).select_related("area")
    if query:
        term = normalise_query(query)
        # The search key holds the simplified name, its pinyin initials and full pinyin.
        qs = qs.filter(search_key__contains=term)
    if area_id:
        qs = qs.filter(area_id=area_id)
    return qs.order_by("name", "pk")


def person_get(*, scope: Scope, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.filter(scope.person_visible_q("person.view")).select_related("area"), pk=pk
    )


def membership_list(
    *,
    scope: Scope,
    organization: Organization | None = None,
    person: Person | None = None,
    current_on: dt.date | None = None,
) -> QuerySet[Membership]:
    orgs = Organization.objects.filter(scope.org_visible_q("membership.view")).values("pk")
    qs = Membership.objects.filter(organization__in=orgs).select_related("person", "organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if person is not None:
        qs = qs.filter(person=person)
    if current_on is not None:
        qs = qs.filter(Q(start__isnull=True) | Q(start__lte=current_on)).filter(
            Q(end__isnull=True) | Q(end__gte=current_on)
        )
    return qs.order_by("organization__path", "role", "person__name")


def membership_get(*, scope: Scope, pk: int) -> Membership:
    orgs = Organization.objects.filter(scope.org_visible_q("membership.view")).values("pk")
    return get_object_or_404(
        Membership.objects.filter(organization__in=orgs).select_related("person", "organization"), pk=pk
    )


def person_is_visible(*, scope: Scope, person: Person, perm: str) -> bool:
    """Whether the scope holds perm over this person (e.g. person.change, person.reveal)."""
    if not scope.has(perm):
        return False
    return scope.unrestricted or Person.objects.filter(scope.person_visible_q(perm), pk=person.pk).exists()
