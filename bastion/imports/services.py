"""Writes: check and import a household registry file, export the registry.

Every row goes through the coverage and people services (scope, validation, audit, history).
A check runs the whole import inside a transaction and rolls it back, so the preview shows
exactly what the confirmed import will do; the confirmed import is one transaction that is
rolled back whole on any row error.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.models import AuditEvent
from bastion.core.personal import mask_id, mask_phone, parse_resident_id
from bastion.coverage import selectors as coverage_selectors
from bastion.coverage.models import Building, Household, Relation, Resident
from bastion.coverage.services import building_key, household_create, household_key, resident_add
from bastion.imports.models import BatchStatus, ImportBatch
from bastion.imports.parsing import FIELDS, Issue, Sheet, fold, read_sheet
from bastion.people.models import Gender, Person

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


def _find_household(scope: Scope, v: dict[str, Any], errors: _RowErrors) -> Household | None:
    building = Building.objects.filter(key=building_key(v["street"], v["compound"], v["building"])).first()
    if building is None:
        return None
    household = (
        Household.objects.filter(key=household_key(building, v["unit"], v["room"]))
        .select_related("grid", "building")
        .first()
    )
    if household is None:
        return None
    if household.grid_id != v["grid"].pk:
        errors.add("grid", _("This address is registered in %(grid)s.") % {"grid": household.grid.name})
        raise ValidationError("")
    if not coverage_selectors.household_writable(scope, household):
        errors.add("grid", _("You may change only the households you are responsible for."))
        raise ValidationError("")
    return household


def _import_rows(*, scope: Scope, sheet: Sheet) -> Outcome:
    """Run every row through the services inside the caller's transaction; collect every problem."""
    out = Outcome(rows=len(sheet.rows), issues=list(sheet.issues))
    grids = _Grids(scope)
    households: dict[tuple[Any, ...], Household] = {}
    matched_households: set[int] = set()
    created_households: set[int] = set()
    seen_ids: dict[str, int] = {}
    for row in sheet.rows:
        errors = _RowErrors(sheet, row["_row"])
        v = _clean_row(row, errors, grids)
        id_number = ""
        if v is not None and v["id_number"]:
            try:
                id_number = parse_resident_id(v["id_number"]).number
            except ValidationError as exc:
                errors.add_exception(exc, "id_number")
            else:
                if id_number in seen_ids:
                    errors.add("id_number", _("The same ID number as in row %(row)d.") % {"row": seen_ids[id_number]})
                seen_ids.setdefault(id_number, row["_row"])
        if v is None or errors.issues:
            out.issues += errors.issues
            continue
        address = (v["grid"].pk, building_key(v["street"], v["compound"], v["building"]), fold(v["unit"]),
                   fold(v["room"]))
        savepoint = transaction.savepoint()
        created_household = created_person = matched_person = False
        try:
            household = households.get(address)
            if household is None:
                household = _find_household(scope, v, errors)
                if household is None:
                    household = household_create(
                        scope=scope, grid=v["grid"], street=v["street"], compound=v["compound"],
                        building=v["building"], unit=v["unit"], room=v["room"],
                    )
                    created_household = True
            existing = Person.objects.filter(id_number=id_number).first() if id_number else None
            if existing is not None:
                if fold(existing.name) != fold(v["name"]):
                    errors.add("id_number", _("This ID number is registered to a person with another name; "
                                              "check the number and the name."))
                    raise ValidationError("")
                matched_person = True
                current = Resident.objects.filter(person=existing, moved_out__isnull=True).first()
                if current is None or current.household_id != household.pk:
                    resident_add(scope=scope, household=household, relation=v["relation"], person=existing)
            else:
                resident = resident_add(
                    scope=scope, household=household, relation=v["relation"], name=v["name"],
                    id_number=id_number, phone=v["phone"], gender=v["gender"],
                )
                created_person = True
                for warning in getattr(resident.person, "validation_warnings", []):
                    out.warnings.append(Issue(row["_row"], errors.column("id_number"), warning))
        except (ValidationError, PermissionDenied) as exc:
            transaction.savepoint_rollback(savepoint)
            if not errors.issues:
                errors.add_exception(exc)
            out.issues += errors.issues
            continue
        transaction.savepoint_commit(savepoint)
        households[address] = household
        if created_household:
            created_households.add(household.pk)
            out.households_created += 1
        elif household.pk not in matched_households and household.pk not in created_households:
            matched_households.add(household.pk)
            out.households_matched += 1
        out.persons_created += created_person
        out.persons_matched += matched_person
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
