"""Areas over JSON: the pattern the other routers follow.

Each operation: `@router.<method>` outermost, then `@scoped(perm, api=True)` (default deny),
then `@paginate(LimitOffsetPagination)` on lists. Ids in the body are resolved through scoped
selectors (an unknown or out-of-scope id is a 400 naming the field); services do the writes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.areas import selectors, services
from bastion.areas.models import Area, AreaKind, SiteType
from bastion.core.apiutil import fields_renamed, parent_id_of, patch_data, referenced, with_parent_id

router = Router(tags=["areas"])

# Service field name -> request body field name.
FIELDS = {"parent": "parent_id"}


class AreaOut(Schema):
    id: int
    name: str
    kind: AreaKind
    site_type: str
    code: str
    code_year: int | None
    parent_id: int | None = Field(None)
    depth: int

    @staticmethod
    def resolve_parent_id(obj: Area) -> int | None:
        return parent_id_of(obj)


class AreaIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: AreaKind
    parent_id: int | None = None
    code: str = Field("", max_length=12)
    code_year: int | None = None
    site_type: SiteType | None = None


class AreaPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    code: str | None = Field(None, max_length=12)
    code_year: int | None = None
    site_type: SiteType | None = None
    parent_id: int | None = Field(None, description="Move the area under this parent.")


def _area(request: HttpRequest, field: str, pk: int | None) -> Area | None:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced(field, pk, lambda p: selectors.area_get(scope=scope, pk=p))


# Also without/with the trailing slash (hidden from the schema): a redirect would lose a POST body.
@router.get("", response=list[AreaOut])
@router.get("/", response=list[AreaOut], include_in_schema=False)
@scoped("area.view", api=True)
@paginate(LimitOffsetPagination)
def list_areas(request: HttpRequest, kind: AreaKind | None = None, parent_id: int | None = None, q: str = "") -> Any:
    parent = _area(request, "query.parent_id", parent_id)
    return with_parent_id(selectors.area_list(scope=request.scope, kind=kind, parent=parent, query=q))  # type: ignore[attr-defined]


@router.get("/{area_id}", response=AreaOut)
@scoped("area.view", api=True)
def get_area(request: HttpRequest, area_id: int) -> Area:
    return selectors.area_get(scope=request.scope, pk=area_id)  # type: ignore[attr-defined]


@router.post("", response={201: AreaOut})
@router.post("/", response={201: AreaOut}, include_in_schema=False)
@scoped("area.change", api=True)
def create_area(request: HttpRequest, payload: AreaIn) -> Status[Area]:
    with fields_renamed(FIELDS):
        area = services.area_create(
            scope=request.scope,  # type: ignore[attr-defined]
            name=payload.name,
            kind=payload.kind,
            parent=_area(request, "parent_id", payload.parent_id),
            code=payload.code,
            code_year=payload.code_year,
            site_type=payload.site_type or "",
        )
    return Status(201, area)


@router.patch("/{area_id}", response=AreaOut)
@scoped("area.change", api=True)
def update_area(request: HttpRequest, area_id: int, payload: AreaPatch) -> Area:
    """Change the fields given; `parent_id` moves the area. All or nothing: a bad field undoes the move.

    A field left out keeps its value; `code_year: null` clears the year; null on another field is a 422.
    """
    scope = request.scope  # type: ignore[attr-defined]
    area = selectors.area_get(scope=scope, pk=area_id)
    data = patch_data(payload, nullable={"code_year"})
    with fields_renamed(FIELDS), transaction.atomic():
        if data.get("parent_id") is not None:
            new_parent = _area(request, "parent_id", data["parent_id"])
            area = services.area_move(scope=scope, area=area, new_parent=new_parent)  # type: ignore[arg-type]
        if not data.keys() & {"name", "code", "code_year", "site_type"}:
            return area
        code = data.get("code")
        if code is None and "code_year" in data:
            code = area.code  # a new year for the same code
        area = services.area_update(
            scope=scope,
            area=area,
            name=data.get("name"),
            code=code,
            code_year=data.get("code_year", area.code_year),
            site_type=data.get("site_type"),
        )
    return area


@router.delete("/{area_id}", response={204: None})
@scoped("area.change", api=True)
def delete_area(request: HttpRequest, area_id: int) -> Status[None]:
    scope = request.scope  # type: ignore[attr-defined]
    services.area_delete(scope=scope, area=selectors.area_get(scope=scope, pk=area_id))
    return Status(204, None)
