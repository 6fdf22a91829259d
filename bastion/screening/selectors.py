"""Reads of screening visits, isolations, referrals, tasks and the Today list, always filtered by a Scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bastion.access.scope import NOTHING, Scope
from bastion.areas.models import Area
from bastion.coverage import selectors as coverage
from bastion.people.models import Person
from bastion.screening import conf
from bastion.screening.models import (
    Channel,
    Isolation,
    IsolationCheck,
    IsolationStatus,
    Referral,
    ReleaseRecord,
    ScreeningTask,
    ScreeningVisit,
    TaskStatus,
)


def visible_q(scope: Scope, *, prefix: str = "") -> Q:
    """Records in the granted areas (screening.view), plus those of the user's own households and persons."""
    if scope.unrestricted:
        return Q()
    q = scope.area_q("screening.view", f"{prefix}grid")
    if scope.has("screening.view_own"):
        q |= coverage.own_record_q(
            scope, person_field=f"{prefix}person", household_field=f"{prefix}household", grid_field=f"{prefix}grid"
        )
    return q


def writable_q(scope: Scope, *, prefix: str = "") -> Q:
    if scope.unrestricted:
        return Q()
    q = scope.area_q("screening.record", f"{prefix}grid")
    if scope.has("screening.record_own"):
        q |= coverage.own_record_q(
            scope, person_field=f"{prefix}person", household_field=f"{prefix}household", grid_field=f"{prefix}grid"
        )
    return q


def _period(qs: QuerySet[Any], field: str, start: dt.date | None, end: dt.date | None) -> QuerySet[Any]:
    if start is not None:
        qs = qs.filter(**{f"{field}__date__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__date__lte": end})
    return qs


def screening_visit_list(
    *,
    scope: Scope,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    person: Person | None = None,
    household_id: int | None = None,
    area: Area | None = None,
) -> QuerySet[ScreeningVisit]:
    """Visits in scope in the period. Count persons screened with `.values("person_id").distinct()`,
    members who screened with `.exclude(member=None).values("member_id").distinct()`."""
    qs = _period(ScreeningVisit.objects.filter(visible_q(scope)), "at", period_start, period_end)
    if person is not None:
        qs = qs.filter(person=person)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if area is not None:
        qs = qs.filter(grid__path__startswith=area.path)
    return qs.select_related("person", "member", "household__building", "grid").order_by("-at", "-pk")


def screening_visit_get(*, scope: Scope, pk: int) -> ScreeningVisit:
    return get_object_or_404(screening_visit_list(scope=scope), pk=pk)


def recent_visit(*, scope: Scope, person: Person, now: dt.datetime | None = None) -> ScreeningVisit | None:
    """The latest screening of the person within the collect-once window, by anyone in scope."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=conf.recent_days())
    return screening_visit_list(scope=scope, person=person).filter(at__gte=since).first()


def isolation_list(
    *,
    scope: Scope,
    status: str | None = None,
    area: Area | None = None,
    person: Person | None = None,
    household_id: int | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> QuerySet[Isolation]:
    qs = Isolation.objects.filter(visible_q(scope))
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(grid__path__startswith=area.path)
    if person is not None:
        qs = qs.filter(person=person)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if period_end is not None:
        qs = qs.filter(start__lte=period_end)
    if period_start is not None:
        qs = qs.filter(Q(end__isnull=True) | Q(end__gte=period_start))
    return qs.select_related("person", "household__building", "grid").order_by("-start", "-pk")


def isolation_get(*, scope: Scope, pk: int) -> Isolation:
    return get_object_or_404(isolation_list(scope=scope), pk=pk)


def isolation_check_list(*, isolation: Isolation) -> QuerySet[IsolationCheck]:
    return isolation.checks.select_related("member").order_by("-at", "-pk")


def unassigned_isolations(*, scope: Scope, area: Area, day: dt.date | None = None) -> QuerySet[Isolation]:
    """Persons under isolation in the area whom nobody answers for."""
    day = day or timezone.localdate()
    return isolation_list(scope=scope, status=IsolationStatus.ACTIVE, area=area).filter(
        coverage.uncovered_record_q(day)
    )


def referral_list(
    *,
    scope: Scope,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    person: Person | None = None,
    pending: bool = False,
) -> QuerySet[Referral]:
    qs = _period(Referral.objects.filter(visible_q(scope)), "at", period_start, period_end)
    if person is not None:
        qs = qs.filter(person=person)
    if pending:
        qs = qs.filter(outcome="pending")
    return qs.select_related("person", "grid").order_by("-at", "-pk")


def referral_get(*, scope: Scope, pk: int) -> Referral:
    return get_object_or_404(referral_list(scope=scope), pk=pk)


def release_record_list(*, scope: Scope) -> QuerySet[ReleaseRecord]:
    return ReleaseRecord.objects.filter(visible_q(scope, prefix="isolation__")).select_related(
        "isolation__person", "community"
    )


def release_record_get(*, scope: Scope, pk: int) -> ReleaseRecord:
    return get_object_or_404(
        release_record_list(scope=scope).select_related("isolation__household__building", "issued_by"), pk=pk
    )


def task_visible_q(scope: Scope) -> Q:
    """Tasks in the granted areas, or in an area / household / for a person the user answers for."""
    if scope.unrestricted:
        return Q()
    q = scope.area_q("screening.view", "area")
    if scope.has("screening.view_own"):
        t = coverage.scope_targets(scope)
        if t.person_ids:
            q |= Q(person_id__in=list(t.person_ids))
        q |= t.household_q("household__")
        for path in t.area_paths:
            q |= Q(area__path__startswith=path)
    return q


def task_list(
    *, scope: Scope, status: str | None = TaskStatus.OPEN, area: Area | None = None
) -> QuerySet[ScreeningTask]:
    qs = ScreeningTask.objects.filter(task_visible_q(scope))
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    return qs.select_related("area", "household__building", "person").order_by("due", "pk")


def task_get(*, scope: Scope, pk: int) -> ScreeningTask:
    return get_object_or_404(task_list(scope=scope, status=None), pk=pk)


# -- Today -----------------------------------------------------------------------------------------------------


@dataclass
class TodayItem:
    kind: str  # "check", "release", "task", "self_report"
    due: dt.datetime
    overdue: bool
    title: str
    detail: str
    obj: Any


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _today_q(scope: Scope, *, prefix: str = "") -> Q:
    """What lands on this user's Today page: their own households and persons; and, for those who record for an
    area (community workers, grid secretaries), whatever in that area nobody answers for."""
    fields = {"person_field": f"{prefix}person", "household_field": f"{prefix}household", "grid_field": f"{prefix}grid"}
    q = NOTHING
    if scope.has("screening.record_own") or scope.has("screening.view_own") or scope.has("screening.record"):
        q |= coverage.own_record_q(scope, **fields)
    if scope.has("screening.record"):
        q |= scope.area_q("screening.record", f"{prefix}grid") & coverage.uncovered_record_q(
            person_field=fields["person_field"],
            household_field=fields["household_field"],
            grid_field=fields["grid_field"],
        )
    return q


def today_items(*, scope: Scope, now: dt.datetime | None = None, limit: int = 500) -> list[TodayItem]:
    """Isolation checks and releases due, open screening tasks, unread self-reports: overdue first.

    Four queries whatever the number of items (plus the one that resolves the user's responsibilities).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_today = _start_of(today)
    items: list[TodayItem] = []

    isolations = (
        Isolation.objects.filter(_today_q(scope), status=IsolationStatus.ACTIVE, start__lte=today)
        .select_related("person", "household__building")
        .annotate(last_at=Max("checks__at"), done_today=Count("checks", filter=Q(checks__at__gte=start_today)))
        .order_by("start", "pk")[:limit]
    )
    for iso in isolations:
        day_no = (today - iso.start).days + 1
        if iso.planned_end <= today:
            due = _start_of(iso.planned_end)
            items.append(
                TodayItem(
                    "release", due, iso.planned_end < today, iso.person.name, f"{iso.start:%m-%d}+{iso.days}", iso
                )
            )
            continue
        interval = dt.timedelta(hours=24 / iso.checks_per_day)
        last = iso.last_at  # type: ignore[attr-defined]
        due = last + interval if last else _start_of(iso.start)
        if iso.done_today >= iso.checks_per_day and due >= _start_of(today + dt.timedelta(days=1)):  # type: ignore[attr-defined]
            continue
        if iso.done_today >= iso.checks_per_day:  # type: ignore[attr-defined]
            continue
        items.append(
            TodayItem(
                "check",
                due,
                due < now,
                iso.person.name,
                f"{day_no}/{iso.days} · {iso.done_today}/{iso.checks_per_day}",
                iso,
            )
        )  # type: ignore[attr-defined]

    tasks = (
        ScreeningTask.objects.filter(_task_today_q(scope), status=TaskStatus.OPEN, due__lte=today)
        .select_related("household__building", "person", "area")
        .order_by("due", "pk")[:limit]
    )
    for task in tasks:
        items.append(TodayItem("task", _start_of(task.due), task.due < today, task.name, task.reason, task))

    visits = (
        ScreeningVisit.objects.filter(_today_q(scope), channel=Channel.SELF_REPORT, reviewed_at__isnull=True)
        .select_related("person", "household__building")
        .order_by("at", "pk")[:limit]
    )
    for visit in visits:
        items.append(TodayItem("self_report", visit.at, False, visit.person.name, f"{visit.temperature or ''}", visit))
    checks = (
        IsolationCheck.objects.filter(
            _today_q(scope, prefix="isolation__"), channel=Channel.SELF_REPORT, reviewed_at__isnull=True
        )
        .select_related("isolation__person", "isolation__household__building")
        .order_by("at", "pk")[:limit]
    )
    for check in checks:
        items.append(
            TodayItem("self_report", check.at, False, check.isolation.person.name, f"{check.temperature or ''}", check)
        )
    items.sort(key=lambda i: (not i.overdue, i.due))
    return items


def _task_today_q(scope: Scope) -> Q:
    q = NOTHING
    if scope.has("screening.record_own") or scope.has("screening.view_own") or scope.has("screening.record"):
        t = coverage.scope_targets(scope)
        if t.person_ids:
            q |= Q(person_id__in=list(t.person_ids))
        q |= t.household_q("household__")
        for path in t.area_paths:
            q |= Q(area__path__startswith=path)
    if scope.has("screening.record"):
        # Tasks nobody in particular answers for go to the community's workers.
        q |= scope.area_q("screening.record", "area") & coverage.uncovered_record_q(grid_field="area")
    return q
