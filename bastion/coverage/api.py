"""Households, residents, building heads and responsibilities over JSON.

Scope: a volunteer reads their grid and writes the households they answer for; a community worker
reads and writes the community; and so on up. ID numbers and phones are masked in every response.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.areas.selectors import area_get
from bastion.core.apiutil import fields_renamed, referenced
from bastion.coverage import conf, selectors, services
from bastion.coverage.models import Building, BuildingHead, Household, Relation, Resident, Responsibility, TargetKind
from bastion.people.models import Gender, Person
from bastion.people.selectors import person_get

router = Router(tags=["coverage"])

FIELDS = {
    "grid": "grid_id",
    "area": "area_id",
    "building": "building_id",
    "household": "household_id",
    "person": "person_id",
    "member": "member_id",
}


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


class HouseholdOut(Schema):
    id: int
    address: str
    grid_id: int
    building_id: int
    street: str
    compound: str
    building: str
    unit: str
    room: str
    note: str

    @staticmethod
    def resolve_street(obj: Household) -> str:
        return obj.building.street

    @staticmethod
    def resolve_compound(obj: Household) -> str:
        return obj.building.compound

    @staticmethod
    def resolve_building(obj: Household) -> str:
        return obj.building.number


class HouseholdIn(Schema):
    grid_id: int
    street: str = Field(..., min_length=1, max_length=100)
    compound: str = Field("", max_length=100)
    building: str = Field(..., min_length=1, max_length=40)
    unit: str = Field("", max_length=20)
    room: str = Field(..., min_length=1, max_length=20)
    note: str = Field("", max_length=200)


class HouseholdPatch(Schema):
    unit: str | None = Field(None, max_length=20)
    room: str | None = Field(None, min_length=1, max_length=20)
    note: str | None = Field(None, max_length=200)


class ResidentOut(Schema):
    id: int
    household_id: int
    person_id: int
    name: str
    relation: Relation
    id_number_masked: str
    moved_in: dt.date | None
    moved_out: dt.date | None

    @staticmethod
    def resolve_name(obj: Resident) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: Resident) -> str:
        return obj.person.id_masked


class ResidentIn(Schema):
    relation: Relation
    person_id: int | None = Field(None, description="An already registered person; else give name and identity.")
    name: str = Field("", max_length=100)
    id_number: str = Field("", max_length=30)
    phone: str = Field("", max_length=30)
    gender: Gender = Gender.UNKNOWN
    birth_date: dt.date | None = None
    moved_in: dt.date | None = None


class ResponsibilityOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: TargetKind
    area_id: int | None
    building_id: int | None
    household_id: int | None
    person_id: int | None
    scope_area_id: int
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_member_name(obj: Responsibility) -> str:
        return obj.member.name


class ResponsibilityIn(Schema):
    member_id: int
    area_id: int | None = None
    building_id: int | None = None
    household_id: int | None = None
    person_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class EndIn(Schema):
    end: dt.date | None = None


class BuildingOut(Schema):
    id: int
    grid_id: int
    street: str
    compound: str
    number: str


class BuildingHeadOut(Schema):
    id: int
    building_id: int
    person_id: int
    name: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_name(obj: BuildingHead) -> str:
        return obj.person.name


class BuildingHeadIn(Schema):
    person_id: int
    start: dt.date | None = None


class OverloadedOut(Schema):
    member_id: int
    name: str
    households: int


class CoverageOut(Schema):
    area_id: int
    households: int
    uncovered_households: int
    unassigned_isolations: int
    threshold: int
    overloaded_members: list[OverloadedOut]


# -- households ---------------------------------------------------------------------------------------------------


@router.get("/households", response=list[HouseholdOut])
@scoped("coverage.view", api=True)
@paginate(LimitOffsetPagination)
def list_households(request: HttpRequest, area_id: int | None = None, q: str = "", uncovered: bool = False):  # type: ignore[no-untyped-def]
    scope = _scope(request)
    area = area_get(scope=scope, pk=area_id) if area_id else None
    return selectors.household_list(scope=scope, area=area, query=q, uncovered=uncovered)


@router.get("/households/{household_id}", response=HouseholdOut)
@scoped("coverage.view", api=True)
def get_household(request: HttpRequest, household_id: int) -> Household:
    return selectors.household_get(scope=_scope(request), pk=household_id)


@router.post("/households", response={201: HouseholdOut})
@scoped("coverage.change", api=True)
def create_household(request: HttpRequest, payload: HouseholdIn) -> Status:
    scope = _scope(request)
    grid = referenced("grid_id", payload.grid_id, lambda pk: area_get(scope=scope, pk=pk))
    data = payload.dict(exclude={"grid_id"})
    with fields_renamed(FIELDS):
        return Status(201, services.household_create(scope=scope, grid=grid, **data))  # type: ignore[arg-type]


@router.patch("/households/{household_id}", response=HouseholdOut)
@scoped("coverage.view", api=True)
def update_household(request: HttpRequest, household_id: int, payload: HouseholdPatch) -> Household:
    """Community workers edit any household in their area; a volunteer those they answer for."""
    scope = _scope(request)
    hh = selectors.household_get(scope=scope, pk=household_id)
    return services.household_update(scope=scope, household=hh, **payload.dict(exclude_unset=True))


@router.get("/households/{household_id}/residents", response=list[ResidentOut])
@scoped("coverage.view", api=True)
@paginate(LimitOffsetPagination)
def list_residents(request: HttpRequest, household_id: int, include_moved_out: bool = False):  # type: ignore[no-untyped-def]
    hh = selectors.household_get(scope=_scope(request), pk=household_id)
    return selectors.resident_list(household=hh, current=not include_moved_out)


@router.post("/households/{household_id}/residents", response={201: ResidentOut})
@scoped("coverage.view", api=True)
def add_resident(request: HttpRequest, household_id: int, payload: ResidentIn) -> Status:
    """Community workers add residents anywhere in their area; a volunteer to the households they answer for."""
    scope = _scope(request)
    hh = selectors.household_get(scope=scope, pk=household_id)
    person = referenced("person_id", payload.person_id, lambda pk: person_get(scope=scope, pk=pk))
    data = payload.dict(exclude={"person_id"})
    with fields_renamed(FIELDS):
        return Status(201, services.resident_add(scope=scope, household=hh, person=person, **data))


# -- buildings ----------------------------------------------------------------------------------------------------


@router.get("/buildings", response=list[BuildingOut])
@scoped("coverage.view", api=True)
@paginate(LimitOffsetPagination)
def list_buildings(request: HttpRequest, area_id: int | None = None):  # type: ignore[no-untyped-def]
    scope = _scope(request)
    return selectors.building_list(scope=scope, area=area_get(scope=scope, pk=area_id) if area_id else None)


@router.get("/building-heads", response=list[BuildingHeadOut])
@scoped("coverage.view", api=True)
@paginate(LimitOffsetPagination)
def list_building_heads(request: HttpRequest, building_id: int | None = None, person_id: int | None = None):  # type: ignore[no-untyped-def]
    scope = _scope(request)
    qs = selectors.building_head_list(scope=scope)
    if building_id:
        qs = qs.filter(building_id=building_id)
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs


@router.post("/buildings/{building_id}/heads", response={201: BuildingHeadOut})
@scoped("coverage.change", api=True)
def add_building_head(request: HttpRequest, building_id: int, payload: BuildingHeadIn) -> Status:
    scope = _scope(request)
    building = get_object_or_404(Building.objects.filter(scope.area_q("coverage.view", "grid")), pk=building_id)
    person = referenced("person_id", payload.person_id, lambda pk: person_get(scope=scope, pk=pk))
    with fields_renamed(FIELDS):
        return Status(
            201,
            services.building_head_assign(
                scope=scope,
                building=building,
                person=person,  # type: ignore[arg-type]
                start=payload.start,
            ),
        )


# -- responsibilities ---------------------------------------------------------------------------------------------


@router.get("/responsibilities", response=list[ResponsibilityOut])
@scoped("coverage.view", api=True)
@paginate(LimitOffsetPagination)
def list_responsibilities(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    member_id: int | None = None,
    area_id: int | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    current: bool = False,
):
    scope = _scope(request)
    qs = selectors.responsibility_list(
        scope=scope,
        period_start=period_start,
        period_end=period_end,
        current=current,
        area=area_get(scope=scope, pk=area_id) if area_id else None,
    )
    if member_id:
        qs = qs.filter(member_id=member_id)
    return qs


@router.post("/responsibilities", response={201: ResponsibilityOut})
@scoped("coverage.assign", api=True)
def assign_responsibility(request: HttpRequest, payload: ResponsibilityIn) -> Status:
    scope = _scope(request)
    member = referenced("member_id", payload.member_id, lambda pk: person_get(scope=scope, pk=pk))
    area = referenced("area_id", payload.area_id, lambda pk: area_get(scope=scope, pk=pk))
    building = referenced(
        "building_id",
        payload.building_id,
        lambda pk: get_object_or_404(Building.objects.filter(scope.area_q("coverage.view", "grid")), pk=pk),
    )
    household = referenced("household_id", payload.household_id, lambda pk: selectors.household_get(scope=scope, pk=pk))
    person: Person | None = referenced("person_id", payload.person_id, lambda pk: person_get(scope=scope, pk=pk))
    with fields_renamed(FIELDS):
        return Status(
            201,
            services.responsibility_assign(
                scope=scope,
                member=member,  # type: ignore[arg-type]
                area=area,
                building=building,
                household=household,  # type: ignore[arg-type]
                person=person,
                start=payload.start,
                end=payload.end,
            ),
        )


@router.post("/responsibilities/{responsibility_id}/end", response=ResponsibilityOut)
@scoped("coverage.assign", api=True)
def end_responsibility(request: HttpRequest, responsibility_id: int, payload: EndIn) -> Responsibility:
    scope = _scope(request)
    resp = selectors.responsibility_get(scope=scope, pk=responsibility_id)
    return services.responsibility_end(scope=scope, responsibility=resp, end=payload.end)


# -- coverage -----------------------------------------------------------------------------------------------------


@router.get("/areas/{area_id}", response=CoverageOut)
@scoped("coverage.view", api=True)
def coverage_of_area(request: HttpRequest, area_id: int, max_households: int | None = None) -> dict[str, Any]:
    """The gaps of a grid, community or street: counts, plus the members over the household limit."""
    from bastion.screening.selectors import unassigned_isolations

    scope = _scope(request)
    area = area_get(scope=scope, pk=area_id)
    day = timezone.localdate()
    threshold = max_households or conf.max_households()
    summary = selectors.coverage_summary(scope=scope, area=area, day=day)
    return {
        "area_id": area.pk,
        "households": summary["households"],
        "uncovered_households": summary["uncovered"],
        "unassigned_isolations": unassigned_isolations(scope=scope, area=area, day=day).count(),
        "threshold": threshold,
        "overloaded_members": selectors.overloaded_members(scope=scope, area=area, threshold=threshold, day=day),
    }
