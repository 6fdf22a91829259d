"""Writes: check and import a household registry file, export the registry.

Every row is checked as the coverage and people services check it (scope, validation), and what
it creates is written with the same audit events and row history. A check runs the whole import
inside a transaction and rolls it back, so the preview shows exactly what the confirmed import
will do; the confirmed import is one transaction that is rolled back whole on any row error.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.models import AuditEvent
from bastion.core.personal import mask_id, mask_phone, parse_resident_id
from bastion.core.text import search_key
from bastion.coverage import selectors as coverage_selectors
from bastion.coverage.models import Building, Household, Relation, Resident
from bastion.coverage.services import building_key, household_key, household_search_key, plain_diff, resident_add
from bastion.imports.models import BatchStatus, ImportBatch
from bastion.imports.parsing import FIELDS, Issue, Sheet, fold, read_sheet
from bastion.people.models import Gender, Person
from bastion.people.services import clean_identity

# What a service's error field is shown as: the column it came from.
FIELD_COLUMNS = {"birth_date": "id_number", "person": "name", "moved_in": "relation", "area": "grid"}


@dataclass
class Outcome:
    rows: int = 0
    households_created: int = 0
    households_matched: int = 0
    persons_created: int = 0
    persons_matched: int = 0
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "households_created": self.households_created,
            "households_matched": self.households_matched,
            "persons_created": self.persons_created,
            "persons_matched": self.persons_matched,
        }


class _Rollback(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


# -- values -------------------------------------------------------------------------------------------------------


def _choices_index(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    """Folded spelling -> value: the value itself, its label in every language, and common words."""
    index = {fold(k): v for k, v in extra.items()}
    for value, label in choices:
        index[fold(value)] = value
        for language in ("zh-hans", "zh-hant", "en"):
            with translation.override(language):
                index[fold(str(label))] = value
    return index


GENDER_WORDS = {"男": "M", "女": "F", "male": "M", "female": "F", "man": "M", "woman": "F", "未知": "U"}
RELATION_WORDS = {
    "户主": "head", "本人": "head", "自己": "head", "head": "head", "householder": "head",
    "配偶": "spouse", "妻": "spouse", "妻子": "spouse", "夫": "spouse", "丈夫": "spouse", "wife": "spouse",
    "husband": "spouse", "子": "child", "女": "child", "儿子": "child", "女儿": "child", "子女": "child",
    "长子": "child", "长女": "child", "次子": "child", "次女": "child", "son": "child", "daughter": "child",
    "父亲": "parent", "母亲": "parent", "父母": "parent", "father": "parent", "mother": "parent",
    "孙子": "grandchild", "孙女": "grandchild", "外孙": "grandchild", "外孙女": "grandchild",
    "亲属": "relative", "租客": "tenant", "租户": "tenant", "其他": "other",
}


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


class _RowErrors:
    def __init__(self, sheet: Sheet, row: int) -> None:
        self.sheet = sheet
        self.row = row
        self.issues: list[Issue] = []

    def column(self, name: str) -> str:
        name = FIELD_COLUMNS.get(name, name)
        if name in self.sheet.columns:
            return self.sheet.columns[name]
        label = FIELDS.get(name)
        return str(label) if label is not None else ""

    def add(self, name: str, message: str) -> None:
        self.issues.append(Issue(self.row, self.column(name), message))

    def add_exception(self, exc: ValidationError | PermissionDenied, default_field: str = "") -> None:
        if isinstance(exc, PermissionDenied):
            self.add(default_field or "grid", str(exc) or _("You do not have permission to do this here."))
            return
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                for error in errors:
                    for message in error.messages:
                        self.add("" if name == "__all__" else name, str(message))
        else:
            for message in exc.messages:
                self.add(default_field, str(message))


class _Grids:
    """Grids by folded name (and community name + grid name), those the user may change first."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.mine = self._index(Area.objects.filter(scope.area_visible_q("coverage.change"), kind=AreaKind.GRID))
        self._all: dict[str, list[Area]] | None = None

    @staticmethod
    def _index(grids: Any) -> dict[str, list[Area]]:
        grids = list(grids.order_by("path")[:20000])
        parents = {
            a.path: a.name
            for a in Area.objects.filter(path__in={g.path[: -Area.steplen] for g in grids}).only("path", "name")
        }
        index: dict[str, list[Area]] = {}
        for grid in grids:
            keys = {fold(grid.name), fold(parents.get(grid.path[: -Area.steplen], "") + grid.name)}
            if grid.code:
                keys.add(fold(grid.code))
            for key in keys:
                index.setdefault(key, []).append(grid)
        return index

    def resolve(self, text: str, errors: _RowErrors) -> Area | None:
        key = fold(text)
        found = self.mine.get(key, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            errors.add("grid", _("Several grids are named “%(name)s”; write the community before it, "
                                 "e.g. “%(example)s”.") % {"name": text, "example": "仰口路社区第1网格"})
            return None
        if self._all is None:
            self._all = self._index(Area.objects.filter(kind=AreaKind.GRID))
        if self._all.get(key):
            errors.add("grid", _("%(name)s is outside your area.") % {"name": text})
        else:
            errors.add("grid", _("There is no grid named “%(name)s”.") % {"name": text})
        return None


def _clean_row(row: dict[str, Any], errors: _RowErrors, grids: _Grids) -> dict[str, Any] | None:
    values = {name: _text(row.get(name)) for name in FIELDS}
    for name in ("grid", "street", "building", "room", "name", "relation"):
        if not values[name]:
            errors.add(name, _("This cell is empty."))
    raw_id = row.get("id_number")
    if isinstance(raw_id, int | float):
        errors.add("id_number", _("The ID number is stored as a number, which loses its last digits; "
                                  "format the column as text and type it again."))
    gender: str = Gender.UNKNOWN
    if values["gender"]:
        found = GENDERS().get(fold(values["gender"]))
        if found is None:
            errors.add("gender", _("Unknown gender “%(value)s”; write 男 or 女.") % {"value": values["gender"]})
        else:
            gender = found
    relation = ""
    if values["relation"]:
        relation = RELATIONS().get(fold(values["relation"]), "")
        if not relation:
            errors.add("relation", _("Unknown relation “%(value)s”, e.g. 户主, 配偶, 子女, 父母, 租户, 其他.")
                       % {"value": values["relation"]})
    grid = grids.resolve(values["grid"], errors) if values["grid"] else None
    if errors.issues or grid is None:
        return None
    values.update(gender=gender, relation=relation, grid=grid)
    return values


_INDEX_CACHE: dict[str, dict[str, str]] = {}


def GENDERS() -> dict[str, str]:  # noqa: N802 - a lazily built constant
    if "gender" not in _INDEX_CACHE:
        _INDEX_CACHE["gender"] = _choices_index(Gender.choices, GENDER_WORDS)
    return _INDEX_CACHE["gender"]


def RELATIONS() -> dict[str, str]:  # noqa: N802 - a lazily built constant
    if "relation" not in _INDEX_CACHE:
        _INDEX_CACHE["relation"] = _choices_index(Relation.choices, RELATION_WORDS)
    return _INDEX_CACHE["relation"]


# -- the import itself ------------------------------------------------------------------------------------------
#
# A file is checked row by row against the registry as it stands plus the rows before it (the same checks, in
# the same order, as household_create, building_get_or_create, resident_add and person_create make), without
# writing; what the rows create is then written in bulk (full_clean, database constraints, row history, one
# AuditEvent per object, as those services write them). Persons already registered are matched by ID number and
# moved through resident_add itself. Through the services row by row (a dozen queries a row) an import took
# about 8 ms a row; now about 1 ms (bench/imports.py).

_CHUNK = 500  # keys per `IN (...)` query


def _in_chunks(values: Any) -> Any:
    values = list(values)
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


@dataclass
class _Row:
    number: int
    errors: _RowErrors
    v: dict[str, Any]
    id_number: str
    bkey: str = ""  # building_key of the row, computed once (it converts script)


@dataclass
class _Home:
    """A household of the file: registered already (`pk` set) or to be created."""

    household: Household
    has_head: bool
    created: bool


@dataclass
class _Plan:
    buildings: list[Building] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    moves: list[tuple[_Row, Person, _Home]] = field(default_factory=list)


def _clean_or_error(obj: Any, exclude: list[str], errors: _RowErrors) -> bool:
    """Field validation of a row's new object; uniqueness and foreign keys are left to the database."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.add_exception(exc)
        return False
    return True


class _Registry:
    """What the registry holds for the rows of one file, looked up once, plus what earlier rows add."""

    def __init__(self, scope: Scope, rows: list[_Row]) -> None:
        self.scope = scope
        self.buildings: dict[str, Building] = {}
        for keys in _in_chunks({r.bkey for r in rows}):
            for b in Building.objects.filter(key__in=keys).select_related("grid"):
                self.buildings[b.key] = b
        self.households: dict[str, Household] = {}
        hkeys = {household_key(Building(key=r.bkey),
                               r.v["unit"], r.v["room"]) for r in rows}
        for keys in _in_chunks(hkeys):
            for h in Household.objects.filter(key__in=keys).select_related("grid", "building"):
                self.households[h.key] = h
        self.heads: set[int] = set()
        for pks in _in_chunks(h.pk for h in self.households.values()):
            self.heads |= set(
                Resident.objects.filter(household__in=pks, relation=Relation.HEAD, moved_out__isnull=True)
                .values_list("household_id", flat=True)
            )
        self.persons: dict[str, Person] = {}
        for numbers in _in_chunks({r.id_number for r in rows if r.id_number}):
            for p in Person.objects.filter(id_number__in=numbers):
                self.persons[p.id_number or ""] = p
        self.current: dict[int, Resident] = {}
        for pks in _in_chunks(p.pk for p in self.persons.values()):
            for r in Resident.objects.filter(person__in=pks, moved_out__isnull=True).select_related("household"):
                self.current[r.person_id] = r
        self.planned: dict[str, _Home] = {}  # households earlier rows create, by address key
        self._writable: dict[int, bool] = {}
        self._may_create: dict[int, PermissionDenied | None] = {}

    def writable(self, household: Household) -> bool:
        if household.pk not in self._writable:
            self._writable[household.pk] = coverage_selectors.household_writable(self.scope, household)
        return self._writable[household.pk]

    def may_create(self, grid: Area) -> PermissionDenied | None:
        """household_create's and building_get_or_create's scope check, once per grid."""
        if grid.pk not in self._may_create:
            try:
                self.scope.require("coverage.change", area=grid)
            except PermissionDenied as exc:
                self._may_create[grid.pk] = exc
            else:
                self._may_create[grid.pk] = None
        return self._may_create[grid.pk]


def _existing_home(reg: _Registry, row: _Row) -> _Home | None:
    """_find_household: the registered household at the row's address, if the user may add to it."""
    v, errors = row.v, row.errors
    bkey = row.bkey
    building = reg.buildings.get(bkey)
    if building is None:
        return None
    key = household_key(building, v["unit"], v["room"])
    if key in reg.planned:
        planned = reg.planned[key]
        if planned.household.grid_id != v["grid"].pk:
            errors.add("grid", _("This address is registered in %(grid)s.") % {"grid": planned.household.grid.name})
            return None
        return planned
    household = reg.households.get(key)
    if household is None:
        return None
    if household.grid_id != v["grid"].pk:
        errors.add("grid", _("This address is registered in %(grid)s.") % {"grid": household.grid.name})
        return None
    if not reg.writable(household):
        errors.add("grid", _("You may change only the households you are responsible for."))
        return None
    return _Home(household, household.pk in reg.heads, created=False)


def _new_home(reg: _Registry, row: _Row) -> tuple[_Home, Building | None] | None:
    """household_create's checks; the household (and building) to create, or None with the row's error."""
    v, errors = row.v, row.errors
    denied = reg.may_create(v["grid"])
    if denied is not None:
        errors.add_exception(denied)
        return None
    bkey = row.bkey
    building = reg.buildings.get(bkey)
    new_building = None
    if building is not None and building.grid_id != v["grid"].pk:
        errors.add("building", _("This building is already registered in %(grid)s.") % {"grid": building.grid.name})
        return None
    if building is None:
        new_building = building = Building(grid=v["grid"], street=v["street"].strip(), compound=v["compound"].strip(),
                                           number=v["building"].strip(), key=bkey)
        if not _clean_or_error(building, ["grid"], errors):
            return None
    household = Household(building=building, grid=v["grid"], unit=v["unit"].strip(), room=v["room"].strip(),
                          key=household_key(building, v["unit"], v["room"]), note="")
    household.search_key = household_search_key(household)
    if not _clean_or_error(household, ["grid", "building", "search_key"], errors):
        return None
    return _Home(household, False, created=True), new_building


def _audited(events: list[AuditEvent], user: Any, verb: str, objs: list[Any], plain: bool) -> None:
    """Append the creation events a service would write for these objects (bulk-created later)."""
    for obj in objs:
        changes = audit.diff({}, audit.snapshot(obj))
        events.append(AuditEvent(actor=user, verb=verb, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                                 object_repr=str(obj)[:200], diff=plain_diff(changes) if plain else changes))


def _write(scope: Scope, plan: _Plan, out: Outcome) -> None:
    """Insert what the rows create, with row history and the audit events their services would write."""
    user = scope.user if getattr(scope.user, "is_authenticated", False) else None
    events: list[AuditEvent] = []

    Building.objects.bulk_create(plan.buildings, batch_size=_CHUNK)
    Building.history.bulk_history_create(plan.buildings, batch_size=_CHUNK, default_user=user)
    _audited(events, user, "building.create", plan.buildings, plain=True)
    Household.objects.bulk_create(plan.households, batch_size=_CHUNK)
    Household.history.bulk_history_create(plan.households, batch_size=_CHUNK, default_user=user)
    _audited(events, user, "household.create", plan.households, plain=True)
    # Registered persons move through resident_add itself (moving out of the old household, audit, history),
    # before the new residents go in: a head who moves out makes room for the new head the file names.
    for row, person, home in plan.moves:
        try:
            resident_add(scope=scope, household=home.household, relation=row.v["relation"], person=person)
        except (ValidationError, PermissionDenied) as exc:
            row.errors.add_exception(exc)
            out.issues += row.errors.issues
    if out.issues:
        return
    Person.objects.bulk_create(plan.persons, batch_size=_CHUNK)
    Person.history.bulk_history_create(plan.persons, batch_size=_CHUNK, default_user=user)
    _audited(events, user, "person.create", plan.persons, plain=False)
    Resident.objects.bulk_create(plan.residents, batch_size=_CHUNK)
    Resident.history.bulk_history_create(plan.residents, batch_size=_CHUNK, default_user=user)
    _audited(events, user, "resident.add", plan.residents, plain=False)
    AuditEvent.objects.bulk_create(events, batch_size=_CHUNK)


def _import_rows(*, scope: Scope, sheet: Sheet) -> Outcome:
    """Check every row, then write what they create inside the caller's transaction; collect every problem."""
    out = Outcome(rows=len(sheet.rows), issues=list(sheet.issues))
    grids = _Grids(scope)
    seen_ids: dict[str, int] = {}
    rows: list[_Row] = []
    for cells in sheet.rows:
        errors = _RowErrors(sheet, cells["_row"])
        v = _clean_row(cells, errors, grids)
        id_number = ""
        if v is not None and v["id_number"]:
            try:
                id_number = parse_resident_id(v["id_number"]).number
            except ValidationError as exc:
                errors.add_exception(exc, "id_number")
            else:
                if id_number in seen_ids:
                    errors.add("id_number", _("The same ID number as in row %(row)d.") % {"row": seen_ids[id_number]})
                seen_ids.setdefault(id_number, cells["_row"])
        if v is None or errors.issues:
            out.issues += errors.issues
            continue
        rows.append(_Row(cells["_row"], errors, v, id_number, building_key(v["street"], v["compound"], v["building"])))

    reg = _Registry(scope, rows)
    plan = _Plan()
    homes: dict[tuple[Any, ...], _Home] = {}
    matched_households: set[int] = set()
    for row in rows:
        v, errors = row.v, row.errors
        address = (v["grid"].pk, row.bkey, fold(v["unit"]), fold(v["room"]))
        home = homes.get(address)
        new_building = None
        fresh = False
        if home is None:
            home = _existing_home(reg, row)
            if home is None and not errors.issues:
                made = _new_home(reg, row)
                if made is not None:
                    (home, new_building), fresh = made, True
        if home is None or errors.issues:
            out.issues += errors.issues
            continue
        # resident_add's checks: the household may be changed (a new one: household_create checked), the relation.
        person = reg.persons.get(row.id_number) if row.id_number else None
        new_person = None
        warnings: list[str] = []
        moving: Resident | None = None
        if person is not None:
            if fold(person.name) != fold(v["name"]):
                errors.add("id_number", _("This ID number is registered to a person with another name; "
                                          "check the number and the name."))
            else:
                current = reg.current.get(person.pk)
                if current is None or home.created or current.household_id != home.household.pk:
                    moving = current
                    if v["relation"] == Relation.HEAD and home.has_head:
                        errors.add("relation", _("This household already has a head."))
                else:
                    person = None  # lives here already: matched, nothing to write
        else:
            try:
                identity, warnings = clean_identity(id_number=row.id_number, phone=v["phone"], gender=v["gender"],
                                                     birth_date=None)
            except ValidationError as exc:
                errors.add_exception(exc)
            else:
                name = v["name"].strip()
                new_person = Person(name=name, area=v["grid"], search_key=search_key(name), **identity)
                clean = _clean_or_error(new_person, ["area", "search_key"], errors)
                if clean and v["relation"] == Relation.HEAD and home.has_head:
                    errors.add("relation", _("This household already has a head."))
                resident = Resident(household=home.household, person=new_person, relation=v["relation"])
                if not errors.issues:
                    _clean_or_error(resident, ["household", "person"], errors)
        if errors.issues:
            out.issues += errors.issues
            continue
        # The row is good: what it adds is seen by the rows after it.
        homes[address] = home
        if fresh:
            plan.households.append(home.household)
            out.households_created += 1
            reg.planned[home.household.key] = home
        if new_building is not None:
            plan.buildings.append(new_building)
            reg.buildings[new_building.key] = new_building
        if not home.created and home.household.pk not in matched_households:
            matched_households.add(home.household.pk)
            out.households_matched += 1
        if v["relation"] == Relation.HEAD and (new_person is not None or person is not None):
            home.has_head = True
        if new_person is not None:
            plan.persons.append(new_person)
            plan.residents.append(resident)
            out.persons_created += 1
            for warning in warnings:
                out.warnings.append(Issue(row.number, errors.column("id_number"), warning))
        else:
            out.persons_matched += 1
            if person is not None:
                plan.moves.append((row, person, home))
                if moving is not None:
                    reg.current.pop(person.pk)
                    if moving.relation == Relation.HEAD:
                        reg.heads.discard(moving.household_id)
                        for other in homes.values():
                            if other.household.pk == moving.household_id:
                                other.has_head = False

    if not out.issues:
        try:
            with transaction.atomic():
                _write(scope, plan, out)
        except IntegrityError:
            # Someone registered one of the file's addresses or ID numbers between its look-ups and its writes.
            out.issues.append(Issue(1, "", _("The registry changed while this file was being imported, so nothing "
                                             "was written; check the file again.")))
    out.issues.sort(key=lambda i: i.row)
    return out


def households_check(*, scope: Scope, file_name: str, content: bytes) -> Outcome:
    """What importing the file would do, and every problem in it; nothing is written."""
    scope.require("imports.upload")
    sheet = read_sheet(file_name, content)
    try:
        with transaction.atomic():
            raise _Rollback(_import_rows(scope=scope, sheet=sheet))
    except _Rollback as done:
        return done.outcome


def _store(batch: ImportBatch, outcome: Outcome) -> None:
    for name, value in outcome.counts.items():
        setattr(batch, name, value)
    batch.errors = [i.as_dict() for i in outcome.issues[:1000]]
    batch.warnings = [i.as_dict() for i in outcome.warnings[:1000]]


def batch_upload(*, scope: Scope, file_name: str, content: bytes) -> ImportBatch:
    """Keep the uploaded file with the result of its check; a file that cannot be read at all is refused."""
    if scope.user is None:
        raise ValidationError({"user": _("An import is made by a named user.")})
    file_name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "upload"
    outcome = households_check(scope=scope, file_name=file_name, content=content)
    batch = ImportBatch(
        user=scope.user,
        file_name=file_name,
        content=content,
        status=BatchStatus.INVALID if outcome.issues else BatchStatus.READY,
    )
    _store(batch, outcome)
    batch.full_clean()
    with transaction.atomic():
        batch.save()
        audit.record(scope.user, "import.upload", batch, {"file_name": file_name, **outcome.counts,
                                                          "errors": len(outcome.issues)})
    return batch


def batch_confirm(*, scope: Scope, batch: ImportBatch) -> ImportBatch:
    """Import every row in one transaction; if any row fails now, nothing is written and the batch shows why."""
    scope.require("imports.upload")
    if batch.user_id != getattr(scope.user, "pk", None) and not scope.unrestricted:
        scope.deny(_("Only the person who uploaded a file may import it."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BatchStatus.READY:
            raise ValidationError({"status": _("This file has errors or was imported already.")})
        sheet = read_sheet(batch.file_name, bytes(batch.content))
        try:
            with transaction.atomic():
                outcome = _import_rows(scope=scope, sheet=sheet)
                if outcome.issues:
                    raise _Rollback(outcome)
                _store(batch, outcome)
                batch.status = BatchStatus.IMPORTED
                batch.imported_at = timezone.now()
                batch.save()
                audit.record(scope.user, "import.confirm", batch, outcome.counts)
        except _Rollback as failed:
            _store(batch, failed.outcome)
            batch.status = BatchStatus.INVALID
            batch.save()
    return batch


# -- export -----------------------------------------------------------------------------------------------------


def _safe(cell_value: Any, sheet: Any) -> Any:
    """Text that starts with = stays text: a name must never become a formula in someone's Excel."""
    if isinstance(cell_value, str) and cell_value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=cell_value)
        cell.data_type = "s"
        return cell
    return cell_value


def households_export(*, scope: Scope, area: Area | None = None) -> tuple[bytes, int]:
    """The household registry (one row per current resident) as .xlsx, with the import template's columns.

    ID numbers and phones are masked unless the user may reveal them in that grid. Writes an AuditEvent.
    """
    from openpyxl import Workbook

    if area is not None:
        scope.require("export", area=area)
    elif not scope.has("export"):
        scope.deny()
    reveal_paths = [] if scope.unrestricted else scope.area_paths("person.reveal")
    can_reveal = scope.has("person.reveal")

    def revealed(grid: Area) -> bool:
        return can_reveal and (scope.unrestricted or any(grid.path.startswith(p) for p in reveal_paths))

    households = (
        coverage_selectors.household_list(scope=scope, area=area)
        .filter(scope.area_q("export", "grid"))
        .prefetch_related("residents__person")
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(_("Households"))[:31])
    sheet.append([str(label) for label in FIELDS.values()])
    rows = shown = 0
    genders = dict(Gender.choices)
    relations = dict(Relation.choices)
    for household in households.iterator(chunk_size=500):
        b = household.building
        address = [household.grid.name, b.street, b.compound, b.number, household.unit, household.room]
        residents = sorted(
            (r for r in household.residents.all() if r.moved_out is None),
            key=lambda r: (r.relation != Relation.HEAD, r.pk),
        )
        if not residents:
            sheet.append([_safe(v, sheet) for v in address] + ["", "", "", "", ""])
            rows += 1
            continue
        clear = revealed(household.grid)
        for resident in residents:
            p = resident.person
            id_text = (p.id_number or "") if clear else mask_id(p.id_number)
            phone = (p.phone or "") if clear else mask_phone(p.phone)
            shown += bool(clear and (p.id_number or p.phone))
            gender = str(genders.get(p.gender, "")) if p.gender != Gender.UNKNOWN else ""
            values = address + [p.name, gender, id_text, phone, str(relations.get(resident.relation, ""))]
            sheet.append([_safe(v, sheet) for v in values])
            rows += 1
    buffer = io.BytesIO()
    book.save(buffer)
    # Who took which registry out of the system, and whether with identifiers in clear.
    AuditEvent.objects.create(
        actor=scope.user if getattr(scope.user, "is_authenticated", False) else None,
        verb="household.export",
        object_type="areas.area" if area is not None else "coverage.household",
        object_id=str(area.pk) if area is not None else "",
        object_repr=(area.name if area is not None else str(_("All households in scope")))[:200],
        diff={"rows": rows, "identifiers_revealed": shown},
    )
    return buffer.getvalue(), rows


def template_workbook() -> bytes:
    """An empty registry with the columns in the user's language; the ID column is text so no digit is lost."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.create_sheet(index=0)
    book.remove(book.worksheets[1])  # the default sheet; openpyxl types `active` as optional
    sheet.title = str(_("Households"))[:31]
    for index, (name, label) in enumerate(FIELDS.items(), start=1):
        cell = sheet.cell(row=1, column=index, value=str(label))
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 22 if name in ("id_number", "street", "grid") else 12
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
