from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from bastion.access.models import Grant
from bastion.access.scope import Scope
from bastion.core.models import AuditEvent


def grant_list(*, user: Any) -> QuerySet[Grant]:
    return Grant.objects.filter(user=user).select_related("area", "organization")


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
