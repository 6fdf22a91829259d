"""The figure registry: every figure of the district report, by its stable code.

A figure is computed for (scope narrowed to an area node, period) from the other apps'
selectors, never stored. Figures of one site or street come as nested objects under the
group's code: `"checkpoints.sites": {"青島火車站": {"person_times": 8674, ...}}` is read as
`checkpoints.sites.青島火車站.person_times`. Each figure drills down to the records behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bastion.access.scope import Scope
from bastion.areas import selectors as areas
from bastion.areas.models import Area, AreaKind
from bastion.care import selectors as care
from bastion.checkpoints import selectors as checkpoints
from bastion.core.personal import mask_id
from bastion.ledger import selectors as ledger
from bastion.orglife import selectors as orglife
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose
from bastion.people import selectors as people
from bastion.reports import selectors as report_selectors
from bastion.reports.selectors import Period
from bastion.supplies import selectors as supplies

COUNT, SHARE, MONEY, QUANTITY, HOURS = "count", "share", "money", "quantity", "hours"
UNITS: dict[str, Any] = {COUNT: "", SHARE: "", MONEY: _("yuan"), QUANTITY: "", HOURS: _("hours")}


@dataclass(frozen=True)
class Ctx:
    scope: Scope  # already narrowed to the node
    area: Area | None  # the area node, or the area an organisation node sits in
    period: Period
    org: Organization | None = None  # set when the report is for an organisation node

    @property
    def span(self) -> dict[str, Any]:
        return {"period_start": self.period.start, "period_end": self.period.end}

    @property
    def node(self) -> Area | Organization:
        node = self.org or self.area
        if node is None:  # pragma: no cover - context_for always sets one
            raise Http404
        return node

    @property
    def node_name(self) -> str:
        return self.node.name

    def query(self) -> dict[str, Any]:
        """The URL parameters that ask for this node and period again."""
        key = "org" if self.org is not None else "area"
        return {key: self.node.pk, "from": self.period.start.isoformat(), "to": self.period.end.isoformat()}


@dataclass
class Drill:
    """The records behind a figure: column labels, rows (a queryset or a sequence) and how to show a row."""

    columns: list[Any]
    rows: Any
    cells: Callable[[Any], list[Any]]
    note: Any = ""


@dataclass(frozen=True)
class Figure:
    code: str
    label: Promise
    kind: str
    compute: Callable[[Ctx], Any]
    drill: Callable[[Ctx], Drill]


@dataclass(frozen=True)
class Group:
    """Figures per site or street, nested under the name of each: code.<name>.<key>[.<key>]."""

    code: str
    label: Promise
    compute: Callable[[Ctx], dict[str, dict[str, Any]]]
    drill: Callable[[Ctx, str, list[str]], Drill | None]
    kinds: dict[str, str] = field(default_factory=dict)


# -- shared row formats ---------------------------------------------------------------------


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _time(value: dt.datetime | None) -> str:
    return localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes(flag: bool) -> str:
    return gettext("yes") if flag else gettext("no")


PERSON_COLUMNS = [pgettext_lazy("person", "name"), _("ID number"), _("agency cadre")]


def _person(p: Any) -> list[Any]:
    # ID numbers are always masked in a drill-down; revealing one is a separate, audited operation.
    return [p.name, mask_id(p.id_number), _yes(p.is_agency_cadre)]


def _persons(qs: QuerySet[Any]) -> Drill:
    return Drill(PERSON_COLUMNS, qs, _person)


def _grids(qs: QuerySet[Area]) -> Drill:
    return Drill([_("grid"), _("code")], qs, lambda a: [a.name, a.code])


def _branches(qs: QuerySet[Any]) -> Drill:
    return Drill(
        [_("branch"), _("area"), _("established"), pgettext_lazy("date", "dissolved")], qs,
        lambda o: [o.name, o.area.name if o.area else "", _day(o.established), _day(o.dissolved)],
    )


# -- the flat figures -----------------------------------------------------------------------


def _grids_total(c: Ctx) -> QuerySet[Area]:
    return areas.area_list(scope=c.scope, kind=AreaKind.GRID)


def _online_branches(c: Ctx) -> QuerySet[Any]:
    return orglife.branch_list(scope=c.scope, kind=OrgKind.ONLINE_BRANCH, **c.span)


def _online_activities(c: Ctx) -> QuerySet[Any]:
    return orglife.activity_list(scope=c.scope, mode="online", **c.span)


def _participants(c: Ctx) -> QuerySet[Any]:
    ids = orglife.participating_person_ids(scope=c.scope, **c.span)
    return people.person_list(scope=c.scope).filter(pk__in=ids).order_by("name", "pk")


def _secretaries_drill(c: Ctx) -> Drill:
    rows = orglife.grid_pioneer_secretary_list(scope=c.scope, **c.span)
    return Drill(
        [_("branch"), _("secretary"), _("ID number"), _("agency cadre"), _("home agency")], rows,
        lambda m: [m.organization.name, m.person.name, mask_id(m.person.id_number), _yes(m.person.is_agency_cadre),
                   m.person.home_agency],
    )


def _activities_drill(c: Ctx) -> Drill:
    return Drill(
        [_("date"), _("activity"), _("topic"), _("branch"), _("present")], _online_activities(c),
        lambda a: [_day(a.date), a.get_kind_display(), a.topic, a.organization.name, a.present_count],
    )


def _applications_drill(c: Ctx) -> Drill:
    rows = orglife.application_list(scope=c.scope, **c.span)
    return Drill(
        [_("applied on"), pgettext_lazy("person", "name"), _("branch"), _("stage")], rows,
        lambda a: [_day(a.applied_on), a.person.name, a.branch.name, a.get_stage_display()],
    )


def _brands_drill(c: Ctx) -> Drill:
    return Drill(
        [_("brand"), _("organisation"), _("stories")], orglife.brand_list(scope=c.scope),
        lambda b: [b.name, b.organization.name, b.story_count],
    )


def _funds_drill(c: Ctx) -> Drill:
    rows = ledger.allocation_list(scope=c.scope, start=c.period.start, end=c.period.end)
    return Drill(
        [_("date"), pgettext_lazy("paid by", "by"), _("memo"), _("yuan")], rows,
        lambda t: [_day(t.date), t.organization.name, t.memo, f"{t.allocated or Decimal(0):.2f}"],
    )


def _received_drill(c: Ctx) -> Drill:
    rows = ledger.received_allocation_list(scope=c.scope, start=c.period.start, end=c.period.end)
    return Drill(
        [_("date"), _("allocated by"), _("memo"), _("yuan")], rows,
        lambda t: [_day(t.date), t.organization.name, t.memo, f"{t.received or Decimal(0):.2f}"],
    )


def _situations_drill(c: Ctx) -> Drill:
    return Drill([_("situation")], care.situation_list(scope=c.scope),
                 lambda s: [str(s)])


def _measures_drill(c: Ctx) -> Drill:
    return Drill([_("measure")], care.measure_list(scope=c.scope),
                 lambda m: [str(m)])


def _care(c: Ctx) -> dict[str, int]:
    return care.care_figures(scope=c.scope)


FIGURES: list[Figure] = [
    Figure("grids.total", _("Grids"), COUNT, lambda c: _grids_total(c).count(), lambda c: _grids(_grids_total(c))),
    Figure(
        "grids.covered", _("Grids covered by a pioneer group"), COUNT,
        lambda c: orglife.grids_covered_list(scope=c.scope, **c.span).count(),
        lambda c: _grids(orglife.grids_covered_list(scope=c.scope, **c.span)),
    ),
    Figure(
        "branches.temporary.grid_pioneer", _("Grid pioneer group temporary branches"), COUNT,
        lambda c: orglife.grid_pioneer_branch_list(scope=c.scope, **c.span).count(),
        lambda c: _branches(orglife.grid_pioneer_branch_list(scope=c.scope, **c.span)),
    ),
    Figure(
        "branches.temporary.grid_pioneer.agency_cadre_secretary_share",
        _("Share of pioneer branch secretaries who are agency cadres"), SHARE,
        lambda c: orglife.grid_pioneer_agency_cadre_secretary_share(scope=c.scope, **c.span),
        _secretaries_drill,
    ),
    Figure(
        "teams.assault.members", _("Assault team members"), COUNT,
        lambda c: orglife.assault_team_members(scope=c.scope, **c.span),
        lambda c: _persons(orglife.temporary_member_list(
            scope=c.scope, purposes=(TemporaryPurpose.ASSAULT_TEAM,), **c.span)),
    ),
    Figure(
        "checkpoints.assigned_cadres", _("Agency cadres sent to checkpoint and mobile teams"), COUNT,
        lambda c: orglife.checkpoint_cadre_count(scope=c.scope, **c.span),
        lambda c: _persons(orglife.temporary_member_list(
            scope=c.scope, purposes=orglife.CADRE_TEAM_PURPOSES, agency_cadres_only=True, **c.span)),
    ),
    Figure("branches.online", _("Online branches"), COUNT, lambda c: _online_branches(c).count(),
           lambda c: _branches(_online_branches(c))),
    Figure("orglife.online_activities", _("Online branch activities"), COUNT,
           lambda c: orglife.online_activity_count(scope=c.scope, **c.span), _activities_drill),
    Figure("members.participating", _("Persons taking part"), COUNT,
           lambda c: orglife.participating_count(scope=c.scope, **c.span), lambda c: _persons(_participants(c))),
    Figure("applications.new", _("New applications to join the party"), COUNT,
           lambda c: orglife.applications_new(scope=c.scope, **c.span), _applications_drill),
    Figure("brands", _("Party-building brands"), COUNT, lambda c: orglife.brand_count(scope=c.scope), _brands_drill),
    Figure("funds.allocated", _("Funds allocated"), MONEY,
           lambda c: ledger.funds_allocated(scope=c.scope, start=c.period.start, end=c.period.end), _funds_drill),
    Figure("funds.received", _("Funds received from above"), MONEY,
           lambda c: ledger.funds_received(scope=c.scope, start=c.period.start, end=c.period.end), _received_drill),
    Figure("care.situations", _("Care situations"), COUNT, lambda c: _care(c)["situations"], _situations_drill),
    Figure("care.frontline_measures", _("Measures for frontline cadres"), COUNT,
           lambda c: _care(c)["frontline_measures"], _measures_drill),
]


# -- figures per site -----------------------------------------------------------------------


def _sites(c: Ctx) -> QuerySet[Area]:
    return checkpoints.site_list(scope=c.scope)


def _site_figures(c: Ctx) -> dict[str, dict[str, Any]]:
    return {
        site.name: checkpoints.site_figures(scope=c.scope, site=site, start=c.period.start, end=c.period.end)
        for site in _sites(c)
    }


class Concat(Sequence[Any]):
    """Two querysets read as one list, sliced lazily (so a paginator reads one page of each)."""

    def __init__(self, first: QuerySet[Any], second: QuerySet[Any]) -> None:
        self.first, self.second = first, second
        self._n1: int | None = None

    def _first_count(self) -> int:
        if self._n1 is None:
            self._n1 = self.first.count()
        return self._n1

    def __len__(self) -> int:
        return self._first_count() + self.second.count()

    def count(self) -> int:  # type: ignore[override]
        return len(self)

    def __getitem__(self, index: Any) -> Any:
        n1 = self._first_count()
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
            out = list(self.first[start:min(stop, n1)]) if start < n1 else []
            if stop > n1:
                out += list(self.second[max(start - n1, 0):stop - n1])
            return out
        return self.first[index] if index < n1 else self.second[index - n1]


def _site_drill(c: Ctx, name: str, keys: list[str]) -> Drill | None:
    site = _sites(c).filter(name=name).first()
    if site is None or len(keys) != 1:
        return None
    key = keys[0]
    start, end = c.period.start, c.period.end
    if key == "team_members":
        return _persons(checkpoints.team_member_list(scope=c.scope, site=site, start=start, end=end))
    if key == "entrances":
        return Drill([_("entrance")], checkpoints.entrance_list(scope=c.scope, site=site), lambda e: [e.name])
    if key == "person_times":
        readings, tallies = checkpoints.person_times_records(scope=c.scope, site=site, start=start, end=end)

        def row(r: Any) -> list[Any]:
            if hasattr(r, "temperature"):
                return [_time(r.measured_at), r.entrance.name, gettext("reading %(t)s °C") % {"t": r.temperature}, 1]
            return [_time(r.start), r.entrance.name, gettext("tally until %(end)s") % {"end": _time(r.end)}, r.count]

        columns = [_("time"), _("entrance"), _("record"), pgettext_lazy("person-times", "persons")]
        return Drill(columns, Concat(readings, tallies), row,
                     note=_("First readings (a re-measure is the same person), then tallied passes."))
    if key in ("fevers", "referrals"):
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        if key == "fevers":
            fevers = checkpoints.reading_list(scope=c.scope, site=site, fevers_only=True).filter(
                remeasure_of__isnull=True, measured_at__gte=lo, measured_at__lt=hi
            )
            return Drill([_("time"), _("entrance"), _("temperature")], fevers,
                         lambda r: [_time(r.measured_at), r.entrance.name, f"{r.temperature} °C"])
        referrals = checkpoints.referral_list(scope=c.scope, site=site).filter(referred_at__gte=lo, referred_at__lt=hi)
        # The traveller's ID and phone stay on the referral's own page, behind its permission.
        return Drill([_("time"), _("entrance"), pgettext_lazy("person", "name"), _("outcome")], referrals,
                     lambda r: [_time(r.referred_at), r.entrance.name, r.traveller_name, r.get_outcome_display()])
    if key == "longest_continuous_duty_hours":
        rows = checkpoints.longest_duty_per_member(scope=c.scope, site=site, start=start, end=end)
        return Drill(
            [pgettext_lazy("person", "name"), _("from"), _("to"), _("hours")], rows,
            lambda m: [m.person.name, _time(m.longest.start), _time(m.longest.end), f"{m.longest.hours:.1f}"],
            note=_("Each member's longest continuous duty, longest first."),
        )
    return None


# -- figures per street ---------------------------------------------------------------------


def _street_figures(c: Ctx) -> dict[str, dict[str, Any]]:
    return supplies.streets_figures(scope=c.scope, start=c.period.start, end=c.period.end)


def _street_drill(c: Ctx, name: str, keys: list[str]) -> Drill | None:
    street = supplies.street_for_area_name(name)
    if street is None or not keys:
        return None
    start, end = c.period.start, c.period.end
    if keys == ["recipients"]:
        # The street's own hand-overs only: onward hops by its recipients are not its recipients.
        rows = supplies.street_distribution_list(scope=c.scope, street=street, start=start, end=end).order_by(
            "recipient__name", "date", "pk"
        )
        return Drill(
            [_("date"), _("recipient"), _("item"), _("containers"), _("signed by")], rows,
            lambda d: [_day(d.date), d.recipient.name, d.purchase.item.name, d.containers, d.signer_name],
            note=_("Distributions of what the street bought; the figure counts the distinct recipients."),
        )
    if len(keys) == 2:
        lots = supplies.purchase_list(scope=c.scope).filter(
            organization=street, item__code=keys[0], payment__reversed_by__isnull=True, date__gte=start, date__lte=end
        ).order_by("date", "pk")
        return Drill(
            [_("date"), _("item"), _("containers"), _("quantity"), _("yuan"), _("supplier")], lots,
            lambda p: [_day(p.date), p.item.name, p.containers, f"{p.quantity:.2f}", f"{p.amount:.2f}", p.supplier],
        )
    return None


GROUPS: list[Group] = [
    Group("checkpoints.sites", _("Checkpoint"), _site_figures, _site_drill,
          kinds={"longest_continuous_duty_hours": HOURS}),
    Group("supplies.streets", _("Supplies bought by"), _street_figures, _street_drill,
          kinds={"kg": QUANTITY, "litres": QUANTITY, "pieces": QUANTITY}),
]

KEY_LABELS: dict[str, Any] = {
    "team_members": _("team members"),
    "entrances": _("entrances"),
    "person_times": _("person-times"),
    "longest_continuous_duty_hours": _("longest continuous duty"),
    "fevers": _("fevers"),
    "referrals": _("referrals"),
    "containers": _("containers"),
    "kg": _("kg"),
    "litres": _("litres"),
    "pieces": _("pieces"),
    "recipients": _("recipients"),
}

BY_CODE = {f.code: f for f in FIGURES}


# -- computing, flattening, looking up ------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Decimals as strings with two places (JSON would round them); nested objects kept."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _share(value: Any) -> float | None:
    return None if value is None else float(value)


def compute(ctx: Ctx) -> dict[str, Any]:
    """{code: value} for every flat figure, then {group code: {name: {...}}} for the nested ones."""
    # A share is a plain number (SCENARIO: 0.80), already rounded to two places by its
    # selector; money and quantities stay strings so that JSON does not round them.
    out: dict[str, Any] = {
        f.code: _share(value) if f.kind == SHARE else jsonable(value)
        for f in FIGURES
        for value in (f.compute(ctx),)
    }
    for group in GROUPS:
        out[group.code] = jsonable(group.compute(ctx))
    return out


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    kind: str
    value: Any
    drillable: bool

    @property
    def text(self) -> str:
        """The value as written in exports: empty when there is none, shares with two places."""
        if self.value is None:
            return ""
        return f"{self.value:.2f}" if self.kind == SHARE else str(self.value)


def rows(figures: dict[str, Any], item_names: dict[str, str] | None = None) -> list[Row]:
    """The figure table: one row per code, nested figures flattened to their dotted codes."""
    names = item_names or {}
    out = [Row(f.code, str(f.label), f.kind, figures.get(f.code), True) for f in FIGURES]
    for group in GROUPS:
        for name, sub in (figures.get(group.code) or {}).items():
            for keys, value in _leaves(sub):
                labels = [str(KEY_LABELS.get(k, names.get(k, k))) for k in keys]
                kind = group.kinds.get(keys[-1], COUNT)
                drillable = True
                out.append(Row(".".join([group.code, name, *keys]), " · ".join([str(group.label), name, *labels]),
                               kind, value, drillable))
    return out


def _leaves(obj: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[list[str], Any]]:
    out: list[tuple[list[str], Any]] = []
    for key, value in obj.items():
        if isinstance(value, dict):
            out.extend(_leaves(value, (*prefix, key)))
        else:
            out.append(([*prefix, key], value))
    return out


def lookup(figures: dict[str, Any], code: str) -> Any:
    """The value of a dotted code in the nested figures (KeyError if there is none)."""
    if code in figures:
        return figures[code]
    for group in GROUPS:
        if code.startswith(group.code + "."):
            node: Any = figures[group.code]
            for part in code[len(group.code) + 1:].split("."):
                node = node[part]
            return node
    raise KeyError(code)


def drill(ctx: Ctx, code: str) -> tuple[str, Drill]:
    """The label and the records behind a figure code; an unknown code is a 404."""
    figure = BY_CODE.get(code)
    if figure is not None:
        return str(figure.label), figure.drill(ctx)
    for group in GROUPS:
        if code.startswith(group.code + "."):
            name, *keys = code[len(group.code) + 1:].split(".")
            found = group.drill(ctx, name, keys)
            if found is not None:
                labels = [str(KEY_LABELS.get(k, k)) for k in keys]
                return " · ".join([str(group.label), name, *labels]), found
    raise Http404(gettext("There is no figure “%(code)s”.") % {"code": code})


def item_names() -> dict[str, str]:
    return {i.code: i.name for i in supplies.item_list()}


def area_dict(area: Area | None) -> dict[str, Any] | None:
    return None if area is None else {"id": area.pk, "code": area.code, "name": area.name, "kind": area.kind}


@dataclass
class Report:
    area: Area | None
    period: Period
    ctx: Ctx
    figures: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON: {"area": ..., "period": {"from", "to"}, "figures": {CODE: VALUE}}.

        For an organisation node, "area" is the area it sits in and "organization" names the node.
        """
        out: dict[str, Any] = {"area": area_dict(self.area)}
        if self.ctx.org is not None:
            org = self.ctx.org
            out["organization"] = {"id": org.pk, "name": org.name, "kind": org.kind}
        out.update({"period": self.period.as_dict(), "figures": self.figures})
        return out

    def rows(self) -> list[Row]:
        return rows(self.figures, item_names())


def context_for(*, scope: Scope, area: Any, start: Any, end: Any, org: Any = None) -> Ctx:
    """Resolve the node (an area by id, code or name, default the top node; or an organisation by id or name)
    and the period, and narrow the scope to them."""
    if org is not None and str(org).strip():
        found = report_selectors.org_find(scope=scope, ref=org)
        narrowed = report_selectors.scope_for_org(scope=scope, org=found)
        period = report_selectors.period_of(scope=narrowed, start=start, end=end)
        return Ctx(narrowed, found.area, period, org=found)
    node = report_selectors.area_find(scope=scope, ref=area)
    narrowed = report_selectors.scope_for_area(scope=scope, area=node)
    return Ctx(narrowed, node, report_selectors.period_of(scope=narrowed, start=start, end=end))


def report_build(*, scope: Scope, area: Any = None, start: Any = None, end: Any = None, org: Any = None) -> Report:
    """Every figure for an area or organisation node the scope may see and a period (404 outside the scope)."""
    ctx = context_for(scope=scope, area=area, start=start, end=end, org=org)
    return Report(ctx.area, ctx.period, ctx, compute(ctx))
