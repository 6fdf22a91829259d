"""Reads of households, residents and responsibilities, always filtered by a Scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bastion.access.scope import NOTHING, Scope
from bastion.areas.models import Area, AreaKind
from bastion.core.text import normalise_query
from bastion.coverage.models import Building, BuildingHead, Household, Resident, Responsibility, TargetKind
from bastion.orgs.models import Organization
from bastion.people.models import Membership, Person

MAX_TREE_DEPTH = 6


def _today() -> dt.date:
    return timezone.localdate()


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


# -- what the signed-in member answers for -------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The active responsibilities of one member, split by kind."""

    area_paths: tuple[str, ...] = ()
    building_ids: tuple[int, ...] = ()
    household_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.area_paths or self.building_ids or self.household_ids or self.person_ids)

    def household_q(self, prefix: str = "") -> Q:
        """Households (via prefix, e.g. "household__") covered by these responsibilities."""
        q = NOTHING
        if self.household_ids:
            q |= Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": list(self.household_ids)})
        if self.building_ids:
            q |= Q(**{f"{prefix}building_id__in": list(self.building_ids)})
        for path in self.area_paths:
            q |= Q(**{f"{prefix}grid__path__startswith": path})
        return q


def member_targets(member: Person | None, day: dt.date | None = None) -> Targets:
    if member is None:
        return Targets()
    rows = Responsibility.objects.filter(active_on_q(day or _today()), member=member).values_list(
        "kind", "area__path", "building_id", "household_id", "person_id"
    )
    paths, buildings, households, persons = [], [], [], []
    for kind, path, building_id, household_id, person_id in rows:
        if kind == TargetKind.AREA:
            paths.append(path)
        elif kind == TargetKind.BUILDING:
            buildings.append(building_id)
        elif kind == TargetKind.HOUSEHOLD:
            households.append(household_id)
        else:
            persons.append(person_id)
    return Targets(tuple(paths), tuple(buildings), tuple(households), tuple(persons))


def scope_targets(scope: Scope) -> Targets:
    """The signed-in user's own responsibilities, resolved once per scope (one query)."""
    if "coverage.targets" not in scope._cache:
        person = getattr(scope.user, "person", None) if scope.user is not None else None
        scope._cache["coverage.targets"] = member_targets(person)
    targets: Targets = scope._cache["coverage.targets"]
    return targets


def own_record_q(
    scope: Scope, *, person_field: str = "person", household_field: str = "household", grid_field: str = "grid"
) -> Q:
    """Records (visits, isolations, …) of households and persons the user answers for."""
    t = scope_targets(scope)
    q = NOTHING
    if t.person_ids:
        q |= Q(**{f"{person_field}_id__in": list(t.person_ids)})
    if t.household_ids:
        q |= Q(**{f"{household_field}_id__in": list(t.household_ids)})
    if t.building_ids:
        q |= Q(**{f"{household_field}__building_id__in": list(t.building_ids)})
    for path in t.area_paths:
        q |= Q(**{f"{grid_field}__path__startswith": path})
    return q


def own_person_q(scope: Scope) -> Q:
    """Persons the user answers for: directly, or as residents of a household they answer for."""
    t = scope_targets(scope)
    q = NOTHING
    if t.person_ids:
        q |= Q(pk__in=list(t.person_ids))
    hh = t.household_q()
    if not t.empty and (t.household_ids or t.building_ids or t.area_paths):
        q |= Q(
            pk__in=Resident.objects.filter(moved_out__isnull=True, household__in=Household.objects.filter(hh)).values(
                "person_id"
            )
        )
    return q


def household_visible_q(scope: Scope, perm: str = "coverage.view") -> Q:
    q = scope.area_q(perm, "grid")
    if scope.unrestricted:
        return q
    return q | scope_targets(scope).household_q()


def household_writable(scope: Scope, household: Household) -> bool:
    if scope.has("coverage.change") and (
        scope.unrestricted or any(household.grid.path.startswith(p) for p in scope.area_paths("coverage.change"))
    ):
        return True
    return (
        scope.has("coverage.change_own")
        and Household.objects.filter(scope_targets(scope).household_q(), pk=household.pk).exists()
    )


def person_writable(scope: Scope, person: Person) -> bool:
    if scope.has("coverage.change") and (
        scope.unrestricted
        or (
            person.area is not None and any(person.area.path.startswith(p) for p in scope.area_paths("coverage.change"))
        )
    ):
        return True
    return scope.has("coverage.change_own") and Person.objects.filter(own_person_q(scope), pk=person.pk).exists()


# -- households ------------------------------------------------------------------------------------------------


def household_list(
    *, scope: Scope, area: Area | None = None, query: str = "", uncovered: bool = False
) -> QuerySet[Household]:
    qs = Household.objects.filter(household_visible_q(scope)).select_related("building", "grid")
    if area is not None:
        qs = qs.filter(grid__path__startswith=area.path)
    if query:
        qs = qs.filter(search_key__contains=normalise_query(query).replace(" ", ""))
    if uncovered:
        qs = qs.filter(uncovered_household_q())
    return qs.order_by("building__street", "building__compound", "building__number", "unit", "room", "pk")


def household_get(*, scope: Scope, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.filter(household_visible_q(scope)).select_related("building", "grid"), pk=pk
    )


def resident_list(*, household: Household, current: bool = True) -> QuerySet[Resident]:
    qs = Resident.objects.filter(household=household).select_related("person")
    if current:
        qs = qs.filter(moved_out__isnull=True)
    return qs.order_by("relation", "person__name")


def current_household_of(person: Person) -> Household | None:
    res = Resident.objects.filter(person=person, moved_out__isnull=True).select_related("household__grid").first()
    return res.household if res else None


def building_list(*, scope: Scope, area: Area | None = None) -> QuerySet[Building]:
    qs = Building.objects.filter(scope.area_q("coverage.view", "grid")).select_related("grid")
    if area is not None:
        qs = qs.filter(grid__path__startswith=area.path)
    return qs.annotate(n_households=Count("households")).order_by("street", "compound", "number")


def building_head_list(
    *, scope: Scope, building: Building | None = None, current: bool = True, person: Person | None = None
) -> QuerySet[BuildingHead]:
    qs = BuildingHead.objects.filter(scope.area_q("coverage.view", "building__grid")).select_related(
        "person", "building"
    )
    if building is not None:
        qs = qs.filter(building=building)
    if person is not None:
        qs = qs.filter(person=person)
    if current:
        qs = qs.filter(end__isnull=True)
    return qs.order_by("building__street", "building__number")


# -- responsibilities ------------------------------------------------------------------------------------------


def responsibility_list(
    *,
    scope: Scope,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    member: Person | None = None,
    area: Area | None = None,
    household: Household | None = None,
    current: bool = False,
) -> QuerySet[Responsibility]:
    """Responsibilities in scope that overlap the period (all of them when no period is given).

    Count members with `.values("member_id").distinct()`.
    """
    qs = Responsibility.objects.filter(scope.area_q("coverage.view", "scope_area"))
    if not scope.unrestricted and scope.has("coverage.view"):
        person = getattr(scope.user, "person", None)
        if person is not None:
            qs = Responsibility.objects.filter(scope.area_q("coverage.view", "scope_area") | Q(member=person))
    if period_end is not None:
        qs = qs.filter(start__lte=period_end)
    if period_start is not None:
        qs = qs.filter(Q(end__isnull=True) | Q(end__gte=period_start))
    if current:
        qs = qs.filter(active_on_q(_today()))
    if member is not None:
        qs = qs.filter(member=member)
    if area is not None:
        qs = qs.filter(scope_area__path__startswith=area.path)
    if household is not None:
        qs = qs.filter(
            Q(household=household)
            | Q(building_id=household.building_id)
            | Q(person__residences__household=household, person__residences__moved_out__isnull=True)
            | Q(kind=TargetKind.AREA, area__in=_ancestor_ids(household.grid))
        )
    return qs.select_related("member", "area", "building", "household__building", "person").order_by("-start", "pk")


def responsibility_get(*, scope: Scope, pk: int) -> Responsibility:
    return get_object_or_404(responsibility_list(scope=scope), pk=pk)


def _ancestor_ids(area: Area) -> list[int]:
    steplen = Area.steplen
    paths = [area.path[: steplen * i] for i in range(1, len(area.path) // steplen + 1)]
    return list(Area.objects.filter(path__in=paths).values_list("pk", flat=True))


def _area_covers_grid_q(day: dt.date, grid_path_ref: str) -> Exists:
    """An active area responsibility on the grid or one of its ancestors (grid path given as an OuterRef)."""
    steplen = Area.steplen
    prefix = Q(pk__in=[])
    for depth in range(1, MAX_TREE_DEPTH + 1):
        prefix |= Q(area__path=Substr(OuterRef(grid_path_ref), 1, steplen * depth))
    return Exists(Responsibility.objects.filter(active_on_q(day), prefix, kind=TargetKind.AREA))


def uncovered_household_q(day: dt.date | None = None, prefix: str = "") -> Q:
    """Households (via prefix) that no active responsibility covers: not the household, its building or its area."""
    day = day or _today()
    pk_ref = f"{prefix}pk" if not prefix else f"{prefix}id"
    return Q(
        ~Exists(Responsibility.objects.filter(active_on_q(day), household_id=OuterRef(pk_ref)))
        & ~Exists(Responsibility.objects.filter(active_on_q(day), building_id=OuterRef(f"{prefix}building_id")))
        & ~_area_covers_grid_q(day, f"{prefix}grid__path")
    )


def uncovered_record_q(
    day: dt.date | None = None,
    *,
    person_field: str = "person",
    household_field: str = "household",
    grid_field: str = "grid",
) -> Q:
    """Records (isolations, visits, tasks) about a person nobody answers for: no responsibility on the person,
    their household, its building or an area above the record's grid. Evaluated per row, without scanning persons.
    """
    day = day or _today()
    active = Responsibility.objects.filter(active_on_q(day))
    return Q(
        ~Exists(active.filter(person_id=OuterRef(f"{person_field}_id")))
        & ~Exists(active.filter(household_id=OuterRef(f"{household_field}_id")))
        & ~Exists(active.filter(building_id=OuterRef(f"{household_field}__building_id")))
        & ~_area_covers_grid_q(day, f"{grid_field}__path")
    )


def overloaded_members(*, scope: Scope, area: Area, threshold: int, day: dt.date | None = None) -> list[dict[str, Any]]:
    """Members answering for more than `threshold` households in the area. A fixed number of queries."""
    day = day or _today()
    rows = list(
        Responsibility.objects.filter(
            scope.area_q("coverage.view", "scope_area"), active_on_q(day), scope_area__path__startswith=area.path
        )
        .exclude(kind=TargetKind.PERSON)
        .values("member_id", "member__name", "kind", "area__path", "building_id", "household_id")
    )
    by_building = dict(
        Household.objects.filter(grid__path__startswith=area.path)
        .values("building_id")
        .annotate(n=Count("pk"))
        .values_list("building_id", "n")
    )
    by_grid = list(
        Household.objects.filter(grid__path__startswith=area.path)
        .values("grid__path")
        .annotate(n=Count("pk"))
        .values_list("grid__path", "n")
    )
    totals: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = totals.setdefault(
            row["member_id"], {"member_id": row["member_id"], "name": row["member__name"], "households": 0}
        )
        if row["kind"] == TargetKind.HOUSEHOLD:
            entry["households"] += 1
        elif row["kind"] == TargetKind.BUILDING:
            entry["households"] += by_building.get(row["building_id"], 0)
        else:
            entry["households"] += sum(n for path, n in by_grid if path.startswith(row["area__path"]))
    return sorted((e for e in totals.values() if e["households"] > threshold), key=lambda e: -e["households"])


def coverage_summary(*, scope: Scope, area: Area, day: dt.date | None = None) -> dict[str, int]:
    day = day or _today()
    households = Household.objects.filter(household_visible_q(scope), grid__path__startswith=area.path)
    return {
        "households": households.count(),
        "uncovered": households.filter(uncovered_household_q(day)).count(),
    }


def member_choices(*, scope: Scope, area: Area, query: str = "") -> QuerySet[Person]:
    """Members and volunteers (current memberships) of organisations in or covering the area, in scope."""
    today = _today()
    orgs = (
        Organization.objects.filter(scope.org_visible_q("org.view"))
        .filter(
            Q(area__path__startswith=area.path)
            | Q(covered_areas__path__startswith=area.path)
            | Q(area__in=_ancestor_ids(area), kind__in=["community_committee", "street_committee"])
        )
        .values("pk")
    )
    members = (
        Membership.objects.filter(organization__in=orgs)
        .filter(Q(start__isnull=True) | Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))
        .values("person_id")
    )
    qs = Person.objects.filter(pk__in=members)
    if query:
        qs = qs.filter(search_key__contains=normalise_query(query))
    return qs.order_by("name", "pk")


def is_current_member(person: Person, day: dt.date | None = None) -> bool:
    day = day or _today()
    return Membership.objects.filter(
        Q(start__isnull=True) | Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day), person=person
    ).exists()


def coverage_areas(*, scope: Scope) -> QuerySet[Area]:
    """Streets, communities and grids the scope may see the coverage of."""
    return Area.objects.filter(
        scope.area_visible_q("coverage.view"),
        kind__in=[AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID],
    ).order_by("path")
