"""Demo: 青島火車站 — 6 entrances, the 12-member team, shifts, readings and tallies making
8674 person-times, one 19-hour continuous duty, a few fevers and their referrals.

Idempotent: records are looked up by natural keys (names, shift starts) and readings and
tallies carry UUIDs derived from their position, so a second run stores nothing new.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bastion.areas.models import Area, AreaKind, SiteType
from bastion.areas.services import area_create
from bastion.checkpoints.ingest import readings_ingest, tallies_ingest
from bastion.checkpoints.models import Entrance, Outcome, Referral, Shift
from bastion.checkpoints.services import entrance_create, referral_create, referral_set_outcome, shift_create
from bastion.demo.context import DemoContext
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose
from bastion.orgs.services import org_create
from bastion.people.models import Gender, Membership, MembershipRole, PartyStatus, Person
from bastion.people.services import membership_create, person_create

TZ = ZoneInfo("Asia/Shanghai")
SITE_NAME = "青島火車站"
DISTRICT_NAME = "市南區"
TEAM_NAME = "青島火車站疫情防控臨時黨支部"
GROUPS = ["第一黨小組", "第二黨小組"]
LEADER = "蓋海建"
ENTRANCES = ["東廣場進站口", "西廣場進站口", "北廣場進站口", "南出站口", "北出站口", "地鐵換乘通道"]
# The other eleven members: (name, gender, birth, home agency, group index, role).
MEMBERS: list[tuple[str, str, dt.date, str, int, str]] = [
    ("劉志強", Gender.MALE, dt.date(1978, 4, 2), "市南區委組織部", -1, MembershipRole.SECRETARY),
    ("張麗娜", Gender.FEMALE, dt.date(1988, 9, 13), "市南區財政局", 0, MembershipRole.MEMBER),
    ("王建國", Gender.MALE, dt.date(1975, 1, 30), "市南區城市管理局", 0, MembershipRole.MEMBER),
    ("趙文靜", Gender.FEMALE, dt.date(1990, 6, 21), "市南區教育和體育局", 0, MembershipRole.MEMBER),
    ("陳宏偉", Gender.MALE, dt.date(1985, 11, 8), "市南區司法局", 0, MembershipRole.MEMBER),
    ("孫曉燕", Gender.FEMALE, dt.date(1992, 3, 17), "市南區商務局", 0, MembershipRole.MEMBER),
    ("周立新", Gender.MALE, dt.date(1980, 12, 5), "市南區衛生健康局", 1, MembershipRole.GROUP_LEADER),
    ("吳海濤", Gender.MALE, dt.date(1987, 7, 24), "市南區交通運輸局", 1, MembershipRole.MEMBER),
    ("鄭雅琴", Gender.FEMALE, dt.date(1993, 2, 11), "市南區民政局", 1, MembershipRole.MEMBER),
    ("馮長青", Gender.MALE, dt.date(1979, 10, 19), "市南區住房和城鄉建設局", 1, MembershipRole.MEMBER),
    ("曲永紅", Gender.FEMALE, dt.date(1984, 5, 28), "市南區市場監督管理局", 1, MembershipRole.MEMBER),
]
FIRST_DAY = dt.date(2020, 1, 28)
LAST_DAY = dt.date(2020, 2, 16)
PERSON_TIMES = 8674
FIRST_READINGS = 2674  # the rest are tallied normal passes
NAMESPACE = uuid.UUID("6f1c1d1e-3a52-4c1b-9a55-370202000001")
# (day, entrance index, hour, minute, first °C, re-measure °C, referral: outcome, destination community)
FEVERS: list[tuple[int, int, int, int, str, str, str | None, str | None]] = [
    (2, 0, 9, 14, "37.6", "37.1", None, None),
    (4, 3, 15, 40, "38.2", "38.3", Outcome.FEVER_CLINIC, "西藏路社區"),
    (7, 1, 11, 5, "37.5", "37.5", Outcome.RELEASED, None),
    (9, 4, 19, 22, "37.9", "37.2", None, None),
    (12, 0, 8, 51, "38.6", "38.5", Outcome.FEVER_CLINIC, "四川路社區"),
    (16, 5, 13, 30, "37.8", "37.9", Outcome.PENDING, None),
]
TRAVELLERS = {
    1: ("李明", "G1990", "青島市市南區西藏路12號"),
    2: ("高玉蘭", "D6032", "濟南市歷下區泉城路8號"),
    4: ("徐斌", "K8211", "青島市市南區四川路30號"),
    5: ("Anna Keller", "MU5521", "青島市市南區香港中路76號"),
}


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def load(ctx: DemoContext) -> None:
    site = _site(ctx)
    entrances = [_entrance(ctx, site, name) for name in ENTRANCES]
    team, groups = _team(ctx, site)
    members = _members(ctx, team, groups)
    _shifts(ctx, members, entrances)
    _readings_and_tallies(ctx, site, entrances)
    _referrals(ctx, entrances)
    ctx.log(f"checkpoints: {SITE_NAME}, {len(entrances)} entrances, {len(members)} members")


def _site(ctx: DemoContext) -> Area:
    site = Area.objects.filter(name=SITE_NAME, kind=AreaKind.SITE).first()
    if site is not None:
        return site
    district = Area.objects.get(name=DISTRICT_NAME, kind=AreaKind.DISTRICT)
    return area_create(scope=ctx.scope, name=SITE_NAME, kind=AreaKind.SITE, parent=district,
                       site_type=SiteType.STATION)


def _entrance(ctx: DemoContext, site: Area, name: str) -> Entrance:
    return Entrance.objects.filter(site=site, name=name).first() or entrance_create(
        scope=ctx.scope, site=site, name=name
    )


def _team(ctx: DemoContext, site: Area) -> tuple[Organization, list[Organization]]:
    team = Organization.objects.filter(name=TEAM_NAME, kind=OrgKind.TEMPORARY_BRANCH).first()
    if team is None:
        # The team sits at the site: a grant over the team reaches the station, not the whole district.
        district = Area.objects.get(name=DISTRICT_NAME, kind=AreaKind.DISTRICT)
        committee = Organization.objects.filter(kind=OrgKind.DISTRICT_COMMITTEE, area=district).first()
        team = org_create(scope=ctx.scope, name=TEAM_NAME, kind=OrgKind.TEMPORARY_BRANCH,
                          purpose=TemporaryPurpose.CHECKPOINT_TEAM, parent=committee, area=site,
                          covered_areas=[site], established=dt.date(2020, 1, 27))
    groups = []
    for name in GROUPS:
        group = team.get_children().filter(name=name, kind=OrgKind.PARTY_GROUP).first()
        if group is None:
            group = org_create(scope=ctx.scope, name=name, kind=OrgKind.PARTY_GROUP, parent=team,
                               established=dt.date(2020, 1, 28))
        groups.append(group)
    return team, groups


def _person(ctx: DemoContext, name: str, gender: str, birth: dt.date, agency: str, sequence: int) -> Person:
    found = Person.objects.filter(name=name, is_agency_cadre=True, home_agency=agency).first()
    if found is not None:
        return found
    from bastion.demo.demo import resident_id

    number = resident_id(birth, 300 + sequence, gender)
    while Person.objects.filter(id_number=number).exists():
        sequence += 7
        number = resident_id(birth, 300 + sequence, gender)
    communities = Area.objects.filter(kind=AreaKind.COMMUNITY).order_by("path")
    home = communities[sequence * 4 % communities.count()]
    return person_create(scope=ctx.scope, name=name, area=home, id_number=number, phone=f"1390532{sequence:04d}",
                         party_status=PartyStatus.FULL, is_agency_cadre=True, home_agency=agency)


def _member(ctx: DemoContext, person: Person, org: Organization, role: str, start: dt.date) -> None:
    if not Membership.objects.filter(person=person, organization=org, role=role).exists():
        membership_create(scope=ctx.scope, person=person, organization=org, role=role, start=start)


def _members(ctx: DemoContext, team: Organization, groups: list[Organization]) -> list[Person]:
    leader = Person.objects.filter(name=LEADER).first() or _person(
        ctx, LEADER, Gender.MALE, dt.date(1983, 7, 15), "市南區發展和改革局", 0
    )
    _member(ctx, leader, groups[0], MembershipRole.GROUP_LEADER, FIRST_DAY)
    members = [leader]
    for index, (name, gender, birth, agency, group, role) in enumerate(MEMBERS, start=1):
        person = _person(ctx, name, gender, birth, agency, index)
        _member(ctx, person, team if group < 0 else groups[group], role,
                dt.date(2020, 1, 27) if group < 0 else FIRST_DAY)
        members.append(person)
    return members


def _shifts(ctx: DemoContext, members: list[Person], entrances: list[Entrance]) -> None:
    """Eight-hour shifts every other day; the leader's first day is 19 hours straight (three shifts)."""
    plan: list[tuple[Person, Entrance, dt.datetime, dt.datetime]] = [
        (members[0], entrances[0], at(FIRST_DAY, 6), at(FIRST_DAY, 12)),
        (members[0], entrances[1], at(FIRST_DAY, 12, 10), at(FIRST_DAY, 18)),
        (members[0], entrances[0], at(FIRST_DAY, 18, 20), at(FIRST_DAY + dt.timedelta(days=1), 1)),
        # A 13-hour day that the team leader is warned about, too.
        (members[6], entrances[3], at(dt.date(2020, 2, 3), 7), at(dt.date(2020, 2, 3), 14)),
        (members[6], entrances[4], at(dt.date(2020, 2, 3), 14, 15), at(dt.date(2020, 2, 3), 20)),
    ]
    slots = [(6, 14), (14, 22), (22, 6)]
    day = FIRST_DAY + dt.timedelta(days=1)
    while day <= LAST_DAY:
        offset = (day - FIRST_DAY).days
        for index, person in enumerate(members):
            if (index + offset) % 2 or (index == 0 and offset < 2) or (index == 6 and day == dt.date(2020, 2, 3)):
                continue
            begin, finish = slots[index % 3]
            end_day = day + dt.timedelta(days=1) if finish < begin else day
            if day == LAST_DAY and end_day > LAST_DAY:
                continue
            plan.append((person, entrances[(index + offset) % 6], at(day, begin), at(end_day, finish)))
        day += dt.timedelta(days=1)
    existing = set(Shift.objects.filter(entrance__in=entrances).values_list("person_id", "start"))
    for person, entrance, start, end in plan:
        if (person.pk, start) not in existing:
            shift_create(scope=ctx.scope, person=person, entrance=entrance, start=start, end=end)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(parts), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _uuid(*key: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(k) for k in key)))


def _readings_and_tallies(ctx: DemoContext, site: Area, entrances: list[Entrance]) -> None:
    rng = random.Random(8674)  # noqa: S311 - demo data
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range((LAST_DAY - FIRST_DAY).days + 1)]
    fever_rows = {(f[0], f[1], f[2], f[3]) for f in FEVERS}
    readings: list[dict[str, Any]] = []
    for f_index, (d, e, hour, minute, first, again, _outcome, _dest) in enumerate(FEVERS):
        when = at(days[d], hour, minute)
        readings.append({"uuid": _uuid("fever", f_index), "entrance": entrances[e].pk, "temperature": first,
                         "measured_at": when.isoformat()})
        readings.append({"uuid": _uuid("remeasure", f_index), "entrance": entrances[e].pk, "temperature": again,
                         "measured_at": (when + dt.timedelta(minutes=3)).isoformat(),
                         "remeasure_of": _uuid("fever", f_index)})
    normal = FIRST_READINGS - len(FEVERS)
    per_slot = _split(rng, normal, len(days) * len(entrances))
    for slot, count in enumerate(per_slot):
        d, e = divmod(slot, len(entrances))
        for n in range(count):
            minute = rng.randrange(6 * 60, 24 * 60)
            if (d, e, minute // 60, minute % 60) in fever_rows:
                minute -= 1
            temperature = Decimal(rng.choice("35.9 36.0 36.1 36.2 36.3 36.4 36.5 36.6 36.7 36.8 37.0".split()))
            readings.append({"uuid": _uuid("reading", d, e, n), "entrance": entrances[e].pk,
                             "temperature": temperature,
                             "measured_at": at(days[d], minute // 60, minute % 60).isoformat()})
    readings_ingest(scope=ctx.scope, rows=readings, site=site)
    tallies = []
    intervals = [(h, h + 2) for h in range(6, 24, 2)]
    counts = _split(rng, PERSON_TIMES - FIRST_READINGS, len(days) * len(entrances) * len(intervals))
    for index, count in enumerate(counts):
        d, rest = divmod(index, len(entrances) * len(intervals))
        e, i = divmod(rest, len(intervals))
        begin, finish = intervals[i]
        end = at(days[d], finish) if finish < 24 else at(days[d] + dt.timedelta(days=1), 0)
        tallies.append({"uuid": _uuid("tally", d, e, i), "entrance": entrances[e].pk, "count": count,
                        "start": at(days[d], begin).isoformat(), "end": end.isoformat()})
    tallies_ingest(scope=ctx.scope, rows=tallies, site=site)


def _referrals(ctx: DemoContext, entrances: list[Entrance]) -> None:
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range((LAST_DAY - FIRST_DAY).days + 1)]
    for f_index, (d, e, hour, minute, _first, again, outcome, destination) in enumerate(FEVERS):
        if outcome is None:
            continue
        reading = uuid.UUID(_uuid("remeasure", f_index))
        if Referral.objects.filter(reading_uuid=reading).exists():
            continue
        name, travel, address = TRAVELLERS[f_index]
        when = at(days[d], hour, minute) + dt.timedelta(minutes=10)
        area = Area.objects.filter(name=destination, kind=AreaKind.COMMUNITY).first() if destination else None
        referral = referral_create(
            scope=ctx.scope, entrance=entrances[e], temperature=Decimal(again), reading_uuid=reading,
            traveller_name=name, id_kind="passport" if " " in name else "resident_id", travel_number=travel,
            destination_address=address, destination_area=area, referred_at=when,
        )
        if outcome != Outcome.PENDING:
            referral_set_outcome(scope=ctx.scope, referral=referral, outcome=outcome,
                                 at=when + dt.timedelta(hours=1))
