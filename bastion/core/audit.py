"""The explicit audit trail every service writes."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from bastion.core.models import AuditEvent
from bastion.core.personal import mask_value

# Fields whose values never enter an audit diff in clear.
SENSITIVE_FIELDS = {"id_number", "phone", "password", "token_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of obj, for diffing before and after a change."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {}
    for key in sorted(set(before) | set(after)):
        if key in {"updated_at", "created_at"}:
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            if key in SENSITIVE_FIELDS:
                old, new = mask_value(key, old), mask_value(key, new)
            changed[key] = [old, new]
    return changed


def record(actor: Any, verb: str, obj: models.Model, changes: dict[str, Any] | None = None) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        diff=changes or {},
    )


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
