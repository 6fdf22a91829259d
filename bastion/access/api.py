"""Who am I (user, person, grants, permissions) and the audit trail of one object."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access import selectors
from bastion.access.decorators import login_scoped, scoped
from bastion.access.models import Grant
from bastion.core.models import AuditEvent

router = Router(tags=["access"])


class PersonRef(Schema):
    id: int
    name: str


class GrantOut(Schema):
    role: str
    area_id: int | None
    area_name: str | None = None
    organization_id: int | None
    organization_name: str | None = None

    @staticmethod
    def resolve_area_name(obj: Grant) -> str | None:
        return obj.area.name if obj.area else None

    @staticmethod
    def resolve_organization_name(obj: Grant) -> str | None:
        return obj.organization.name if obj.organization else None


class MeOut(Schema):
    id: int
    username: str
    person: PersonRef | None
    is_superuser: bool
    grants: list[GrantOut]
    permissions: list[str]


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor: str | None = Field(None, description="The user name of whoever did it; null for the system.")
    verb: str
    object_type: str
    object_id: str
    object_repr: str
    diff: dict[str, Any] = Field(..., description="Field -> [before, after]; ID numbers and phones masked.")

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str | None:
        return obj.actor.get_username() if obj.actor else None


@router.get("/me", response=MeOut)
@login_scoped
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in (or token) user, the person they are, their grants and the permissions these give."""
    scope = request.scope  # type: ignore[attr-defined]
    user = scope.user
    person = user.person
    return {
        "id": user.pk,
        "username": user.get_username(),
        "person": {"id": person.pk, "name": person.name} if person else None,
        "is_superuser": user.is_superuser,
        "grants": list(selectors.grant_list(user=user)),
        "permissions": sorted(scope.permissions),
    }


@router.get("/audit", response=list[AuditEventOut])
@scoped("audit.view", api=True)
@paginate(LimitOffsetPagination)
def audit_events(
    request: HttpRequest,
    object_type: str = Query(..., description="app_label.model, e.g. people.person"),
    object_id: str = Query(...),
    verb: str = "",
) -> Any:
    """The audit events of one object the caller may see, newest first."""
    events = selectors.audit_event_list(scope=request.scope, verb=verb)  # type: ignore[attr-defined]
    return events.filter(object_type=object_type.lower(), object_id=object_id)
