"""Demo screening for the named communities, 2020-01-24 .. 2020-02-16.

岳曉露 (西藏路社區) and the grid volunteers check every resident of 西藏路社區; the other named
communities screen about a third of their households. Returning travellers and close contacts go
into home isolation (services: the isolation, its release record, referrals and their outcomes);
their twice-daily checks and the plain screening visits, being the high-volume rows, are written in
bulk. 青島火車站 hands three fever referrals over to 仰口路社區, and two residents self-report.

Runs after the coverage loader. Idempotent: a community that already has screening visits is left
as it is; the random choices come from a generator derived from `ctx.rng` in a fixed amount.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bastion.areas.models import Area, AreaKind
from bastion.core.models import AuditEvent
from bastion.coverage.demo import COMMUNITIES, VOLUNTEER, DemoDataMissing
from bastion.coverage.models import Resident, Responsibility, TargetKind
from bastion.demo.context import DemoContext
from bastion.people.models import Person
from bastion.screening import services
from bastion.screening.models import (
    Channel,
    Isolation,
    IsolationCheck,
    IsolationStatus,
    Outcome,
    ScreeningTask,
    ScreeningVisit,
)

XIZANG = "西藏路社區"
YUE = "岳曉露"
YANGKOU = "仰口路社區"
STATION = "青島火車站"
CLINIC = "青島市市立醫院發熱門診"
ORIGINS = ["武漢", "孝感", "黃岡", "溫州", "北京", "上海", "廣州", "哈爾濱"]
ISOLATIONS_PER_COMMUNITY = 8


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load(ctx: DemoContext) -> None:
    load_into(ctx, COMMUNITIES)


def load_into(
    ctx: DemoContext, communities: list[str], isolations_per_community: int = ISOLATIONS_PER_COMMUNITY
) -> None:
    rng = random.Random(ctx.rng.getrandbits(64))  # noqa: S311 - demo data, not crypto
    seeds = {name: rng.getrandbits(64) for name in communities}
    for name in communities:
        try:
            community = ctx.area(name)
        except Exception as exc:  # noqa: BLE001 - DoesNotExist
            raise DemoDataMissing(
                f"screening demo: community “{name}” is missing; the spine loader must run first"
            ) from exc
        if ScreeningVisit.objects.filter(grid__path__startswith=community.path).exists():
            continue
        _community(ctx, community, random.Random(seeds[name]), isolations_per_community)  # noqa: S311
    if YANGKOU in communities:
        _station_tasks(ctx)


def _visitors(community: Area) -> dict[int, Person]:
    """The member answering for each grid (包片), by grid id."""
    rows = Responsibility.objects.filter(
        kind=TargetKind.AREA, area__path__startswith=community.path, area__kind=AreaKind.GRID
    ).select_related("member")
    return {r.area_id: r.member for r in rows if r.area_id is not None}


def _community(ctx: DemoContext, community: Area, rng: random.Random, isolations: int) -> None:
    residents = list(
        Resident.objects.filter(household__grid__path__startswith=community.path, moved_out__isnull=True)
        .select_related("household__grid", "person")
        .order_by("pk")
    )
    if not residents:
        return
    visitors = _visitors(community)
    checker: Person | None = None
    if community.name == XIZANG:
        try:
            checker = ctx.person(YUE)
        except Exception as exc:  # noqa: BLE001 - DoesNotExist
            raise DemoDataMissing(f"screening demo: “{YUE}” is missing; the spine loader must run first") from exc
    fallback = checker or next(iter(visitors.values()), None)
    if fallback is None:
        raise DemoDataMissing(f"screening demo: nobody answers for a grid of {community.name}; run the coverage loader")

    def visitor_for(resident: Resident) -> Person:
        if checker is not None and rng.random() < 0.4:
            return checker
        return visitors.get(resident.household.grid_id, fallback)

    # Who travelled or met a case: the isolations and referrals, through the services.
    chosen = rng.sample(residents, min(len(residents), isolations + 2))
    isolated, referred = chosen[:isolations], chosen[isolations:]
    if community.name == YANGKOU:
        isolated = _volunteer_first(isolated, chosen, residents, rng)
    special = {r.person_id for r in isolated + referred}

    # Plain screening visits, in bulk: everyone in 西藏路社區, about a third of the households elsewhere.
    share = 1.0 if community.name == XIZANG else 0.33
    households = sorted({r.household_id for r in residents})
    screened = set(rng.sample(households, int(len(households) * share)))
    visits = []
    for r in residents:
        if r.household_id not in screened or r.person_id in special:
            continue
        day = ctx.period_start + dt.timedelta(days=rng.randrange(2, 13))
        visits.append(
            ScreeningVisit(
                person=r.person,
                household=r.household,
                grid=r.household.grid,
                channel=Channel.DOOR if rng.random() < 0.7 else Channel.PHONE,
                at=_at(day, rng.randrange(8, 20), rng.randrange(60)),
                member=visitor_for(r),
                temperature=Decimal(rng.randrange(358, 372)) / 10,
                outcome=Outcome.NO_RISK,
            )
        )
    visits = ScreeningVisit.objects.bulk_create(visits, batch_size=500)
    _audit(ctx, "screening_visit.record", visits, ["channel", "outcome"])

    for index, r in enumerate(isolated):
        start = ctx.period_start + dt.timedelta(days=rng.randrange(1, 16))
        travelled = index % 3 != 2
        visit = services.visit_record(
            scope=ctx.scope,
            person=r.person,
            household=r.household,
            channel=Channel.DOOR,
            at=_at(start, 10, rng.randrange(60)),
            member=visitor_for(r),
            travelled=travelled,
            travel_origin=rng.choice(ORIGINS) if travelled else "",
            return_date=start - dt.timedelta(days=rng.randrange(0, 3)) if travelled else None,
            contact="none" if travelled else "confirmed",
            temperature=Decimal(rng.randrange(360, 370)) / 10,
            outcome=Outcome.HOME_ISOLATION,
        )
        _checks(ctx, visit.isolations.get(), rng, visitor_for(r))
    for r in referred:
        day = ctx.period_start + dt.timedelta(days=rng.randrange(3, 20))
        visit = services.visit_record(
            scope=ctx.scope,
            person=r.person,
            household=r.household,
            channel=Channel.DOOR,
            at=_at(day, 15),
            member=visitor_for(r),
            symptoms=["fever", "cough"],
            temperature=Decimal(rng.randrange(376, 392)) / 10,
            outcome=Outcome.REFERRAL,
            referral_destination=CLINIC,
        )
        referral = visit.referrals.get()
        services.referral_set_outcome(
            scope=ctx.scope, referral=referral, outcome="excluded", at=referral.at + dt.timedelta(hours=20)
        )
    total = len(visits) + len(isolated) + len(referred)
    ctx.log(f"screening: {total} visits, {len(isolated)} isolations in {community.name}")


def _audit(ctx: DemoContext, verb: str, objs: list[Any], fields: list[str]) -> None:
    """Health records name the fields written, never their values."""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=ctx.scope.user,
                verb=verb,
                object_type=o._meta.label_lower,
                object_id=str(o.pk),
                object_repr=str(o)[:200],
                diff={"fields": fields},
            )
            for o in objs
        ],
        batch_size=500,
    )


def _volunteer_first(
    isolated: list[Resident], chosen: list[Resident], residents: list[Resident], rng: random.Random
) -> list[Resident]:
    """In 仰口路社區, two of the isolated live in households the demo volunteer answers for."""
    person = Person.objects.filter(name=VOLUNTEER).first()
    if person is None:
        return isolated
    mine = set(
        Responsibility.objects.filter(member=person, kind=TargetKind.HOUSEHOLD, end__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    taken = {r.pk for r in chosen}
    candidates = [r for r in residents if r.household_id in mine and r.pk not in taken]
    picked = rng.sample(candidates, min(2, len(candidates)))
    return picked + isolated[len(picked) :]


def _checks(ctx: DemoContext, iso: Isolation, rng: random.Random, member: Person) -> None:
    """Twice-daily checks until the period ends or the isolation does; then the release record."""
    last = min(iso.planned_end - dt.timedelta(days=1), ctx.period_end)
    rows = []
    day = iso.start
    while day <= last:
        for hour in (8, 17):
            rows.append(
                IsolationCheck(
                    isolation=iso,
                    at=_at(day, hour, rng.randrange(60)),
                    channel=Channel.DOOR if hour == 8 else Channel.PHONE,
                    temperature=Decimal(rng.randrange(358, 371)) / 10,
                    member=member,
                )
            )
        day += dt.timedelta(days=1)
    # The last day's evening check of an isolation still running came in through the self-report link.
    if iso.planned_end > ctx.period_end and rows:
        rows[-1].channel, rows[-1].member = Channel.SELF_REPORT, None
    rows = IsolationCheck.objects.bulk_create(rows, batch_size=500)
    _audit(ctx, "isolation_check.record", rows, ["at", "channel"])
    if iso.planned_end <= ctx.period_end:
        services.isolation_release(scope=ctx.scope, isolation=iso, end=iso.planned_end)


def _station_tasks(ctx: DemoContext) -> None:
    """Fever referrals handed over by 青島火車站 to 仰口路社區 (one known resident, two strangers)."""
    community = ctx.area(YANGKOU)
    if ScreeningTask.objects.filter(source=STATION, area__path__startswith=community.path).exists():
        return
    known = (
        Resident.objects.filter(household__grid__path__startswith=community.path, moved_out__isnull=True)
        .exclude(person__isolations__status=IsolationStatus.ACTIVE)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    rows: list[dict[str, Any]] = [
        {
            "name": known.person.name if known else "旅客甲",
            "person": known.person if known else None,
            "reason": "出站測溫37.6°C，複測37.4°C",
            "due": dt.date(2020, 2, 14),
        },
        {
            "name": "旅客乙",
            "reason": "出站測溫37.8°C，自述居住仰口路",
            "due": dt.date(2020, 2, 15),
            "phone": "13906390001",
            "address": "仰口路",
        },
        {
            "name": "旅客丙",
            "reason": "來自湖北，出站登記居住仰口路社區",
            "due": dt.date(2020, 2, 16),
            "phone": "13906390002",
        },
    ]
    for row in rows:
        services.screening_task_create(scope=ctx.scope, area=community, source=STATION, **row)
