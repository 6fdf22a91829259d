"""Writes to households, residents, building heads and responsibilities."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.text import search_key, simplified
from bastion.coverage import selectors
from bastion.coverage.models import (
    Building,
    BuildingHead,
    Household,
    Relation,
    Resident,
    Responsibility,
    TargetKind,
)
from bastion.people.models import Gender, Person
from bastion.people.services import person_create, person_update

UNSET: Any = object()


def _today() -> dt.date:
    return timezone.localdate()


def acting(scope: Scope) -> Scope:
    """The scope to call spine services with once this app has checked the user's right itself.

    A volunteer may register the residents of the households they answer for, although their
    grant does not carry person.change; the audit trail still names them.
    """
    return Scope(user=scope.user, grants=tuple(scope.grants), unrestricted=True)


def _norm(part: str) -> str:
    text = unicodedata.normalize("NFKC", part or "")
    return re.sub(r"\s+", "", simplified(text))


def building_key(street: str, compound: str, number: str) -> str:
    return "|".join(_norm(p) for p in (street, compound, number))


def household_key(building: Building, unit: str, room: str) -> str:
    return f"{building.key}|{_norm(unit)}|{_norm(room)}"


def _check_grid(grid: Area) -> None:
    if grid.kind != AreaKind.GRID:
        raise ValidationError(
            {"grid": _("A household belongs to a grid; %(name)s is not a grid.") % {"name": grid.name}}
        )


def building_get_or_create(*, scope: Scope, grid: Area, street: str, compound: str = "", number: str) -> Building:
    street, compound, number = (street or "").strip(), (compound or "").strip(), (number or "").strip()
    if not street:
        raise ValidationError({"street": _("Give the street and street number.")})
    if not number:
        raise ValidationError({"building": _("Give the building number.")})
    _check_grid(grid)
    scope.require("coverage.change", area=grid)
    key = building_key(street, compound, number)
    with transaction.atomic():
        existing = Building.objects.filter(key=key).select_related("grid").first()
        if existing is not None:
            if existing.grid_id != grid.pk:
                raise ValidationError(
                    {"building": _("This building is already registered in %(grid)s.") % {"grid": existing.grid.name}}
                )
            return existing
        building = Building.objects.create(grid=grid, street=street, compound=compound, number=number, key=key)
        audit.record(scope.user, "building.create", building, plain_diff(audit.diff({}, audit.snapshot(building))))
    return building


BOOKKEEPING = ("key", "search_key", "id")


def plain_diff(changes: dict[str, Any]) -> dict[str, Any]:
    """An audit diff without derived bookkeeping columns (normalised address keys, search keys)."""
    return {k: v for k, v in changes.items() if k not in BOOKKEEPING}


def _duplicate_error(existing: Household) -> ValidationError:
    """A duplicate address: the message names the existing household; `.household_id` points at it."""
    url = reverse("coverage:household", args=[existing.pk])
    error = ValidationError(
        _("This address is already registered as household %(address)s: %(url)s")
        % {"address": str(existing), "url": url},
        code="duplicate",
    )
    error.household_id = existing.pk  # type: ignore[attr-defined]
    return ValidationError({"room": error})


def household_create(
    *,
    scope: Scope,
    grid: Area,
    street: str,
    building: str,
    room: str,
    compound: str = "",
    unit: str = "",
    note: str = "",
) -> Household:
    """Register a household. A duplicate address is refused with a pointer to the existing household."""
    room, unit = (room or "").strip(), (unit or "").strip()
    if not room:
        raise ValidationError({"room": _("Give the room number.")})
    _check_grid(grid)
    scope.require("coverage.change", area=grid)
    with transaction.atomic():
        b = building_get_or_create(scope=scope, grid=grid, street=street, compound=compound, number=building)
        key = household_key(b, unit, room)
        existing = Household.objects.filter(key=key).select_related("building").first()
        if existing is not None:
            raise _duplicate_error(existing)
        household = Household(building=b, grid=grid, unit=unit, room=room, key=key, note=(note or "").strip())
        household.search_key = household_search_key(household)
        try:
            with transaction.atomic():
                household.save()
        except IntegrityError as exc:
            existing = Household.objects.filter(key=key).select_related("building").first()
            if existing is not None:
                raise _duplicate_error(existing) from exc
            raise
        audit.record(scope.user, "household.create", household, plain_diff(audit.diff({}, audit.snapshot(household))))
    return household


def household_search_key(household: Household) -> str:
    b = household.building
    return (
        search_key(b.street, b.compound)
        + " "
        + _norm(f"{b.street}{b.compound}{b.number}{household.unit}{household.room}")
    )[:600]


def _require_household_write(scope: Scope, household: Household) -> None:
    if not selectors.household_writable(scope, household):
        scope.deny(_("You may change only the households you are responsible for."))


def household_update(
    *, scope: Scope, household: Household, unit: str = UNSET, room: str = UNSET, note: str = UNSET
) -> Household:
    _require_household_write(scope, household)
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("building").get(pk=household.pk)
        before = audit.snapshot(household)
        if unit is not UNSET:
            household.unit = (unit or "").strip()
        if room is not UNSET:
            if not (room or "").strip():
                raise ValidationError({"room": _("Give the room number.")})
            household.room = room.strip()
        if note is not UNSET:
            household.note = (note or "").strip()
        household.key = household_key(household.building, household.unit, household.room)
        existing = Household.objects.filter(key=household.key).exclude(pk=household.pk).select_related("building")
        if existing.exists():
            raise _duplicate_error(existing[0])
        household.search_key = household_search_key(household)
        household.save()
        audit.record(
            scope.user, "household.update", household, plain_diff(audit.diff(before, audit.snapshot(household)))
        )
    return household


def resident_add(
    *,
    scope: Scope,
    household: Household,
    relation: str,
    person: Person | None = None,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    gender: str = Gender.UNKNOWN,
    birth_date: dt.date | None = None,
    moved_in: dt.date | None = None,
) -> Resident:
    """Add a resident: an existing person (moved from another household) or a new one."""
    _require_household_write(scope, household)
    if relation not in Relation.values:
        raise ValidationError({"relation": _("Unknown relation “%(value)s”.") % {"value": relation}})
    if moved_in and moved_in > _today():
        raise ValidationError({"moved_in": _("The moving-in date is in the future.")})
    with transaction.atomic():
        if person is None:
            if id_number and Person.objects.filter(id_number=id_number.strip().upper()).exists():
                raise ValidationError(
                    {
                        "id_number": _(
                            "A person with this ID number is already registered; "
                            "choose them instead of entering them again."
                        )
                    }
                )
            person = person_create(
                scope=acting(scope),
                name=name,
                area=household.grid,
                id_number=id_number,
                phone=phone,
                gender=gender,
                birth_date=birth_date,
            )
        current = Resident.objects.filter(person=person, moved_out__isnull=True).select_related("household").first()
        if current is not None:
            if current.household_id == household.pk:
                raise ValidationError({"person": _("%(name)s already lives in this household.") % {"name": person}})
            resident_move_out(scope=scope, resident=current, day=moved_in or _today(), checked=False)
        if (
            relation == Relation.HEAD
            and Resident.objects.filter(household=household, relation=Relation.HEAD, moved_out__isnull=True).exists()
        ):
            raise ValidationError({"relation": _("This household already has a head.")})
        resident = Resident.objects.create(household=household, person=person, relation=relation, moved_in=moved_in)
        if person.area_id != household.grid_id:
            person_update(scope=acting(scope), person=person, area=household.grid)
        audit.record(scope.user, "resident.add", resident, audit.diff({}, audit.snapshot(resident)))
    return resident


def resident_move_out(*, scope: Scope, resident: Resident, day: dt.date, checked: bool = True) -> Resident:
    if checked:
        _require_household_write(scope, resident.household)
    if resident.moved_out is not None:
        raise ValidationError({"moved_out": _("This resident has already moved out.")})
    if resident.moved_in and day < resident.moved_in:
        raise ValidationError({"moved_out": _("A resident cannot move out before moving in.")})
    with transaction.atomic():
        before = audit.snapshot(resident)
        resident.moved_out = day
        resident.save(update_fields=["moved_out", "updated_at"])
        audit.record(scope.user, "resident.move_out", resident, audit.diff(before, audit.snapshot(resident)))
    return resident


def building_head_assign(
    *, scope: Scope, building: Building, person: Person, start: dt.date | None = None
) -> BuildingHead:
    scope.require("coverage.change", area=building.grid)
    start = start or _today()
    if BuildingHead.objects.filter(building=building, person=person, end__isnull=True).exists():
        raise ValidationError({"person": _("%(name)s is already a head of this building.") % {"name": person}})
    with transaction.atomic():
        head = BuildingHead.objects.create(building=building, person=person, start=start)
        audit.record(scope.user, "building_head.assign", head, audit.diff({}, audit.snapshot(head)))
    return head


def building_head_end(*, scope: Scope, head: BuildingHead, end: dt.date) -> BuildingHead:
    scope.require("coverage.change", area=head.building.grid)
    if head.end is not None:
        raise ValidationError({"end": _("This building head has already stepped down.")})
    if end < head.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    with transaction.atomic():
        before = audit.snapshot(head)
        head.end = end
        head.save(update_fields=["end", "updated_at"])
        audit.record(scope.user, "building_head.end", head, audit.diff(before, audit.snapshot(head)))
    return head


def _target_area(
    *, area: Area | None, building: Building | None, household: Household | None, person: Person | None
) -> tuple[str, Area]:
    given = [t for t in (area, building, household, person) if t is not None]
    if len(given) != 1:
        raise ValidationError({"target": _("Choose exactly one area, building, household or person.")})
    if area is not None:
        if area.kind not in (AreaKind.GRID, AreaKind.COMMUNITY, AreaKind.STREET):
            raise ValidationError({"area": _("A member answers for a grid, a community or a street.")})
        return TargetKind.AREA, area
    if building is not None:
        return TargetKind.BUILDING, building.grid
    if household is not None:
        return TargetKind.HOUSEHOLD, household.grid
    assert person is not None  # noqa: S101 - one of the four is given, checked above
    home = selectors.current_household_of(person)
    target_area = home.grid if home else person.area
    if target_area is None:
        raise ValidationError({"person": _("This person has no household or area yet; register them first.")})
    return TargetKind.PERSON, target_area


def responsibility_assign(
    *,
    scope: Scope,
    member: Person,
    area: Area | None = None,
    building: Building | None = None,
    household: Household | None = None,
    person: Person | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Responsibility:
    """Make a member answer for one area (包片), building, household (包戶) or person (包人)."""
    kind, scope_area = _target_area(area=area, building=building, household=household, person=person)
    scope.require("coverage.assign", area=scope_area)
    start = start or _today()
    if end is not None and end < start:
        raise ValidationError({"end": _("A responsibility cannot end before it starts.")})
    if not selectors.is_current_member(member, start):
        raise ValidationError(
            {"member": _("%(name)s is not a current member or volunteer of any branch.") % {"name": member}}
        )
    overlapping = Responsibility.objects.filter(
        member=member, kind=kind, area=area, building=building, household=household, person=person
    ).filter(
        selectors.active_on_q(start) if end is None else ((selectors.active_on_q(start)) | (selectors.active_on_q(end)))
    )
    if overlapping.exists():
        raise ValidationError({"member": _("%(name)s already answers for this then.") % {"name": member}})
    with transaction.atomic():
        resp = Responsibility.objects.create(
            member=member,
            kind=kind,
            area=area,
            building=building,
            household=household,
            person=person,
            scope_area=scope_area,
            start=start,
            end=end,
        )
        audit.record(scope.user, "responsibility.assign", resp, audit.diff({}, audit.snapshot(resp)))
    return resp


def responsibility_end(*, scope: Scope, responsibility: Responsibility, end: dt.date | None = None) -> Responsibility:
    scope.require("coverage.assign", area=responsibility.scope_area)
    end = end or _today()
    if responsibility.end is not None and responsibility.end <= end:
        raise ValidationError({"end": _("This responsibility has already ended.")})
    if end < responsibility.start:
        raise ValidationError({"end": _("A responsibility cannot end before it starts.")})
    with transaction.atomic():
        before = audit.snapshot(responsibility)
        responsibility.end = end
        responsibility.save(update_fields=["end", "updated_at"])
        audit.record(
            scope.user, "responsibility.end", responsibility, audit.diff(before, audit.snapshot(responsibility))
        )
    return responsibility
