"""Reads of organisational life, always filtered by a Scope, and the figures computed from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.orglife.models import (
    Activity,
    ActivityKind,
    ActivityMode,
    Application,
    Attendance,
    BranchCharter,
    Brand,
    ComplianceRule,
    Pledge,
    Stage,
    Story,
    WorkingRules,
)
from bastion.orglife.services import (
    ACTIVIST_MONTHS,
    TALK_WITHIN_MONTHS,
    add_months,
    current_q,
)
from bastion.orgs.models import BRANCHES, Organization, OrgKind, TemporaryPurpose
from bastion.people.models import Membership, MembershipRole, PartyStatus, Person

VIEW = "orglife.view"


def _orgs(scope: Scope) -> QuerySet[Organization]:
    return Organization.objects.filter(scope.org_visible_q(VIEW))


def _overlaps(start: dt.date | None, end: dt.date | None, prefix: str = "") -> Q:
    """Rows with start/end dates (either may be empty) that overlap [start, end]."""
    q = Q()
    if end is not None:
        q &= Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": end})
    if start is not None:
        q &= Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start})
    return q


def _org_alive(start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if end is not None:
        q &= Q(established__isnull=True) | Q(established__lte=end)
    if start is not None:
        q &= Q(dissolved__isnull=True) | Q(dissolved__gte=start)
    return q


# -- branches ------------------------------------------------------------------------------


def branch_list(
    *,
    scope: Scope,
    kind: str | None = None,
    purpose: str | None = None,
    under: Organization | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    query: str = "",
) -> QuerySet[Organization]:
    """Branches (standing, temporary, online) in scope, optionally those alive in a period."""
    qs = _orgs(scope).filter(kind__in=BRANCHES).filter(_org_alive(period_start, period_end))
    if kind:
        qs = qs.filter(kind=kind)
    if purpose:
        qs = qs.filter(purpose=purpose)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    if query:
        from bastion.core.text import normalise_query

        qs = qs.filter(search_key__contains=normalise_query(query))
    return qs.select_related("area").order_by("path")


def branch_get(*, scope: Scope, pk: int) -> Organization:
    return get_object_or_404(_orgs(scope).select_related("area"), pk=pk)


def charter_for(org: Organization) -> BranchCharter | None:
    return (
        BranchCharter.objects.filter(organization=org)
        .select_related("secretary__person", "oath")
        .first()
    )


def member_list(*, scope: Scope, org: Organization, on: dt.date | None = None) -> QuerySet[Membership]:
    """Memberships of a branch (and its party groups), current on a day if given."""
    qs = Membership.objects.filter(organization__in=_orgs(scope).values("pk"), organization__path__startswith=org.path)
    if on is not None:
        qs = qs.filter(current_q(on))
    return qs.select_related("person", "organization").order_by("role", "person__name", "pk")


def working_rules_for(org: Organization) -> WorkingRules | None:
    """The rules of an online branch: its own, else those of the nearest committee above it."""
    paths = [org.path[: i * Organization.steplen] for i in range(org.depth, 0, -1)]
    rules = {r.organization.path: r for r in WorkingRules.objects.filter(organization__path__in=paths)
             .select_related("organization")}
    for path in paths:
        if path in rules:
            return rules[path]
    return None


# -- activities ----------------------------------------------------------------------------


def activity_list(
    *,
    scope: Scope,
    organization: Organization | None = None,
    under: Organization | None = None,
    kind: str | None = None,
    mode: str | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(organization__in=_orgs(scope).values("pk"))
    if organization is not None:
        qs = qs.filter(organization=organization)
    if under is not None:
        qs = qs.filter(organization__path__startswith=under.path)
    if kind:
        qs = qs.filter(kind=kind)
    if mode:
        qs = qs.filter(mode=mode)
    if period_start is not None:
        qs = qs.filter(date__gte=period_start)
    if period_end is not None:
        qs = qs.filter(date__lte=period_end)
    # A subquery rather than a join with GROUP BY: counting the list for its pager stays a plain count.
    present = (
        Attendance.objects.filter(activity=OuterRef("pk"), present=True)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.select_related("organization", "host").annotate(
        present_count=Coalesce(Subquery(present), 0)
    ).order_by("-date", "-pk")


def activity_get(*, scope: Scope, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.filter(organization__in=_orgs(scope).values("pk")).select_related("organization", "host"),
        pk=pk,
    )


# -- compliance ----------------------------------------------------------------------------


@dataclass
class Gap:
    kind: str
    start: dt.date
    end: dt.date
    late: bool

    @property
    def kind_label(self) -> str:
        return str(ActivityKind(self.kind).label)


@dataclass
class BranchCompliance:
    branch: Organization
    gaps: list[Gap] = field(default_factory=list)

    @property
    def late(self) -> list[Gap]:
        return [g for g in self.gaps if g.late]

    @property
    def due(self) -> list[Gap]:
        return [g for g in self.gaps if not g.late]


def _buckets(every: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar-aligned windows of `every` months (quarters start in Jan/Apr/Jul/Oct) meeting [start, end]."""
    first_month = (start.month - 1) // every * every + 1
    cursor = dt.date(start.year, first_month, 1)
    out = []
    while cursor <= end:
        nxt = add_months(cursor, every)
        out.append((cursor, nxt - dt.timedelta(days=1)))
        cursor = nxt
    return out


def rules_for(branch: Organization, rules: list[ComplianceRule]) -> dict[str, int]:
    """Each activity kind's frequency for a branch: the rule of the nearest organisation above it wins."""
    chosen: dict[str, tuple[int, int]] = {}
    for rule in rules:
        if rule.organization_id is None:
            depth = 0
        elif rule.organization is not None and branch.path.startswith(rule.organization.path):
            depth = rule.organization.depth
        else:
            continue
        if rule.activity_kind not in chosen or depth > chosen[rule.activity_kind][0]:
            chosen[rule.activity_kind] = (depth, rule.every_months)
    return {kind: months for kind, (_depth, months) in chosen.items() if months}


def compliance(
    *,
    scope: Scope,
    period_start: dt.date,
    period_end: dt.date,
    under: Organization | None = None,
    branches: QuerySet[Organization] | None = None,
    today: dt.date | None = None,
) -> list[BranchCompliance]:
    """For each branch in scope, the required activities missing in the period's windows.

    A window that has ended without the activity is late; one still running is only due.
    Windows before a branch was established or after it was dissolved are not required.
    """
    today = today or timezone.localdate()
    if branches is None:
        branches = branch_list(scope=scope, under=under, period_start=period_start, period_end=period_end)
    branch_rows = list(branches)
    rules = list(ComplianceRule.objects.select_related("organization"))
    held: dict[tuple[int, str], list[dt.date]] = {}
    for org_id, kind, date in Activity.objects.filter(
        organization__in=[b.pk for b in branch_rows] if len(branch_rows) < 500 else branches.values("pk"),
        date__gte=add_months(period_start, -12),
        date__lte=add_months(period_end, 12),
    ).values_list("organization_id", "kind", "date"):
        held.setdefault((org_id, kind), []).append(date)
    out = []
    for branch in branch_rows:
        result = BranchCompliance(branch)
        for kind, every in sorted(rules_for(branch, rules).items()):
            dates = held.get((branch.pk, kind), [])
            for start, end in _buckets(every, period_start, period_end):
                if branch.established and end < branch.established:
                    continue
                if branch.dissolved and start > branch.dissolved:
                    continue
                if any(start <= d <= end for d in dates):
                    continue
                result.gaps.append(Gap(kind=kind, start=start, end=end, late=end < today))
        out.append(result)
    return out


def branches_behind(
    *, scope: Scope, period_start: dt.date, period_end: dt.date, under: Organization | None = None,
    today: dt.date | None = None,
) -> list[BranchCompliance]:
    """The branches under an organisation that have missed a required activity (for the superior)."""
    rows = compliance(scope=scope, period_start=period_start, period_end=period_end, under=under, today=today)
    return [r for r in rows if r.late]


# -- pledges -------------------------------------------------------------------------------


def pledge_list(
    *, scope: Scope, person: Person | None = None, period_start: dt.date | None = None,
    period_end: dt.date | None = None, kind: str | None = None,
) -> QuerySet[Pledge]:
    qs = Pledge.objects.filter(organization__in=_orgs(scope).values("pk")).select_related("person", "organization")
    if person is not None:
        qs = qs.filter(person=person)
    if kind:
        qs = qs.filter(kind=kind)
    if period_start is not None:
        qs = qs.filter(date__gte=period_start)
    if period_end is not None:
        qs = qs.filter(date__lte=period_end)
    return qs.order_by("-date", "-pk")


def pledge_count(*, scope: Scope, period_start: dt.date | None = None, period_end: dt.date | None = None) -> int:
    return pledge_list(scope=scope, period_start=period_start, period_end=period_end).count()


# -- applications --------------------------------------------------------------------------


def application_list(
    *, scope: Scope, branch: Organization | None = None, stage: str | None = None,
    period_start: dt.date | None = None, period_end: dt.date | None = None,
) -> QuerySet[Application]:
    qs = Application.objects.filter(branch__in=_orgs(scope).values("pk")).select_related("person", "branch")
    if branch is not None:
        qs = qs.filter(branch__path__startswith=branch.path)
    if stage:
        qs = qs.filter(stage=stage)
    if period_start is not None:
        qs = qs.filter(applied_on__gte=period_start)
    if period_end is not None:
        qs = qs.filter(applied_on__lte=period_end)
    return qs.order_by("-applied_on", "-pk")


def application_get(*, scope: Scope, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.filter(branch__in=_orgs(scope).values("pk")).select_related("person", "branch"), pk=pk
    )


def applications_new(*, scope: Scope, period_start: dt.date, period_end: dt.date) -> int:
    """Applications to join made in the period."""
    return application_list(scope=scope, period_start=period_start, period_end=period_end).count()


STEP_LABELS = {
    "talk": _("Talk with the applicant"),
    "activist": _("Make activist"),
    "target": _("Make development target"),
    "admit": _("Admit as probationary member"),
    "confirm": _("Confirm as full member"),
}


@dataclass
class PipelineRow:
    application: Application
    next_step: str  # a key of STEP_LABELS
    due: dt.date | None
    late: bool

    @property
    def next_step_label(self) -> str:
        return str(STEP_LABELS[self.next_step])


def pipeline(*, scope: Scope, branch: Organization | None = None, today: dt.date | None = None) -> list[PipelineRow]:
    """Open applications with the step due next, its date, and whether it is late."""
    today = today or timezone.localdate()
    rows = []
    for app in application_list(scope=scope, branch=branch).exclude(stage=Stage.FULL).order_by("applied_on", "pk"):
        if app.stage == Stage.APPLICANT and app.talk_on is None:
            due: dt.date | None = add_months(app.applied_on, TALK_WITHIN_MONTHS)
            rows.append(PipelineRow(app, "talk", due, bool(due and due < today)))
        elif app.stage == Stage.APPLICANT:
            rows.append(PipelineRow(app, "activist", None, False))
        elif app.stage == Stage.ACTIVIST:
            assert app.activist_on is not None  # noqa: S101 - set with the stage
            rows.append(PipelineRow(app, "target", add_months(app.activist_on, ACTIVIST_MONTHS), False))
        elif app.stage == Stage.DEVELOPMENT_TARGET:
            rows.append(PipelineRow(app, "admit", None, False))
        else:
            due = app.probation_end
            rows.append(PipelineRow(app, "confirm", due, bool(due and due < today)))
    return rows


# -- brands and stories --------------------------------------------------------------------


def brand_list(*, scope: Scope) -> QuerySet[Brand]:
    return (
        Brand.objects.filter(organization__in=_orgs(scope).values("pk"))
        .select_related("organization")
        .annotate(story_count=Count("stories"))
        .order_by("name", "pk")
    )


def brand_count(*, scope: Scope) -> int:
    return Brand.objects.filter(organization__in=_orgs(scope).values("pk")).count()


def story_list(*, scope: Scope, brand: Brand | None = None, person: Person | None = None) -> QuerySet[Story]:
    qs = Story.objects.filter(organization__in=_orgs(scope).values("pk")).select_related("organization", "brand")
    if brand is not None:
        qs = qs.filter(brand=brand)
    if person is not None:
        qs = qs.filter(people=person)
    return qs.prefetch_related("people").order_by("-date", "-pk")


def story_get(*, scope: Scope, pk: int) -> Story:
    return get_object_or_404(story_list(scope=scope), pk=pk)


# -- figures -------------------------------------------------------------------------------


def online_branch_count(*, scope: Scope, period_start: dt.date | None = None, period_end: dt.date | None = None) -> int:
    """branches.online: online branches in scope that existed in the period."""
    return branch_list(
        scope=scope, kind=OrgKind.ONLINE_BRANCH, period_start=period_start, period_end=period_end
    ).count()


def online_activity_count(*, scope: Scope, period_start: dt.date, period_end: dt.date) -> int:
    """orglife.online_activities: activities held online in the period."""
    return Activity.objects.filter(
        organization__in=_orgs(scope).values("pk"), mode=ActivityMode.ONLINE, date__gte=period_start,
        date__lte=period_end,
    ).count()


def temporary_member_count(
    *, scope: Scope, purpose: str, period_start: dt.date | None = None, period_end: dt.date | None = None,
    agency_cadres_only: bool = False,
) -> int:
    """Distinct persons who were members of temporary branches of a purpose in the period."""
    orgs = _orgs(scope).filter(kind=OrgKind.TEMPORARY_BRANCH, purpose=purpose).values("pk")
    qs = Membership.objects.filter(_overlaps(period_start, period_end), organization__in=orgs)
    if agency_cadres_only:
        qs = qs.filter(person__is_agency_cadre=True)
    return qs.values("person_id").distinct().count()


def assault_team_members(*, scope: Scope, period_start: dt.date | None = None,
                         period_end: dt.date | None = None) -> int:
    """teams.assault.members: members of the assault teams (突擊隊) in the period."""
    return temporary_member_count(
        scope=scope, purpose=TemporaryPurpose.ASSAULT_TEAM, period_start=period_start, period_end=period_end
    )


CADRE_TEAM_PURPOSES = (TemporaryPurpose.CHECKPOINT_TEAM, TemporaryPurpose.MOBILE_TEAM)


def checkpoint_cadre_count(*, scope: Scope, period_start: dt.date | None = None,
                           period_end: dt.date | None = None) -> int:
    """Agency cadres sent to checkpoint and mobile teams in the period (the seed's 43)."""
    orgs = _orgs(scope).filter(kind=OrgKind.TEMPORARY_BRANCH, purpose__in=CADRE_TEAM_PURPOSES).values("pk")
    return (
        Membership.objects.filter(
            _overlaps(period_start, period_end), organization__in=orgs, person__is_agency_cadre=True
        )
        .values("person_id")
        .distinct()
        .count()
    )


def temporary_member_list(
    *, scope: Scope, purposes: tuple[str, ...], period_start: dt.date | None = None,
    period_end: dt.date | None = None, agency_cadres_only: bool = False,
) -> QuerySet[Person]:
    """The persons behind temporary_member_count / checkpoint_cadre_count (for a report's drill-down)."""
    orgs = _orgs(scope).filter(kind=OrgKind.TEMPORARY_BRANCH, purpose__in=purposes).values("pk")
    memberships = Membership.objects.filter(_overlaps(period_start, period_end), organization__in=orgs)
    if agency_cadres_only:
        memberships = memberships.filter(person__is_agency_cadre=True)
    return Person.objects.filter(pk__in=memberships.values("person_id")).order_by("name", "pk")


def grid_pioneer_branch_list(
    *, scope: Scope, period_start: dt.date | None = None, period_end: dt.date | None = None
) -> QuerySet[Organization]:
    """branches.temporary.grid_pioneer: grid pioneer group temporary branches alive in the period."""
    return branch_list(
        scope=scope, kind=OrgKind.TEMPORARY_BRANCH, purpose=TemporaryPurpose.GRID_PIONEER,
        period_start=period_start, period_end=period_end,
    )


def grids_covered_list(
    *, scope: Scope, period_start: dt.date | None = None, period_end: dt.date | None = None
) -> QuerySet[Area]:
    """grids.covered: grids in scope covered by a grid pioneer branch (in scope) alive in the period."""
    branches = grid_pioneer_branch_list(scope=scope, period_start=period_start, period_end=period_end)
    covering = Organization.covered_areas.through.objects.filter(
        area=OuterRef("pk"), organization__in=branches.order_by().values("pk")
    )
    return (
        Area.objects.filter(scope.area_visible_q("area.view"), kind=AreaKind.GRID)
        .filter(Exists(covering))
        .order_by("path")
    )


def grid_pioneer_secretary_list(
    *, scope: Scope, period_start: dt.date | None = None, period_end: dt.date | None = None
) -> QuerySet[Membership]:
    """Secretaries of the grid pioneer branches in the period (one row per secretary membership)."""
    branches = grid_pioneer_branch_list(scope=scope, period_start=period_start, period_end=period_end)
    return (
        Membership.objects.filter(
            _overlaps(period_start, period_end), organization__in=branches.order_by().values("pk"),
            role=MembershipRole.SECRETARY,
        )
        .select_related("person", "organization")
        .order_by("organization__path", "pk")
    )


def grid_pioneer_agency_cadre_secretary_share(
    *, scope: Scope, period_start: dt.date | None = None, period_end: dt.date | None = None
) -> Decimal | None:
    """Share of grid pioneer secretaries (distinct persons) who are agency cadres, 2 places; None without any."""
    persons = grid_pioneer_secretary_list(scope=scope, period_start=period_start, period_end=period_end).values(
        "person_id"
    )
    counts = Person.objects.filter(pk__in=persons).aggregate(
        total=Count("pk"), cadres=Count("pk", filter=Q(is_agency_cadre=True))
    )
    if not counts["total"]:
        return None
    return (Decimal(counts["cadres"]) / Decimal(counts["total"])).quantize(Decimal("0.01"), ROUND_HALF_UP)


# -- participation -------------------------------------------------------------------------

# The one definition: a person participates in the response in a period when they hold a duty
# in it, namely a responsibility (coverage), a shift (checkpoints), a screening visit they made
# (screening), attendance at an activity (here), or membership of a temporary branch.
PARTICIPATION_SOURCES = ("responsibility", "shift", "screening_visit", "attendance", "temporary_branch")


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def _selectors_of(app: str) -> Any:
    """An app's selectors module, or None when that app has none (a graceful fallback)."""
    name = f"bastion.{app}.selectors"
    if find_spec(f"bastion.{app}") is None or find_spec(name) is None:
        return None
    return import_module(name)


def duty_person_ids(*, scope: Scope, period_start: dt.date, period_end: dt.date) -> dict[str, Any]:
    """For each kind of duty, a query of the ids of persons holding one in the period."""
    lo, hi = _day_bounds(period_start, period_end)
    sources: dict[str, Any] = {}

    coverage = _selectors_of("coverage")
    if coverage is not None:
        responsibilities = coverage.responsibility_list(scope=scope, period_start=period_start, period_end=period_end)
        sources["responsibility"] = responsibilities.values("member_id")

    checkpoints = _selectors_of("checkpoints")
    if checkpoints is not None:
        shifts = checkpoints.shift_list(scope=scope).filter(Q(end__isnull=True) | Q(end__gt=lo), start__lt=hi)
        sources["shift"] = shifts.values("person_id")

    screening = _selectors_of("screening")
    if screening is not None:
        visits = screening.screening_visit_list(scope=scope, period_start=period_start, period_end=period_end)
        sources["screening_visit"] = visits.exclude(member=None).values("member_id")

    orgs = _orgs(scope).values("pk")
    sources["attendance"] = Attendance.objects.filter(
        present=True, activity__organization__in=orgs, activity__date__gte=period_start,
        activity__date__lte=period_end,
    ).values("person_id")
    sources["temporary_branch"] = Membership.objects.filter(
        _overlaps(period_start, period_end),
        organization__in=_orgs(scope).filter(kind=OrgKind.TEMPORARY_BRANCH).filter(
            _org_alive(period_start, period_end)
        ).values("pk"),
    ).values("person_id")
    return sources


def participating_person_ids(
    *, scope: Scope, period_start: dt.date, period_end: dt.date
) -> QuerySet[Person, int]:
    """members.participating: the persons who hold a duty in the period, as a query of their ids.

    This is the one definition of participation; every page and figure uses it.
    """
    q = Q(pk__in=[])
    for ids in duty_person_ids(scope=scope, period_start=period_start, period_end=period_end).values():
        q |= Q(pk__in=ids)
    return Person.objects.filter(q).values_list("pk", flat=True)


def participating_count(*, scope: Scope, period_start: dt.date, period_end: dt.date) -> int:
    return participating_person_ids(scope=scope, period_start=period_start, period_end=period_end).count()


def participation_by_source(
    *, scope: Scope, period_start: dt.date, period_end: dt.date, person_ids: Any = None
) -> dict[str, int]:
    """How many persons hold each kind of duty (a person may count under several)."""
    out = {}
    for source, ids in duty_person_ids(scope=scope, period_start=period_start, period_end=period_end).items():
        qs = Person.objects.filter(pk__in=ids)
        if person_ids is not None:
            qs = qs.filter(pk__in=person_ids)
        out[source] = qs.count()
    return out


def party_member_count(*, scope: Scope) -> int:
    return Person.objects.filter(
        scope.person_visible_q("person.view"), party_status__in=[PartyStatus.PROBATIONARY, PartyStatus.FULL]
    ).count()


def figures(*, scope: Scope, period_start: dt.date, period_end: dt.date) -> dict[str, Any]:
    """The figures this app contributes to the report, by their stable codes."""
    period = {"period_start": period_start, "period_end": period_end}
    return {
        "branches.online": online_branch_count(scope=scope, **period),
        "orglife.online_activities": online_activity_count(scope=scope, **period),
        "applications.new": applications_new(scope=scope, **period),
        "brands": brand_count(scope=scope),
        "teams.assault.members": assault_team_members(scope=scope, **period),
        "members.participating": participating_count(scope=scope, **period),
        "orglife.pledges": pledge_count(scope=scope, **period),
        "orglife.checkpoint_cadres": checkpoint_cadre_count(scope=scope, **period),
    }
