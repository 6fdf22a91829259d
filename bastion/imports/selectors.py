"""Reads: past imports. A user sees the files they uploaded; a system administrator sees all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bastion.access.scope import Scope
from bastion.imports.models import ImportBatch


def batch_list(*, scope: Scope) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.defer("content").select_related("user")
    if scope.unrestricted:
        return qs
    if scope.user is None or not scope.has("imports.view"):
        return qs.none()
    return qs.filter(user=scope.user)


def batch_get(*, scope: Scope, pk: int, with_content: bool = False) -> ImportBatch:
    qs = batch_list(scope=scope)
    if with_content:
        qs = qs.defer(None).select_related("user")
    return get_object_or_404(qs, pk=pk)
