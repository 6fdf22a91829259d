"""Reads for the district report: which area a user may report on, the scope narrowed to it, the period.

The figures themselves live in `bastion.reports.figures`; they read the other apps only through
their selectors, each given the scope narrowed here to one area node.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope, ScopeGrant, minimal_prefixes
from bastion.areas.models import Area
from bastion.checkpoints import selectors as checkpoints
from bastion.orglife import selectors as orglife
from bastion.orgs.models import Organization
from bastion.reports.permissions import VIEW
from bastion.screening import selectors as screening

DEFAULT_DAYS = 14
MIN_YEAR, MAX_YEAR = 1900, 2999


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


class ReportInputError(ValueError):
    """Bad report input (an unknown area, a bad date); `field` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# -- the area node ------------------------------------------------------------------------


def area_is_reportable(*, scope: Scope, area: Area) -> bool:
    return scope.unrestricted or any(area.path.startswith(p) for p in scope.area_paths(VIEW))


def reportable_areas(*, scope: Scope) -> list[Area]:
    """The nodes a user may pick: each granted root and the levels down to communities (grids are many)."""
    if scope.unrestricted:
        roots = list(Area.objects.filter(depth=1).order_by("path"))
    else:
        roots = list(Area.objects.filter(path__in=minimal_prefixes(scope.area_paths(VIEW))).order_by("path"))
    q = Q(pk__in=[])
    for root in roots:
        # A root and at most two levels below it keep the picker short (10 streets, 48 communities).
        q |= Q(path__startswith=root.path, depth__lte=root.depth + 2)
    return list(Area.objects.filter(q).order_by("path")) if roots else []


def default_area(*, scope: Scope) -> Area | None:
    """The user's top granted node (the first one, if they hold several)."""
    if scope.unrestricted:
        return Area.objects.filter(depth=1).order_by("path").first()
    paths = minimal_prefixes(scope.area_paths(VIEW))
    return Area.objects.filter(path__in=paths).order_by("depth", "path").first()


def area_find(*, scope: Scope, ref: str | int | None) -> Area:
    """An area by id, statistical code or name, within the scope; anything else is a 404 (existence is not leaked)."""
    if ref is None or str(ref).strip() == "":
        area = default_area(scope=scope)
        if area is None:
            raise Http404(_("You have no area to report on."))
        return area
    text = str(ref).strip()
    candidates = Area.objects.filter(Q(code=text) | Q(name=text))
    if text.isdigit() and len(text) < 6:
        candidates = Area.objects.filter(Q(pk=int(text)) | Q(code=text) | Q(name=text))
    for area in candidates.order_by("depth", "path"):
        if area_is_reportable(scope=scope, area=area):
            return area
    raise Http404(_("There is no area “%(ref)s” in your scope.") % {"ref": text})


def _intersect(paths: Iterable[str], others: Iterable[str]) -> list[str]:
    """The subtrees two sets of subtrees have in common, as minimal prefixes."""
    others = list(others)
    common = set()
    for p in paths:
        for q in others:
            if p.startswith(q):
                common.add(p)
            elif q.startswith(p):
                common.add(q)
    return minimal_prefixes(common)


def _org_paths_for(area: Area) -> list[str]:
    """Organisations sitting in or covering the area's subtree (as resolve_scope derives them for an area grant)."""
    return minimal_prefixes(
        Organization.objects.filter(
            Q(area__path__startswith=area.path)
            | Q(pk__in=Organization.objects.filter(covered_areas__path__startswith=area.path).values("pk"))
        ).values_list("path", flat=True)
    )


def scope_for_area(*, scope: Scope, area: Area) -> Scope:
    """The user's scope cut down to one area node: each grant keeps only what lies in that node.

    Every figure is computed with this scope, so a figure for 湛山街道 counts only records there,
    and never more than the user could see anyway.
    """
    if not area_is_reportable(scope=scope, area=area):
        raise Http404
    org_paths = _org_paths_for(area)
    if scope.unrestricted:
        grants: tuple[ScopeGrant, ...] = (
            ScopeGrant(role="district_admin", derived_area_paths=(area.path,), derived_org_paths=tuple(org_paths)),
        )
        return Scope(user=scope.user, grants=grants)
    out = []
    for g in scope.grants:
        own_areas = ([g.area_path] if g.area_path else []) + list(g.derived_area_paths)
        own_orgs = ([g.org_path] if g.org_path else []) + list(g.derived_org_paths)
        areas = _intersect(own_areas, [area.path])
        orgs = _intersect(own_orgs, org_paths)
        if areas or orgs:
            out.append(ScopeGrant(role=g.role, derived_area_paths=tuple(areas), derived_org_paths=tuple(orgs)))
    return Scope(user=scope.user, grants=tuple(out))


def org_find(*, scope: Scope, ref: str | int) -> Organization:
    """An organisation by id or name that the scope may report on; anything else is a 404."""
    text = str(ref).strip()
    q = Q(name=text) | (Q(pk=int(text)) if text.isdigit() else Q(pk__in=[]))
    visible = Organization.objects.filter(q).filter(Q() if scope.unrestricted else scope.org_visible_q(VIEW))
    found = visible.select_related("area").order_by("depth", "path").first()
    if found is None:
        raise Http404(_("There is no organisation “%(ref)s” in your scope.") % {"ref": text})
    return found


COMMITTEES = ("district_committee", "street_committee", "community_committee")


def reportable_orgs(*, scope: Scope) -> list[Organization]:
    """The committees a user may pick as a node (branches are many; they are reached by id or name)."""
    visible = Q() if scope.unrestricted else scope.org_visible_q(VIEW)
    return list(Organization.objects.filter(visible, kind__in=COMMITTEES).order_by("path")[:200])


def _area_paths_for(org: Organization) -> list[str]:
    """Areas an organisation's subtree sits in or covers (as resolve_scope derives them for an org grant)."""
    return minimal_prefixes(
        Area.objects.filter(
            Q(covering_organizations__path__startswith=org.path) | Q(organizations__path__startswith=org.path)
        ).values_list("path", flat=True)
    )


def scope_for_org(*, scope: Scope, org: Organization) -> Scope:
    """The user's scope cut down to one organisation's subtree and the areas it sits in or covers."""
    if not (scope.unrestricted or Organization.objects.filter(scope.org_visible_q(VIEW), pk=org.pk).exists()):
        raise Http404
    area_paths = _area_paths_for(org)
    if scope.unrestricted:
        return Scope(user=scope.user, grants=(
            ScopeGrant(role="district_admin", derived_area_paths=tuple(area_paths), derived_org_paths=(org.path,)),
        ))
    out = []
    for g in scope.grants:
        own_areas = ([g.area_path] if g.area_path else []) + list(g.derived_area_paths)
        own_orgs = ([g.org_path] if g.org_path else []) + list(g.derived_org_paths)
        orgs = _intersect(own_orgs, [org.path])
        if orgs:
            areas = _intersect(own_areas, area_paths)
            out.append(ScopeGrant(role=g.role, derived_area_paths=tuple(areas), derived_org_paths=tuple(orgs)))
    return Scope(user=scope.user, grants=tuple(out))


# -- the period ---------------------------------------------------------------------------


def parse_date(field: str, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ReportInputError(
                field, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
            ) from None
    # Day arithmetic (the end of the last day) must not run off the calendar.
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ReportInputError(
            field, _("%(value)s is out of range (years %(min)s to %(max)s).")
            % {"value": day.isoformat(), "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return day


def records_span(*, scope: Scope) -> Period | None:
    """The span of the records in scope (branch activities, checkpoint shifts, screening visits):
    three indexed aggregates, a default period that shows the data there is."""
    spans = [orglife.activity_list(scope=scope).order_by().aggregate(lo=Min("date"), hi=Max("date"))]
    for qs in (checkpoints.shift_list(scope=scope), screening.screening_visit_list(scope=scope)):
        field = "start" if qs.model.__name__ == "Shift" else "at"
        span = qs.order_by().aggregate(lo=Min(field), hi=Max(field))
        if span["lo"] is not None:
            spans.append({"lo": timezone.localdate(span["lo"]), "hi": timezone.localdate(span["hi"])})
    found = [s for s in spans if s["lo"] is not None]
    if not found:
        return None
    return Period(min(s["lo"] for s in found), max(s["hi"] for s in found))


def period_of(
    *, scope: Scope, start: Any = None, end: Any = None, field_names: tuple[str, str] = ("from", "to")
) -> Period:
    """The period asked for; missing ends default to the span of the records, else the last 14 days."""
    lo = parse_date(field_names[0], start)
    hi = parse_date(field_names[1], end)
    if lo is None or hi is None:
        span = records_span(scope=scope)
        today = timezone.localdate()
        default = span or Period(today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
        if hi is not None:
            lo = min(default.start, hi)
        elif lo is not None:
            hi = max(default.end, lo)
        else:
            lo, hi = default.start, default.end
    if lo > hi:
        raise ReportInputError(field_names[0], _("The period starts after it ends."))
    return Period(lo, hi)
