"""Organisations over JSON: list, get, create, change (incl. covered areas), dissolve, move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.areas.models import Area
from bastion.areas.selectors import area_get
from bastion.core.apiutil import fields_renamed, parent_id_of, patch_data, referenced, referenced_many, with_parent_id
from bastion.orgs import selectors, services
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose

router = Router(tags=["organizations"])

# Service field name -> request body field name.
FIELDS = {"parent": "parent_id", "area": "area_id", "covered_areas": "covered_area_ids"}
FIELDS_BACK = {body: service for service, body in FIELDS.items()}
# Fields a PATCH may set to null, clearing them.
NULLABLE = {"area_id", "established", "dissolved"}


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrgKind
    purpose: str
    channel: str
    area_id: int | None
    covered_area_ids: list[int] = Field(default_factory=list)
    established: dt.date | None
    dissolved: dt.date | None
    parent_id: int | None = Field(None)
    depth: int

    @staticmethod
    def resolve_parent_id(obj: Organization) -> int | None:
        return parent_id_of(obj)

    @staticmethod
    def resolve_covered_area_ids(obj: Organization) -> list[int]:
        return sorted(a.pk for a in obj.covered_areas.all())


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrgKind
    parent_id: int | None = None
    purpose: TemporaryPurpose | None = None
    channel: str = Field("", max_length=200)
    area_id: int | None = Field(None, description="Where it sits; by default, where its parent organisation sits.")
    covered_area_ids: list[int] = Field(default_factory=list)
    established: dt.date | None = None
    dissolved: dt.date | None = None


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    purpose: TemporaryPurpose | None = None
    channel: str | None = Field(None, max_length=200)
    area_id: int | None = None
    covered_area_ids: list[int] | None = Field(None, description="Replaces the covered areas.")
    established: dt.date | None = None
    dissolved: dt.date | None = Field(None, description="Dissolve the organisation on this date.")
    parent_id: int | None = Field(None, description="Move the organisation under this parent.")


class DissolveIn(Schema):
    on: dt.date


class MoveIn(Schema):
    parent_id: int


def _org(request: HttpRequest, field: str, pk: int | None) -> Organization | None:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced(field, pk, lambda p: selectors.org_get(scope=scope, pk=p))


def _area(request: HttpRequest, field: str, pk: int | None) -> Area | None:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced(field, pk, lambda p: area_get(scope=scope, pk=p))


def _areas(request: HttpRequest, field: str, pks: list[int]) -> list[Area]:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced_many(field, pks, lambda p: area_get(scope=scope, pk=p))


def _fresh(request: HttpRequest, org: Organization) -> Organization:
    """The organisation as the response shows it (path, parent and covered areas after the write)."""
    return selectors.org_get(scope=request.scope, pk=org.pk)  # type: ignore[attr-defined]


# Also without/with the trailing slash (hidden from the schema): a redirect would lose a POST body.
@router.get("", response=list[OrganizationOut])
@router.get("/", response=list[OrganizationOut], include_in_schema=False)
@scoped("org.view", api=True)
@paginate(LimitOffsetPagination)
def list_organizations(
    request: HttpRequest,
    kind: OrgKind | None = None,
    purpose: TemporaryPurpose | None = None,
    parent_id: int | None = None,
    q: str = "",
) -> Any:
    parent = _org(request, "query.parent_id", parent_id)
    qs = selectors.org_list(scope=request.scope, kind=kind, purpose=purpose, parent=parent, query=q)  # type: ignore[attr-defined]
    return with_parent_id(qs).prefetch_related("covered_areas")


@router.get("/{org_id}", response=OrganizationOut)
@scoped("org.view", api=True)
def get_organization(request: HttpRequest, org_id: int) -> Organization:
    return selectors.org_get(scope=request.scope, pk=org_id)  # type: ignore[attr-defined]


@router.post("", response={201: OrganizationOut})
@router.post("/", response={201: OrganizationOut}, include_in_schema=False)
@scoped("org.change", api=True)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    with fields_renamed(FIELDS):
        parent = _org(request, "parent_id", payload.parent_id)
        # An organisation sits where its parent does unless told otherwise, so that the users whose
        # grants cover that area (including the one creating it) see it.
        area = _area(request, "area_id", payload.area_id) if payload.area_id is not None else None
        if area is None and parent is not None:
            area = parent.area
        org = services.org_create(
            scope=request.scope,  # type: ignore[attr-defined]
            name=payload.name,
            kind=payload.kind,
            parent=parent,
            purpose=payload.purpose or "",
            channel=payload.channel,
            area=area,
            covered_areas=_areas(request, "covered_area_ids", payload.covered_area_ids),
            established=payload.established,
            dissolved=payload.dissolved,
        )
    return Status(201, _fresh(request, org))


@router.patch("/{org_id}", response=OrganizationOut)
@scoped("org.change", api=True)
def update_organization(request: HttpRequest, org_id: int, payload: OrganizationPatch) -> Organization:
    """Change the fields given. All or nothing.

    A field left out keeps its value; null clears `area_id`, `established` or `dissolved`; null on
    another field is a 422 naming it.
    """
    scope = request.scope  # type: ignore[attr-defined]
    org = selectors.org_get(scope=scope, pk=org_id)
    data = patch_data(payload, nullable=NULLABLE)
    with fields_renamed(FIELDS), transaction.atomic():
        if data.get("parent_id") is not None:
            new_parent = _org(request, "parent_id", data["parent_id"])
            org = services.org_move(scope=scope, org=org, new_parent=new_parent)  # type: ignore[arg-type]
        if data.keys() - {"parent_id"}:
            covered = data.get("covered_area_ids")
            org = services.org_update(
                scope=scope,
                org=org,
                name=data.get("name"),
                purpose=data.get("purpose"),
                channel=data.get("channel"),
                area=_area(request, "area_id", data.get("area_id")),
                established=data.get("established"),
                dissolved=data.get("dissolved"),
                covered_areas=None if covered is None else _areas(request, "covered_area_ids", covered),
                clear={FIELDS_BACK.get(k, k) for k, v in data.items() if v is None},
            )
    return _fresh(request, org)


@router.post("/{org_id}/dissolve", response=OrganizationOut)
@scoped("org.change", api=True)
def dissolve_organization(request: HttpRequest, org_id: int, payload: DissolveIn) -> Organization:
    scope = request.scope  # type: ignore[attr-defined]
    org = selectors.org_get(scope=scope, pk=org_id)
    with fields_renamed({"dissolved": "on"}):
        services.org_dissolve(scope=scope, org=org, on=payload.on)
    return _fresh(request, org)


@router.post("/{org_id}/move", response=OrganizationOut)
@scoped("org.change", api=True)
def move_organization(request: HttpRequest, org_id: int, payload: MoveIn) -> Organization:
    scope = request.scope  # type: ignore[attr-defined]
    org = selectors.org_get(scope=scope, pk=org_id)
    with fields_renamed(FIELDS):
        new_parent = _org(request, "parent_id", payload.parent_id)
        services.org_move(scope=scope, org=org, new_parent=new_parent)  # type: ignore[arg-type]
    return _fresh(request, org)
