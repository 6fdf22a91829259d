"""Checkpoints over JSON: the batch ingest of readings and tallies, sites, figures, duty warnings."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from bastion.access.decorators import scoped
from bastion.checkpoints import conf, selectors
from bastion.checkpoints.ingest import (
    BODY,
    BatchRejected,
    RowError,
    parse_json,
    readings_ingest,
    rows_of,
    tallies_ingest,
)
from bastion.checkpoints.models import DeviceToken
from bastion.checkpoints.permissions import RECORD, VIEW
from bastion.checkpoints.services import device_scope, device_token_authenticate

router = Router(tags=["checkpoints"])


class DeviceAuth(HttpBearer):
    """Authorization: Bearer bcd_… — a device token bound to one site (created on the site's devices page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        device = device_token_authenticate(token)
        if device is None:
            return None
        request.device = device  # type: ignore[attr-defined]
        request.scope = device_scope(device)  # type: ignore[attr-defined]
        return device


def _auth() -> list[Any]:
    from bastion.api import BrowserSession, TokenAuth

    return [DeviceAuth(), TokenAuth(), BrowserSession()]


BATCH_DESCRIPTION = f"""
Store up to {conf.BATCH_LIMIT:,} readings in one request.

**Authentication**: a device token (`Authorization: Bearer bcd_…`, bound to one site), a
personal API token, or the browser session (with the CSRF token) of a member who may
record at the entrances.

**Body**: `{{"site": <optional site id>, "readings": [{{"uuid": "<client UUID>", "entrance": <id>,
"temperature": 36.6, "measured_at": "2020-02-01T08:30:00+08:00", "measured_by": <optional person id>,
"remeasure_of": "<optional UUID of the first reading>"}}, …]}}`. A time without an offset is
local time. Temperatures are °C with at most one decimal place, between 30.0 and 45.0; a
time may lie at most {int(conf.clock_skew().total_seconds())} s (the configured clock skew) in the future.

**Idempotent**: a reading whose UUID is already stored, or repeats an earlier row of the
same batch, is not stored again; it is counted in `duplicates` and its index listed in
`duplicate_rows`. Resending a batch after a lost response is always safe.

**All or nothing**: if any row is bad, the whole batch is rejected with 400 and nothing is
stored; `errors` lists every bad row (up to 1,000) with its `row` index and `field`, e.g.
`{{"row": 3, "field": "body.readings.3.temperature", "message": …}}`. Fix or drop those rows
and resend the batch: rows already stored are then reported as duplicates.
Other refusals: malformed JSON 400 (`field` = `body`), more than {conf.BATCH_LIMIT:,} rows or a body
over {conf.MAX_BODY // 1_000_000} MB 413,
a `site` other than the device token's site 403, no valid credentials 401.
"""


def _batch_schema(key: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": [key],
                        "properties": {
                            "site": {"type": "integer"},
                            key: {"type": "array", "maxItems": conf.BATCH_LIMIT, "items": item},
                        },
                    }
                }
            },
        }
    }


READING_ITEM = {
    "type": "object",
    "required": ["uuid", "entrance", "temperature", "measured_at"],
    "properties": {
        "uuid": {"type": "string", "format": "uuid"},
        "entrance": {"type": "integer"},
        "temperature": {"type": "number", "minimum": 30.0, "maximum": 45.0, "multipleOf": 0.1},
        "measured_at": {"type": "string", "format": "date-time"},
        "measured_by": {"type": "integer"},
        "remeasure_of": {"type": "string", "format": "uuid"},
    },
}
TALLY_ITEM = {
    "type": "object",
    "required": ["uuid", "entrance", "start", "end", "count"],
    "properties": {
        "uuid": {"type": "string", "format": "uuid"},
        "entrance": {"type": "integer"},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "count": {"type": "integer", "minimum": 0},
    },
}


class BatchOut(Schema):
    received: int
    created: int
    duplicates: int
    duplicate_rows: list[int]


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]]


def _json(status: int, data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


def _read_body(request: HttpRequest) -> bytes:
    """The request body, up to MAX_BODY bytes.

    Read from the stream rather than `request.body`, whose cap (DATA_UPLOAD_MAX_MEMORY_SIZE,
    2.5 MB by default) a full batch of 10,000 readings may pass when pretty-printed.
    """
    body = request.read(conf.MAX_BODY + 1)
    if len(body) > conf.MAX_BODY:
        raise BatchRejected([RowError(None, BODY, f"The body is larger than {conf.MAX_BODY:,} bytes.")], status=413)
    return body


def _batch(request: HttpRequest, key: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    device: DeviceToken | None = getattr(request, "device", None)
    try:
        payload = parse_json(_read_body(request))
        rows = rows_of(payload, key)
        site = None
        site_id = payload.get("site")
        if device is not None:
            if site_id is not None and site_id != device.site_id:
                return _json(403, {"detail": "This device token belongs to another site.",
                                   "errors": [{"row": None, "field": "body.site",
                                               "message": "This device token belongs to another site."}]})
            site = device.site
        elif site_id is not None:
            if isinstance(site_id, bool) or not isinstance(site_id, int):
                return _json(400, {"detail": "Give the site id.",
                                   "errors": [{"row": None, "field": "body.site", "message": "Give the site id."}]})
            site = selectors.site_get(scope=scope, pk=site_id, perm=RECORD)
        person = getattr(getattr(request, "user", None), "person", None) if device is None else None
        if key == "readings":
            result = readings_ingest(scope=scope, rows=rows, site=site, device=device, measured_by=person)
        else:
            result = tallies_ingest(scope=scope, rows=rows, site=site, recorded_by=person)
    except BatchRejected as exc:
        return _json(exc.status, {"detail": exc.detail, "errors": [e.as_dict(key) for e in exc.errors]})
    return _json(200, result.as_dict())


@router.post(
    "/readings/batch",
    auth=_auth(),
    response={200: BatchOut, 400: ErrorOut, 403: ErrorOut, 413: ErrorOut},
    summary="Store a batch of temperature readings",
    description=BATCH_DESCRIPTION,
    openapi_extra=_batch_schema("readings", READING_ITEM),
)
@scoped(RECORD, api=True)
def readings_batch(request: HttpRequest) -> HttpResponse:
    return _batch(request, "readings")


@router.post(
    "/tallies/batch",
    auth=_auth(),
    response={200: BatchOut, 400: ErrorOut, 403: ErrorOut, 413: ErrorOut},
    summary="Store counted normal passes (hand-clicker tallies)",
    description=(
        "Rows `{\"uuid\", \"entrance\", \"start\", \"end\", \"count\"}`: people counted passing an entrance "
        "without a reading in [start, end]. Same rules as the readings batch: all or nothing, idempotent on uuid."
    ),
    openapi_extra=_batch_schema("tallies", TALLY_ITEM),
)
@scoped(RECORD, api=True)
def tallies_batch(request: HttpRequest) -> HttpResponse:
    return _batch(request, "tallies")


class SiteOut(Schema):
    id: int
    name: str
    site_type: str


class EntranceOut(Schema):
    id: int
    name: str
    site_id: int


class FiguresOut(Schema):
    team_members: int
    entrances: int
    person_times: int
    longest_continuous_duty_hours: int
    fevers: int
    referrals: int


class DutyWarningOut(Schema):
    id: int
    person_id: int
    person_name: str
    site_id: int
    start: dt.datetime
    end: dt.datetime
    hours: Decimal

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)


@router.get("/sites", response=list[SiteOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_sites(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.site_list(scope=request.scope)  # type: ignore[attr-defined]


@router.get("/sites/{site_id}/entrances", response=list[EntranceOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_entrances(request: HttpRequest, site_id: int):  # type: ignore[no-untyped-def]
    site = selectors.site_get(scope=request.scope, pk=site_id)  # type: ignore[attr-defined]
    return selectors.entrance_list(scope=request.scope, site=site)  # type: ignore[attr-defined]


@router.get("/sites/{site_id}/figures", response=FiguresOut)
@scoped(VIEW, api=True)
def site_figures(
    request: HttpRequest, site_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    scope = request.scope  # type: ignore[attr-defined]
    site = selectors.site_get(scope=scope, pk=site_id)
    return selectors.site_figures(scope=scope, site=site, start=start, end=end)


@router.get("/duty-warnings", response=list[DutyWarningOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_duty_warnings(request: HttpRequest, since: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    return selectors.duty_warning_list(scope=request.scope, since=since)  # type: ignore[attr-defined]
