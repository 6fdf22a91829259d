"""Writes to the area tree. Every write checks the scope and leaves an audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from bastion.access.scope import Scope
from bastion.areas.models import ALLOWED_PARENTS, CODE_LENGTH, Area, AreaKind
from bastion.core import audit
from bastion.core.text import search_key


def _check_placement(*, kind: str, parent: Area | None) -> None:
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise ValidationError({"kind": _("Unknown area kind “%(kind)s”.") % {"kind": kind}})
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        if parent is None:
            message = _("A %(kind)s must have a parent area.") % {"kind": AreaKind(kind).label}
        else:
            message = _("A %(kind)s cannot be placed under a %(parent)s.") % {
                "kind": AreaKind(kind).label,
                "parent": AreaKind(parent.kind).label,
            }
        raise ValidationError({"parent": message})


def _check_code(*, kind: str, code: str, code_year: int | None, parent: Area | None) -> None:
    if not code:
        return
    expected = CODE_LENGTH.get(kind)
    if expected is None:
        raise ValidationError({"code": _("This kind of area has no official code.")})
    if not code.isdigit() or len(code) != expected:
        raise ValidationError({"code": _("The official code must be %(n)d digits.") % {"n": expected}})
    if code_year is None:
        raise ValidationError({"code_year": _("Give the year of the code table the code comes from.")})
    if not 1980 <= code_year <= 2100:
        raise ValidationError({"code_year": _("The code year must be between 1980 and 2100.")})
    county = _county_code(parent)
    if county and not code.startswith(county):
        raise ValidationError(
            {"code": _("The code must start with the county code %(county)s of its district.") % {"county": county}}
        )


def _county_code(area: Area | None) -> str:
    while area is not None:
        if area.code:
            return area.code[:6]
        area = area.get_parent()
    return ""


def area_create(
    *,
    scope: Scope,
    name: str,
    kind: str,
    parent: Area | None = None,
    code: str = "",
    code_year: int | None = None,
    site_type: str = "",
) -> Area:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the area a name.")})
    if parent is not None:
        # Sorted inserts renumber siblings' paths: work from the parent as stored now.
        parent = Area.objects.get(pk=parent.pk)
    if parent is None:
        scope.require_global("area.change")
    else:
        scope.require("area.change", area=parent)
    _check_placement(kind=kind, parent=parent)
    _check_code(kind=kind, code=code, code_year=code_year, parent=parent)
    if kind != AreaKind.SITE and site_type:
        raise ValidationError({"site_type": _("Only a site has a site type.")})
    fields: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "code": code,
        "code_year": code_year if code else None,
        "site_type": site_type,
        "search_key": search_key(name),
    }
    with transaction.atomic():
        if code and Area.objects.filter(code=code, code_year=code_year).exists():
            raise ValidationError({"code": _("Another area already has code %(code)s.") % {"code": code}})
        area = parent.add_child(**fields) if parent else Area.add_root(**fields)
        audit.record(scope.user, "area.create", area, audit.diff({}, audit.snapshot(area, list(fields))))
    return area


def area_update(
    *, scope: Scope, area: Area, name: str | None = None, code: str | None = None, code_year: int | None = None,
    site_type: str | None = None,
) -> Area:
    with transaction.atomic():
        area = Area.objects.select_for_update().get(pk=area.pk)
        scope.require("area.change", area=area)
        before = audit.snapshot(area)
        if name is not None:
            if not name.strip():
                raise ValidationError({"name": _("Give the area a name.")})
            area.name = name.strip()
        if code is not None:
            area.code = code
            area.code_year = code_year if code else None
            _check_code(kind=area.kind, code=area.code, code_year=area.code_year, parent=area.get_parent())
            if code and Area.objects.filter(code=code, code_year=code_year).exclude(pk=area.pk).exists():
                raise ValidationError({"code": _("Another area already has code %(code)s.") % {"code": code}})
        if site_type is not None:
            if area.kind != AreaKind.SITE and site_type:
                raise ValidationError({"site_type": _("Only a site has a site type.")})
            area.site_type = site_type
        area.search_key = search_key(area.name)
        area.save()
        audit.record(scope.user, "area.update", area, audit.diff(before, audit.snapshot(area)))
    return area


def area_move(*, scope: Scope, area: Area, new_parent: Area) -> Area:
    area, new_parent = Area.objects.get(pk=area.pk), Area.objects.get(pk=new_parent.pk)
    scope.require("area.change", area=area)
    scope.require("area.change", area=new_parent)
    if new_parent.pk == area.pk or new_parent.path.startswith(area.path):
        raise ValidationError({"parent": _("An area cannot be moved under itself or one of its descendants.")})
    _check_placement(kind=area.kind, parent=new_parent)
    old_parent = area.get_parent()
    with transaction.atomic():
        try:
            area.move(new_parent, "sorted-child")
        except InvalidMoveToDescendant as exc:
            raise ValidationError({"parent": _("An area cannot be moved under one of its descendants.")}) from exc
        area.refresh_from_db()
        audit.record(
            scope.user, "area.move", area, {"parent": [old_parent.pk if old_parent else None, new_parent.pk]}
        )
    return area


def area_delete(*, scope: Scope, area: Area) -> None:
    area = Area.objects.get(pk=area.pk)
    scope.require("area.change", area=area)
    if area.get_children_count():
        raise ValidationError({"area": _("This area still has areas under it; move or delete them first.")})
    with transaction.atomic():
        audit.record(scope.user, "area.delete", area, audit.diff(audit.snapshot(area), {}))
        area.delete()
