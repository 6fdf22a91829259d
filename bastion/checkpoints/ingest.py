"""Batch ingest of readings and tallies: validate every row, then write them on the fast path.

A batch is all or nothing: if any row is bad, nothing is written and every bad row is
reported with its index and field. Writing is idempotent on the client UUID: a row whose
UUID is already stored (or repeats an earlier row of the batch) is reported as a
duplicate and changes nothing.

Fast paths: SQLite takes multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`;
PostgreSQL takes `COPY` into a temporary staging table, then one
`INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area
from bastion.checkpoints import conf
from bastion.checkpoints.models import DeviceToken, Entrance, Reading, Tally
from bastion.checkpoints.permissions import RECORD
from bastion.core import audit
from bastion.people.models import Membership, Person

TENTH = Decimal("0.1")
BODY = "<body>"  # an error about the request body as a whole


@dataclass
class RowError:
    row: int | None
    field: str
    message: str

    def as_dict(self, collection: str) -> dict[str, Any]:
        if self.field == BODY:
            return {"row": None, "field": "body", "message": self.message}
        name = collection if self.row is None else f"{collection}.{self.row}"
        if self.field:
            name = f"{name}.{self.field}"
        return {"row": self.row, "field": f"body.{name}", "message": self.message}


class BatchRejected(Exception):
    """The whole batch is refused; nothing was written."""

    def __init__(self, errors: list[RowError], *, status: int = 400, detail: str = "") -> None:
        super().__init__(detail or (errors[0].message if errors else "invalid batch"))
        self.errors = errors
        self.status = status
        self.detail = detail or (
            _("%(n)d rows are invalid; nothing was stored.") % {"n": len({e.row for e in errors})}
            if len(errors) > 1 else (errors[0].message if errors else "")
        )


@dataclass
class IngestResult:
    received: int
    created: int
    duplicate_rows: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "created": self.created,
            "duplicates": len(self.duplicate_rows),
            "duplicate_rows": self.duplicate_rows,
        }


def parse_json(body: bytes) -> Any:
    """Parse a request body; numbers with a fraction become Decimal so 36.6 stays 36.6."""
    try:
        return json.loads(body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise BatchRejected([RowError(None, BODY, _("The body is not valid JSON") + where)]) from exc


def rows_of(payload: Any, key: str) -> list[Any]:
    if not isinstance(payload, dict):
        raise BatchRejected([RowError(None, BODY, _("Send an object with a list “%(key)s”.") % {"key": key})])
    if not isinstance(payload.get(key), list):
        raise BatchRejected([RowError(None, "", _("Send an object with a list “%(key)s”.") % {"key": key})])
    rows = payload[key]
    if len(rows) > conf.BATCH_LIMIT:
        raise BatchRejected(
            [RowError(None, "", _("A batch holds at most %(limit)d rows; this one has %(n)d.")
                      % {"limit": conf.BATCH_LIMIT, "n": len(rows)})],
            status=413,
        )
    return rows


# -- field parsers: each returns the value or raises ValueError with the message ------------
def _uuid(value: Any) -> uuidlib.UUID:
    if not isinstance(value, str):
        raise ValueError(_("Give a UUID string."))
    try:
        return uuidlib.UUID(value)
    except ValueError as exc:
        raise ValueError(_("This is not a UUID.")) from exc


def _time(value: Any, tz: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(_("Give the time as an ISO 8601 string."))
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(_("This is not an ISO 8601 time.")) from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return when


def _temperature(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(_("Give the temperature in °C, e.g. 36.6."))
    try:
        t = Decimal(value) if isinstance(value, int | str | Decimal) else Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValueError(_("Give the temperature in °C, e.g. 36.6.")) from exc
    if not t.is_finite():
        raise ValueError(_("Give the temperature in °C, e.g. 36.6."))
    if not conf.TEMPERATURE_MIN <= t <= conf.TEMPERATURE_MAX:
        raise ValueError(_("A temperature is between 30.0 and 45.0 °C; got %(t)s.") % {"t": t})
    exponent = t.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1 and t != t.quantize(TENTH):
        raise ValueError(_("Temperatures are kept to 0.1 °C; send one decimal place."))
    return t.quantize(TENTH)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("Give a whole number."))
    return value


@dataclass
class _Allowed:
    entrances: dict[int, int]  # entrance id -> site id
    sites: dict[int, Area]


def _allowed_entrances(scope: Scope, ids: Iterable[Any], site: Area | None) -> _Allowed:
    wanted = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    qs = Entrance.objects.filter(pk__in=wanted)
    if site is not None:
        qs = qs.filter(site=site)
    if not scope.unrestricted:
        qs = qs.filter(scope.area_q(RECORD, "site"))
    entrances = dict(qs.values_list("pk", "site_id"))
    sites = Area.objects.in_bulk(set(entrances.values()))
    return _Allowed(entrances, sites)


def _team_person_ids(site_ids: Iterable[int]) -> set[int]:
    from bastion.checkpoints.selectors import team_for_site

    ids: set[int] = set()
    for site in Area.objects.filter(pk__in=set(site_ids)):
        team = team_for_site(site)
        if team is not None:
            ids |= set(
                Membership.objects.filter(organization__path__startswith=team.path).values_list("person_id", flat=True)
            )
    return ids


# -- readings ---------------------------------------------------------------------------------
def readings_ingest(
    *,
    scope: Scope,
    rows: list[Any],
    site: Area | None = None,
    device: DeviceToken | None = None,
    measured_by: Person | None = None,
    now: dt.datetime | None = None,
) -> IngestResult:
    """Validate and store a batch of readings (all or nothing; duplicates by UUID are skipped).

    Each row: {"uuid", "entrance" (id), "temperature" (°C, one decimal), "measured_at"
    (ISO 8601; without an offset it is local time), optional "measured_by" (person id, a
    member of the site's team) and "remeasure_of" (UUID of the first reading).
    """
    if not scope.has(RECORD):
        scope.deny()
    now = now or timezone.now()
    latest = now + conf.clock_skew()
    tz = timezone.get_current_timezone()
    allowed = _allowed_entrances(scope, (r.get("entrance") for r in rows if isinstance(r, dict)), site)
    errors: list[RowError] = []
    # (row index, uuid, entrance id, measured at, temperature, re-measure of, measured by)
    parsed: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}  # UUID hex -> row index
    duplicates: list[int] = []
    wanted_people: set[int] = set()
    remeasures: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.append(RowError(index, "", _("Each reading is an object.")))
            continue
        bad = len(errors)
        try:
            uid = _uuid(row.get("uuid"))
        except ValueError as exc:
            errors.append(RowError(index, "uuid", str(exc)))
            uid = None
        entrance_id = row.get("entrance")
        if isinstance(entrance_id, bool) or not isinstance(entrance_id, int):
            errors.append(RowError(index, "entrance", _("Give the entrance id.")))
        elif entrance_id not in allowed.entrances:
            errors.append(RowError(index, "entrance", _("Entrance %(id)s is not an entrance you may record at here.")
                                   % {"id": entrance_id}))
        try:
            temperature = _temperature(row.get("temperature"))
        except ValueError as exc:
            errors.append(RowError(index, "temperature", str(exc)))
        try:
            measured_at = _time(row.get("measured_at"), tz)
            if measured_at > latest:
                errors.append(RowError(index, "measured_at", _("This time is in the future; check the device clock.")))
        except ValueError as exc:
            errors.append(RowError(index, "measured_at", str(exc)))
        person_id = row.get("measured_by")
        if person_id is not None:
            try:
                wanted_people.add(_int(person_id))
            except ValueError as exc:
                errors.append(RowError(index, "measured_by", str(exc)))
        elif measured_by is not None:
            person_id = measured_by.pk
        first = row.get("remeasure_of")
        if first is not None:
            try:
                first = _uuid(first)
                if first.hex not in seen:
                    remeasures.add(first.hex)
            except ValueError as exc:
                errors.append(RowError(index, "remeasure_of", str(exc)))
        if len(errors) > bad or uid is None:
            continue
        key = uid.hex
        if key in seen:
            duplicates.append(index)
            continue
        seen[key] = index
        parsed.append((index, uid, entrance_id, measured_at, temperature, first, person_id))
    if wanted_people:
        members = _team_person_ids(allowed.sites)
        for index, row in enumerate(rows):
            if isinstance(row, dict) and isinstance(row.get("measured_by"), int) and row["measured_by"] not in members:
                errors.append(RowError(index, "measured_by", _("Person %(id)s is not a member of this site's team.")
                                       % {"id": row["measured_by"]}))
    if remeasures:
        known = {
            u.hex for u in Reading.objects.filter(
                uuid__in=[uuidlib.UUID(hex=h) for h in remeasures], entrance_id__in=list(allowed.entrances)
            ).values_list("uuid", flat=True)
        }
        for index, row in enumerate(rows):
            first = row.get("remeasure_of") if isinstance(row, dict) else None
            if first is None:
                continue
            try:
                first_hex = uuidlib.UUID(first).hex if isinstance(first, str) else ""
            except ValueError:
                continue
            if first_hex in remeasures and first_hex not in known:
                errors.append(RowError(index, "remeasure_of", _("The first reading %(uuid)s is not known here.")
                                       % {"uuid": first}))
    if errors:
        errors.sort(key=lambda e: (e.row if e.row is not None else -1))
        raise BatchRejected(errors[:1000])
    with transaction.atomic():
        created = _insert_readings(parsed, device_id=device.pk if device else None, received_at=now)
        per_site: dict[int, int] = {}
        for index, uid, entrance_id, *_rest in parsed:
            if uid.hex in created:
                site_id = allowed.entrances[entrance_id]
                per_site[site_id] = per_site.get(site_id, 0) + 1
            else:
                duplicates.append(index)
        for site_id, count in sorted(per_site.items()):
            audit.record(scope.user, "reading.batch", allowed.sites[site_id],
                         {"readings": [None, count], "device": [None, device.pk if device else None]})
    duplicates.sort()
    return IngestResult(received=len(rows), created=len(created), duplicate_rows=duplicates)


READING_COLUMNS = ("uuid", "entrance_id", "measured_at", "temperature", "remeasure_of", "measured_by_id", "device_id",
                   "received_at")


def _hex(value: uuidlib.UUID) -> str:
    return value.hex


def _sqlite_time(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime: naive UTC, ISO with a space."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _insert_readings(parsed: list[Any], *, device_id: int | None, received_at: dt.datetime) -> set[str]:
    """Insert the rows, skipping UUIDs already stored; returns the hex of the UUIDs actually inserted."""
    if not parsed:
        return set()
    table = Reading._meta.db_table
    cols = ", ".join(f'"{c}"' for c in READING_COLUMNS)
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql" and len(parsed) >= 50:
        return _copy_readings(raw, table, cols, parsed, device_id, received_at)
    if connection.vendor == "sqlite":
        received = _sqlite_time(received_at)
        values: list[tuple[Any, ...]] = [
            (u.hex, e, _sqlite_time(m), str(t), f.hex if f else None, p, device_id, received)
            for _i, u, e, m, t, f, p in parsed
        ]
        placeholder = "(?,?,?,?,?,?,?,?)"
        back: Callable[[Any], str] = str
    else:
        values = [(u, e, m, t, f, p, device_id, received_at) for _i, u, e, m, t, f, p in parsed]
        placeholder = "(%s,%s,%s,%s,%s,%s,%s,%s)"
        back = _hex
    created: set[str] = set()
    cursor = raw.cursor()
    try:
        chunk = 1000
        for start in range(0, len(values), chunk):
            part = values[start:start + chunk]
            sql = (f'INSERT INTO "{table}" ({cols}) VALUES {",".join([placeholder] * len(part))} '  # noqa: S608
                   'ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid"')
            cursor.execute(sql, [v for row in part for v in row])
            created.update(back(r[0]) for r in cursor.fetchall())
    finally:
        cursor.close()
    return created


def _copy_readings(raw: Any, table: str, cols: str, parsed: list[Any], device_id: int | None,
                   received_at: dt.datetime) -> set[str]:
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS cp_reading_stage (uuid uuid, entrance_id bigint, measured_at timestamptz,"
            " temperature numeric(3,1), remeasure_of uuid, measured_by_id bigint, device_id bigint,"
            " received_at timestamptz) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE cp_reading_stage")
        with cursor.copy(f"COPY cp_reading_stage ({cols}) FROM STDIN") as copy:
            for _i, u, e, m, t, f, p in parsed:
                copy.write_row((u, e, m, t, f, p, device_id, received_at))
        cursor.execute(
            f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM cp_reading_stage '  # noqa: S608
            'ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid"'
        )
        created = {r[0].hex for r in cursor.fetchall()}
        cursor.execute("TRUNCATE cp_reading_stage")
    return created


# -- tallies ----------------------------------------------------------------------------------
def tallies_ingest(
    *,
    scope: Scope,
    rows: list[Any],
    site: Area | None = None,
    recorded_by: Person | None = None,
    now: dt.datetime | None = None,
) -> IngestResult:
    """Store counted normal passes: rows {"uuid", "entrance", "start", "end", "count"}; all or nothing."""
    if not scope.has(RECORD):
        scope.deny()
    now = now or timezone.now()
    latest = now + conf.clock_skew()
    tz = timezone.get_current_timezone()
    allowed = _allowed_entrances(scope, (r.get("entrance") for r in rows if isinstance(r, dict)), site)
    errors: list[RowError] = []
    objs: list[tuple[int, Tally]] = []
    seen: set[uuidlib.UUID] = set()
    duplicates: list[int] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.append(RowError(index, "", _("Each tally is an object.")))
            continue
        bad = len(errors)
        values: dict[str, Any] = {}
        try:
            values["uuid"] = _uuid(row.get("uuid"))
        except ValueError as exc:
            errors.append(RowError(index, "uuid", str(exc)))
        entrance_id = row.get("entrance")
        if isinstance(entrance_id, bool) or not isinstance(entrance_id, int) or entrance_id not in allowed.entrances:
            errors.append(RowError(index, "entrance", _("Entrance %(id)s is not an entrance you may record at here.")
                                   % {"id": entrance_id}))
        for name in ("start", "end"):
            try:
                values[name] = _time(row.get(name), tz)
                if values[name] > latest:
                    errors.append(RowError(index, name, _("This time is in the future; check the device clock.")))
            except ValueError as exc:
                errors.append(RowError(index, name, str(exc)))
        if "start" in values and "end" in values and values["end"] < values["start"]:
            errors.append(RowError(index, "end", _("The interval ends before it starts.")))
        count = row.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0 or count > 100_000:
            errors.append(RowError(index, "count", _("Give the number of people counted (0 or more).")))
        if len(errors) > bad:
            continue
        if values["uuid"] in seen:
            duplicates.append(index)
            continue
        seen.add(values["uuid"])
        values.update(entrance_id=entrance_id, count=count, recorded_by=recorded_by)
        objs.append((index, Tally(**values)))
    if errors:
        raise BatchRejected(errors[:1000])
    with transaction.atomic():
        existing = set(Tally.objects.filter(uuid__in=seen).values_list("uuid", flat=True))
        fresh = [t for _i, t in objs if t.uuid not in existing]
        duplicates += [i for i, t in objs if t.uuid in existing]
        Tally.objects.bulk_create(fresh, ignore_conflicts=True)
        for site_id in sorted({allowed.entrances[t.entrance_id] for t in fresh}):
            audit.record(scope.user, "tally.batch", allowed.sites[site_id],
                         {"tallies": [None, sum(1 for t in fresh if allowed.entrances[t.entrance_id] == site_id)]})
    duplicates.sort()
    return IngestResult(received=len(rows), created=len(fresh), duplicate_rows=duplicates)
