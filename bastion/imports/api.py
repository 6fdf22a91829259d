"""Imports over JSON: upload a registry file and get its check, list past imports, confirm one.

A file that cannot be read at all (not a spreadsheet, too big, too many rows) is a 400 naming
`file`; a file with row errors is stored with status `invalid` and its `errors` list
(row, column, message), and cannot be confirmed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.imports import conf, selectors, services

router = Router(tags=["imports"])


class IssueOut(Schema):
    row: int
    column: str
    message: str


class BatchOut(Schema):
    id: int
    file_name: str
    status: str
    created_at: dt.datetime
    imported_at: dt.datetime | None
    rows: int
    households_created: int
    households_matched: int
    persons_created: int
    persons_matched: int


class BatchDetailOut(BatchOut):
    errors: list[IssueOut]
    warnings: list[IssueOut]


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


@router.get("/batches", response=list[BatchOut])
@scoped("imports.view", api=True)
@paginate(LimitOffsetPagination)
def list_batches(request: HttpRequest) -> Any:
    return selectors.batch_list(scope=_scope(request))


@router.get("/batches/{batch_id}", response=BatchDetailOut)
@scoped("imports.view", api=True)
def get_batch(request: HttpRequest, batch_id: int) -> Any:
    return selectors.batch_get(scope=_scope(request), pk=batch_id)


@router.post("/households", response={201: BatchDetailOut})
@scoped("imports.upload", api=True)
def upload_households(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Check a household registry (.xlsx or .csv) and keep it; nothing is imported until it is confirmed."""
    if file.size is not None and file.size > conf.max_bytes():
        raise ValidationError(
            {"file": _("The file is %(size)d KB; at most %(limit)d KB may be uploaded at once. "
                       "Split it into several files.") % {"size": file.size // 1024, "limit": conf.max_bytes() // 1024}}
        )
    batch = services.batch_upload(scope=_scope(request), file_name=file.name or "", content=file.read())
    return Status(201, batch)


@router.post("/batches/{batch_id}/confirm", response=BatchDetailOut)
@scoped("imports.upload", api=True)
def confirm_batch(request: HttpRequest, batch_id: int) -> Any:
    """Import every row in one transaction; if a row fails now, nothing is written and `status` is `invalid`."""
    batch = selectors.batch_get(scope=_scope(request), pk=batch_id)
    return services.batch_confirm(scope=_scope(request), batch=batch)
