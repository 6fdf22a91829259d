"""Reads of checkpoints, always filtered by a Scope. Every site figure is computed from the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncHour
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.checkpoints import conf
from bastion.checkpoints.duty import Duty, merge
from bastion.checkpoints.models import DeviceToken, DutyWarning, Entrance, Reading, Referral, Shift, Tally
from bastion.checkpoints.permissions import MANAGE, VIEW
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose
from bastion.people.models import Membership, Person


# -- continuous-duty warnings (read by the care module) ---------------------------------
def duty_warning_list(*, scope: Scope, since: dt.datetime | None = None) -> QuerySet[DutyWarning]:
    """Continuous duties longer than the long-duty setting, newest first.

    Fields: person, site, start, end, hours (Decimal, one place). `since` keeps the duties
    that ended at or after that time. Visible to holders of checkpoint.view or care.view
    over the site.
    """
    qs = DutyWarning.objects.select_related("person", "site")
    if not scope.unrestricted:
        qs = qs.filter(scope.area_q(VIEW, "site") | scope.area_q("care.view", "site"))
    if since is not None:
        qs = qs.filter(end__gte=since)
    return qs.order_by("-end", "pk")


# -- sites, entrances, teams --------------------------------------------------------------
def site_list(*, scope: Scope, perm: str = VIEW) -> QuerySet[Area]:
    return Area.objects.filter(scope.area_visible_q(perm), kind=AreaKind.SITE).order_by("name", "pk")


def site_get(*, scope: Scope, pk: int, perm: str = VIEW) -> Area:
    return get_object_or_404(site_list(scope=scope, perm=perm), pk=pk)


def entrance_list(*, scope: Scope, site: Area | None = None) -> QuerySet[Entrance]:
    qs = Entrance.objects.filter(scope.area_q(VIEW, "site")).select_related("site")
    if site is not None:
        qs = qs.filter(site=site)
    return qs.order_by("site__name", "name", "pk")


def entrance_get(*, scope: Scope, pk: int, perm: str = VIEW) -> Entrance:
    return get_object_or_404(Entrance.objects.filter(scope.area_q(perm, "site")).select_related("site"), pk=pk)


def team_for_site(site: Area) -> Organization | None:
    """The checkpoint team (a temporary branch) covering the site."""
    return (
        Organization.objects.filter(
            kind=OrgKind.TEMPORARY_BRANCH, purpose=TemporaryPurpose.CHECKPOINT_TEAM, covered_areas=site
        )
        .order_by("path")
        .first()
    )


def _team_memberships(site: Area) -> QuerySet[Membership]:
    team = team_for_site(site)
    if team is None:
        return Membership.objects.none()
    return Membership.objects.filter(organization__path__startswith=team.path)


def _overlapping(qs: QuerySet[Membership], start: dt.date | None, end: dt.date | None) -> QuerySet[Membership]:
    if end is not None:
        qs = qs.filter(Q(start__isnull=True) | Q(start__lte=end))
    if start is not None:
        qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
    return qs


def team_member_list(
    *, scope: Scope, site: Area, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Person]:
    """Persons holding a membership in the site's team or its party groups during [start, end]."""
    scope.require(VIEW, area=site)
    memberships = _overlapping(_team_memberships(site), start, end)
    return Person.objects.filter(pk__in=memberships.values("person_id")).order_by("name", "pk")


def _day_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return lo, hi


def reading_list(
    *, scope: Scope, site: Area | None = None, entrance: Entrance | None = None, fevers_only: bool = False
) -> QuerySet[Reading]:
    qs = Reading.objects.filter(scope.area_q(VIEW, "entrance__site")).select_related("entrance", "measured_by")
    if site is not None:
        qs = qs.filter(entrance__site=site)
    if entrance is not None:
        qs = qs.filter(entrance=entrance)
    if fevers_only:
        qs = qs.filter(temperature__gte=conf.fever_threshold())
    return qs.order_by("-measured_at", "-pk")


def person_times(*, scope: Scope, site: Area, start: dt.date | None = None, end: dt.date | None = None) -> int:
    """Persons checked at the site: first readings (a re-measure is the same person) plus tallied passes."""
    scope.require(VIEW, area=site)
    lo, hi = _day_bounds(start, end)
    readings = Reading.objects.filter(entrance__site=site, remeasure_of__isnull=True)
    tallies = Tally.objects.filter(entrance__site=site)
    if lo:
        readings, tallies = readings.filter(measured_at__gte=lo), tallies.filter(start__gte=lo)
    if hi:
        readings, tallies = readings.filter(measured_at__lt=hi), tallies.filter(start__lt=hi)
    return readings.count() + (tallies.aggregate(n=Sum("count"))["n"] or 0)


def person_times_records(
    *, scope: Scope, site: Area, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[QuerySet[Reading], QuerySet[Tally]]:
    """The records behind person_times: first readings and tallies in [start, end] (a report's drill-down)."""
    scope.require(VIEW, area=site)
    lo, hi = _day_bounds(start, end)
    readings = Reading.objects.filter(entrance__site=site, remeasure_of__isnull=True).select_related("entrance")
    tallies = Tally.objects.filter(entrance__site=site).select_related("entrance")
    if lo:
        readings, tallies = readings.filter(measured_at__gte=lo), tallies.filter(start__gte=lo)
    if hi:
        readings, tallies = readings.filter(measured_at__lt=hi), tallies.filter(start__lt=hi)
    return readings.order_by("measured_at", "pk"), tallies.order_by("start", "pk")


def shift_list(*, scope: Scope, site: Area | None = None, person: Person | None = None) -> QuerySet[Shift]:
    qs = Shift.objects.filter(scope.area_q(VIEW, "entrance__site")).select_related("person", "entrance")
    if site is not None:
        qs = qs.filter(entrance__site=site)
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("-start", "pk")


def continuous_duties(
    *, scope: Scope, site: Area, start: dt.date | None = None, end: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Duty]:
    """The site's shifts merged into continuous duties (gap under the setting), in [start, end]."""
    scope.require(VIEW, area=site)
    lo, hi = _day_bounds(start, end)
    shifts = Shift.objects.filter(entrance__site=site)
    if lo:
        shifts = shifts.filter(Q(end__isnull=True) | Q(end__gt=lo - conf.duty_gap()))
    if hi:
        shifts = shifts.filter(start__lt=hi + conf.duty_gap())
    rows = shifts.values_list("person_id", "start", "end")
    return merge(rows, gap=conf.duty_gap(), now=now or timezone.now())


@dataclass(frozen=True)
class MemberDuty:
    person: Person
    longest: Duty


def longest_duty_per_member(
    *, scope: Scope, site: Area, start: dt.date | None = None, end: dt.date | None = None
) -> list[MemberDuty]:
    """Each member's longest continuous duty at the site in the period, longest first."""
    best: dict[int, Duty] = {}
    for duty in continuous_duties(scope=scope, site=site, start=start, end=end):
        if duty.person_id not in best or duty.hours > best[duty.person_id].hours:
            best[duty.person_id] = duty
    persons = Person.objects.in_bulk(list(best))
    out = [MemberDuty(persons[pid], d) for pid, d in best.items()]
    return sorted(out, key=lambda m: (-m.longest.hours, m.person.name))


def site_figures(
    *, scope: Scope, site: Area, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """The site's figures, as the district report shows them under checkpoints.sites.<name>.

    team_members: persons in the team or its party groups in the period;
    entrances: entrances of the site; person_times: first readings + tallied passes;
    longest_continuous_duty_hours: the longest merged duty, in whole hours (floored).
    """
    duties = continuous_duties(scope=scope, site=site, start=start, end=end)
    longest = max((d.end - d.start for d in duties), default=dt.timedelta(0))
    threshold = conf.fever_threshold()
    lo, hi = _day_bounds(start, end)
    fevers = Reading.objects.filter(entrance__site=site, temperature__gte=threshold, remeasure_of__isnull=True)
    referrals = Referral.objects.filter(entrance__site=site)
    if lo:
        fevers, referrals = fevers.filter(measured_at__gte=lo), referrals.filter(referred_at__gte=lo)
    if hi:
        fevers, referrals = fevers.filter(measured_at__lt=hi), referrals.filter(referred_at__lt=hi)
    return {
        "team_members": team_member_list(scope=scope, site=site, start=start, end=end).count(),
        "entrances": Entrance.objects.filter(site=site).count(),
        "person_times": person_times(scope=scope, site=site, start=start, end=end),
        "longest_continuous_duty_hours": int(longest.total_seconds() // 3600),
        "fevers": fevers.count(),
        "referrals": referrals.count(),
    }


def hourly_person_times(*, scope: Scope, site: Area, day: dt.date) -> dict[str, Any]:
    """Person-times per entrance per hour of one local day: {"hours": [0..23], "rows": [(entrance, [n]*24, total)]}."""
    scope.require(VIEW, area=site)
    lo, hi = _day_bounds(day, day)
    tz = timezone.get_current_timezone()
    counts: dict[tuple[int, int], int] = {}
    readings = (
        Reading.objects.filter(entrance__site=site, remeasure_of__isnull=True, measured_at__gte=lo, measured_at__lt=hi)
        .annotate(hour=TruncHour("measured_at", tzinfo=tz))
        .values("entrance_id", "hour")
        .annotate(n=Count("pk"))
    )
    for row in readings:
        key = (row["entrance_id"], row["hour"].astimezone(tz).hour)
        counts[key] = counts.get(key, 0) + row["n"]
    tallies = (
        Tally.objects.filter(entrance__site=site, start__gte=lo, start__lt=hi)
        .annotate(hour=TruncHour("start", tzinfo=tz))
        .values("entrance_id", "hour")
        .annotate(n=Sum("count"))
    )
    for row in tallies:
        key = (row["entrance_id"], row["hour"].astimezone(tz).hour)
        counts[key] = counts.get(key, 0) + (row["n"] or 0)
    rows: list[dict[str, Any]] = []
    totals = [0] * 24
    for entrance in Entrance.objects.filter(site=site).order_by("name", "pk"):
        cells = [counts.get((entrance.pk, h), 0) for h in range(24)]
        rows.append({"entrance": entrance, "cells": cells, "total": sum(cells)})
        totals = [a + b for a, b in zip(totals, cells, strict=True)]
    return {"hours": list(range(24)), "rows": rows, "totals": totals, "total": sum(totals)}


def referral_list(*, scope: Scope, site: Area | None = None, outcome: str = "") -> QuerySet[Referral]:
    qs = Referral.objects.filter(scope.area_q(VIEW, "entrance__site")).select_related("entrance", "destination_area")
    if site is not None:
        qs = qs.filter(entrance__site=site)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-referred_at", "-pk")


def referral_get(*, scope: Scope, pk: int) -> Referral:
    return get_object_or_404(referral_list(scope=scope), pk=pk)


def referral_outcome_counts(*, scope: Scope, site: Area) -> dict[str, int]:
    rows = referral_list(scope=scope, site=site).order_by().values("outcome").annotate(n=Count("pk"))
    return {row["outcome"]: row["n"] for row in rows}


@dataclass(frozen=True)
class OnDuty:
    name: str
    roles: list[str]
    entrance: str
    since: dt.datetime


def on_duty_now(*, site: Area | None = None, entrance: Entrance | None = None,
                now: dt.datetime | None = None) -> list[OnDuty]:
    """Who is on duty now (open shift or one covering now): names and team roles only.

    Not scoped: it feeds the public 亮身份 page, and shows nothing but names and roles.
    """
    now = now or timezone.now()
    shifts = Shift.objects.filter(start__lte=now).filter(Q(end__isnull=True) | Q(end__gt=now))
    if entrance is not None:
        shifts = shifts.filter(entrance=entrance)
        site = entrance.site
    elif site is not None:
        shifts = shifts.filter(entrance__site=site)
    shifts = shifts.select_related("person", "entrance").order_by("entrance__name", "person__name", "start")
    roles: dict[int, list[str]] = {}
    if site is not None:
        today = timezone.localdate(now)
        memberships = _overlapping(_team_memberships(site), today, today).select_related("organization")
        for m in memberships.order_by("organization__path", "role"):
            label = f"{m.organization.name} {m.title or m.get_role_display()}"
            roles.setdefault(m.person_id, []).append(label)
    seen: set[tuple[int, int]] = set()
    out = []
    for shift in shifts:
        key = (shift.person_id, shift.entrance_id)
        if key in seen:
            continue
        seen.add(key)
        out.append(OnDuty(shift.person.name, roles.get(shift.person_id, []), shift.entrance.name, shift.start))
    return out


def entrance_by_public_key(key: Any) -> Entrance:
    return get_object_or_404(Entrance.objects.select_related("site"), public_key=key)


def device_token_list(*, scope: Scope, site: Area) -> QuerySet[DeviceToken]:
    scope.require(MANAGE, area=site)
    return DeviceToken.objects.filter(site=site).order_by("-created_at")


def fever_readings_without_referral(*, scope: Scope, site: Area) -> QuerySet[Reading]:
    """Confirmed fevers (a re-measure at or above the threshold) that have no referral yet."""
    referred = Referral.objects.filter(reading_uuid=OuterRef("uuid"))
    return (
        reading_list(scope=scope, site=site, fevers_only=True)
        .filter(remeasure_of__isnull=False)
        .annotate(referred=Exists(referred))
        .filter(referred=False)
    )

