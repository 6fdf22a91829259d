from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.areas import selectors, services
from bastion.areas.models import Area, AreaKind, SiteType

router = Router(tags=["areas"])


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
        parent = obj.get_parent()
        return parent.pk if parent else None


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
    parent_id: int | None = None


def _parent(request: HttpRequest, parent_id: int | None) -> Area | None:
    if parent_id is None:
        return None
    return selectors.area_get(scope=request.scope, pk=parent_id)  # type: ignore[attr-defined]


@router.get("/", response=list[AreaOut])
@scoped("area.view", api=True)
@paginate(LimitOffsetPagination)
def list_areas(request: HttpRequest, kind: AreaKind | None = None, parent_id: int | None = None, q: str = ""):  # type: ignore[no-untyped-def]
    parent = _parent(request, parent_id)
    return selectors.area_list(scope=request.scope, kind=kind, parent=parent, query=q)  # type: ignore[attr-defined]


@router.get("/{area_id}", response=AreaOut)
@scoped("area.view", api=True)
def get_area(request: HttpRequest, area_id: int) -> Area:
    return selectors.area_get(scope=request.scope, pk=area_id)  # type: ignore[attr-defined]


@router.post("/", response={201: AreaOut})
@scoped("area.change", api=True)
def create_area(request: HttpRequest, payload: AreaIn) -> tuple[int, Area]:
    area = services.area_create(
        scope=request.scope,  # type: ignore[attr-defined]
        name=payload.name,
        kind=payload.kind,
        parent=_parent(request, payload.parent_id),
        code=payload.code,
        code_year=payload.code_year,
        site_type=payload.site_type or "",
    )
    return 201, area


@router.patch("/{area_id}", response=AreaOut)
@scoped("area.change", api=True)
def update_area(request: HttpRequest, area_id: int, payload: AreaPatch) -> Area:
    scope = request.scope  # type: ignore[attr-defined]
    area = selectors.area_get(scope=scope, pk=area_id)
    data = payload.dict(exclude_unset=True)
    if "parent_id" in data and data["parent_id"] is not None:
        area = services.area_move(scope=scope, area=area, new_parent=_parent(request, data["parent_id"]))  # type: ignore[arg-type]
    return services.area_update(
        scope=scope,
        area=area,
        name=data.get("name"),
        code=data.get("code"),
        code_year=data.get("code_year"),
        site_type=data.get("site_type"),
    )


@router.delete("/{area_id}", response={204: None})
@scoped("area.change", api=True)
def delete_area(request: HttpRequest, area_id: int) -> tuple[int, None]:
    area = get_object_or_404(Area, pk=selectors.area_get(scope=request.scope, pk=area_id).pk)  # type: ignore[attr-defined]
    services.area_delete(scope=request.scope, area=area)  # type: ignore[attr-defined]
    return 204, None
