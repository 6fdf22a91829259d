"""Writes to grants."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bastion.access.models import Grant, Role
from bastion.access.scope import Scope
from bastion.areas.models import Area
from bastion.core import audit
from bastion.orgs.models import Organization


def grant_create(
    *,
    actor: Any,
    user: Any,
    role: str,
    area: Area | None = None,
    organization: Organization | None = None,
    scope: Scope | None = None,
) -> Grant:
    """Give `user` a role over a subtree. With a scope, the granter needs grant.change over that subtree."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}})
    if (area is None) == (organization is None):
        raise ValidationError({"area": _("Give either an area or an organisation, not both.")})
    if scope is not None:
        scope.require("grant.change", area=area, org=organization)
    if Grant.objects.filter(user=user, role=role, area=area, organization=organization).exists():
        raise ValidationError({"role": _("This user already holds this role there.")})
    with transaction.atomic():
        grant = Grant.objects.create(user=user, role=role, area=area, organization=organization)
        audit.record(actor, "grant.create", grant, audit.diff({}, audit.snapshot(grant)))
    return grant


def grant_revoke(*, actor: Any, grant: Grant, scope: Scope | None = None) -> None:
    if scope is not None:
        scope.require("grant.change", area=grant.area, org=grant.organization)
    with transaction.atomic():
        audit.record(actor, "grant.revoke", grant, audit.diff(audit.snapshot(grant), {}))
        grant.delete()
