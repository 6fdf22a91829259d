"""Demo households, residents, building heads and responsibilities for the named communities.

Runs after the spine loader (bastion/demo/demo.py). About 600 households per named community are
written through a bulk path (validated rows, row history and audit events, a few queries per
community); the few records the seed names (竇秀珍's building) go through the services.

Idempotent: a community whose grids already hold households is left as it is, and each
responsibility is looked up before it is created. The random choices come from a generator derived
from `ctx.rng` in a fixed amount, so later loaders see the same `ctx.rng` on every run.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.models import AuditEvent
from bastion.core.text import search_key
from bastion.coverage.models import Building, BuildingHead, Household, Relation, Resident, Responsibility, TargetKind
from bastion.coverage.services import (
    building_head_assign,
    building_key,
    household_create,
    household_key,
    household_search_key,
    plain_diff,
    resident_add,
    responsibility_assign,
    responsibility_end,
)
from bastion.demo.context import DemoContext
from bastion.orgs.models import Organization, TemporaryPurpose
from bastion.people.models import Gender, Membership, MembershipRole, Person

# The communities the seed names (湛山街道: 仰口路, 秀湛路; 八大峽街道: 西藏路; 雲南路街道: 四川路; 珠海路街道: 海口路).
COMMUNITIES = ["仰口路社區", "秀湛路社區", "西藏路社區", "四川路社區", "海口路社區"]
HOUSEHOLDS_PER_COMMUNITY = 600
DOU_XIUZHEN = "竇秀珍"
YANGKOU = "仰口路社區"
VOLUNTEER = "孟凡星"  # the demo volunteer account's person (a volunteer of 仰口路社區's first grid)
VOLUNTEER_HOUSEHOLDS = 24
# One grid of 秀湛路社區 loses its secretary to checkpoint duty on this day: its households become a gap.
GAP_COMMUNITY = "秀湛路社區"
GAP_FROM = dt.date(2020, 2, 10)

# 竇秀珍's neighbours in her building.
NEIGHBOUR_ROOMS = [
    ("1", "101"),
    ("1", "102"),
    ("1", "201"),
    ("1", "202"),
    ("1", "302"),
    ("2", "101"),
    ("2", "201"),
    ("2", "301"),
]
NEIGHBOURS = ["孫桂蘭", "李建國", "張秀英", "王志強", "劉玉梅", "陳海波", "楊紅霞", "趙明輝"]
VOLUNTEER_FROM = dt.date(2020, 2, 1)  # after every pioneer branch was set up (2020-01-25 .. 01-30)

SURNAMES = "王李張劉陳楊趙黃周吳徐孫胡朱高林何郭馬羅梁宋鄭謝韓唐馮于董蕭程曹袁鄧許傅沈曾彭呂蘇盧蔣蔡賈丁魏薛葉"
GIVEN = "偉芳娜秀英敏靜麗強磊軍洋勇艷傑娟濤明超蘭霞平剛桂華建國志紅玉梅海波輝鵬飛斌宇浩凱晨晶琳欣怡雪峰鑫俊帆慧"


class DemoDataMissing(RuntimeError):
    pass


def _need(what: str, getter: Any, name: str) -> Any:
    try:
        return getter(name)
    except Exception as exc:  # noqa: BLE001 - DoesNotExist of any model
        raise DemoDataMissing(
            f"coverage demo: {what} “{name}” is missing; the spine demo loader (bastion/demo/demo.py) must run first"
        ) from exc


@dataclass
class Sizes:
    communities: list[str]
    households_per_community: int = HOUSEHOLDS_PER_COMMUNITY
    volunteer_households: int = VOLUNTEER_HOUSEHOLDS


def load(ctx: DemoContext) -> None:
    load_into(ctx, Sizes(communities=COMMUNITIES))


def load_into(ctx: DemoContext, sizes: Sizes) -> None:
    rng = random.Random(ctx.rng.getrandbits(64))  # noqa: S311 - demo data, not crypto
    plans = {name: rng.getrandbits(64) for name in sizes.communities}  # a fixed draw per community
    for name in sizes.communities:
        community = _need("community", ctx.area, name)
        if community.kind != AreaKind.COMMUNITY:
            raise DemoDataMissing(f"coverage demo: {name} is a {community.kind}, not a community")
        created = _households(ctx, community, sizes.households_per_community, random.Random(plans[name]))  # noqa: S311
        if created:
            ctx.log(f"coverage: {created} households in {name}")
    _secretary_responsibilities(ctx)
    if YANGKOU in sizes.communities:
        _dou_xiuzhen(ctx)
        _volunteer(ctx, sizes.volunteer_households)


def _grids(community: Area) -> list[Area]:
    return list(Area.objects.filter(path__startswith=community.path, kind=AreaKind.GRID).order_by("path"))


def _street_name(community: Area) -> str:
    return community.name.removesuffix("社區").removesuffix("社区")


def _audit(ctx: DemoContext, verb: str, objs: list[Any]) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=ctx.scope.user,
                verb=verb,
                object_type=o._meta.label_lower,
                object_id=str(o.pk),
                object_repr=str(o)[:200],
                diff=plain_diff(audit.diff({}, audit.snapshot(o))),
            )
            for o in objs
        ],
        batch_size=500,
    )


def _households(ctx: DemoContext, community: Area, count: int, rng: random.Random) -> int:
    """Buildings, households and residents of one community, in bulk; nothing if it has households already."""
    grids = _grids(community)
    if not grids:
        raise DemoDataMissing(f"coverage demo: {community.name} has no grids; the spine loader must run first")
    if Household.objects.filter(grid__path__startswith=community.path).exists():
        return 0
    ctx.scope.require("coverage.change", area=community)
    street = _street_name(community)
    buildings: list[Building] = []
    rooms: list[tuple[int, str, str]] = []  # (building index, unit, room)
    number = 0
    while len(rooms) < count:
        number += 1
        grid = grids[(number - 1) % len(grids)]
        street_no = f"{street}{(number + 1) // 2}號"
        b = Building(grid=grid, street=street_no, compound="", number=f"{(number - 1) % 2 + 1}號樓")
        b.key = building_key(b.street, b.compound, b.number)
        buildings.append(b)
        for unit in range(1, rng.choice((2, 3)) + 1):
            for floor in range(1, rng.choice((4, 6)) + 1):
                for door in (1, 2):
                    rooms.append((len(buildings) - 1, str(unit), f"{floor}0{door}"))
    rooms = rooms[:count]
    used = {index for index, _u, _r in rooms}
    buildings = [b for i, b in enumerate(buildings) if i in used]
    for b in buildings:
        b.full_clean(exclude=["grid"], validate_unique=False, validate_constraints=False)
    buildings = Building.objects.bulk_create(buildings)
    Building.history.bulk_history_create(buildings)
    _audit(ctx, "building.create", buildings)

    households = []
    for index, unit_no, room_no in rooms:
        b = buildings[index]
        h = Household(building=b, grid=b.grid, unit=unit_no, room=room_no, key=household_key(b, unit_no, room_no))
        h.search_key = household_search_key(h)
        households.append(h)
    households = Household.objects.bulk_create(households, batch_size=500)
    Household.history.bulk_history_create(households, batch_size=500)
    _audit(ctx, "household.create", households)

    persons: list[Person] = []
    relations: list[tuple[int, str]] = []
    for hi, h in enumerate(households):
        surname = rng.choice(SURNAMES)
        size = rng.choices((1, 2, 3, 4), weights=(2, 4, 3, 1))[0]
        members = [Relation.HEAD, Relation.SPOUSE, Relation.CHILD, rng.choice((Relation.PARENT, Relation.CHILD))]
        for relation in members[:size]:
            name = (surname if relation != Relation.SPOUSE else rng.choice(SURNAMES)) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            age = rng.randrange(20, 85) if relation != Relation.CHILD else rng.randrange(1, 40)
            birth = dt.date(2020 - age, rng.randrange(1, 13), rng.randrange(1, 29))
            persons.append(
                Person(
                    name=name,
                    area=h.grid,
                    gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                    birth_date=birth,
                    search_key=search_key(name),
                )
            )
            relations.append((hi, relation))
    persons = Person.objects.bulk_create(persons, batch_size=500)
    Person.history.bulk_history_create(persons, batch_size=500)
    _audit(ctx, "person.create", persons)
    residents = [
        Resident(household=households[hi], person=p, relation=relation, moved_in=dt.date(2010, 1, 1))
        for p, (hi, relation) in zip(persons, relations, strict=True)
    ]
    residents = Resident.objects.bulk_create(residents, batch_size=500)
    Resident.history.bulk_history_create(residents, batch_size=500)
    _audit(ctx, "resident.add", residents)
    return len(households)


def _secretary_responsibilities(ctx: DemoContext) -> None:
    """包片: each grid pioneer branch's secretary answers for their grid from the day the branch was set up."""
    secretaries = (
        Membership.objects.filter(
            organization__purpose=TemporaryPurpose.GRID_PIONEER,
            role=MembershipRole.SECRETARY,
        )
        .select_related("person", "organization")
        .order_by("organization__path")
    )
    covered = dict(
        Organization.covered_areas.through.objects.filter(
            organization_id__in=[m.organization_id for m in secretaries]
        ).values_list("organization_id", "area_id")
    )
    have = set(Responsibility.objects.filter(kind=TargetKind.AREA).values_list("member_id", "area_id"))
    areas = {a.pk: a for a in Area.objects.filter(pk__in=covered.values())}
    new = []
    for m in secretaries:
        grid = areas.get(covered.get(m.organization_id, 0))
        if grid is None or (m.person_id, grid.pk) in have:
            continue
        start = m.start or m.organization.established or dt.date(2020, 1, 25)
        new.append(Responsibility(member=m.person, kind=TargetKind.AREA, area=grid, scope_area=grid, start=start))
    if not new:
        return
    # One grid of the gap community loses its secretary to checkpoint duty: a real gap on its coverage page.
    gap_grids = [r for r in new if r.area is not None and r.area.path.startswith(_gap_path())]
    if gap_grids:
        gap_grids[0].end = GAP_FROM
    for r in new:
        r.full_clean(exclude=["member", "area", "scope_area"], validate_unique=False, validate_constraints=False)
    new = Responsibility.objects.bulk_create(new, batch_size=500)
    Responsibility.history.bulk_history_create(new, batch_size=500)
    _audit(ctx, "responsibility.assign", new)
    ctx.log(f"coverage: {len(new)} grid responsibilities of pioneer-branch secretaries")


def _gap_path() -> str:
    area = Area.objects.filter(name=GAP_COMMUNITY, kind=AreaKind.COMMUNITY).first()
    return area.path if area is not None else "-"


def _dou_xiuzhen(ctx: DemoContext) -> None:
    """竇秀珍, 77, building head in 仰口路社區: her home, her building, and the households in it she answers for."""
    person = _need("person", ctx.person, DOU_XIUZHEN)
    community = _need("community", ctx.area, YANGKOU)
    grid = _grids(community)[0]
    home = Resident.objects.filter(person=person, moved_out__isnull=True).select_related("household").first()
    if home is None:
        street = f"{_street_name(community)}88號"
        building = Building.objects.filter(key=building_key(street, "", "1號樓")).first()
        household = None
        if building is not None:
            household = Household.objects.filter(building=building, unit="1", room="301").first()
        if household is None:
            household = household_create(
                scope=ctx.scope, grid=grid, street=street, building="1號樓", unit="1", room="301"
            )
            for (unit, room), name in zip(NEIGHBOUR_ROOMS, NEIGHBOURS, strict=True):
                h = household_create(scope=ctx.scope, grid=grid, street=street, building="1號樓", unit=unit, room=room)
                resident_add(
                    scope=ctx.scope, household=h, relation=Relation.HEAD, name=name, moved_in=dt.date(2000, 1, 1)
                )
        resident_add(
            scope=ctx.scope, household=household, relation=Relation.HEAD, person=person, moved_in=dt.date(1985, 5, 1)
        )
        home = Resident.objects.select_related("household").get(person=person, moved_out__isnull=True)
    building = home.household.building
    if not BuildingHead.objects.filter(building=building, person=person).exists():
        building_head_assign(scope=ctx.scope, building=building, person=person, start=dt.date(2020, 1, 24))
    if not Responsibility.objects.filter(member=person, building=building).exists():
        responsibility_assign(scope=ctx.scope, member=person, building=building, start=dt.date(2020, 1, 24))


def _volunteer(ctx: DemoContext, count: int) -> None:
    """The demo volunteer answers for a handful of households in their grid (包戶)."""
    person = Person.objects.filter(name=VOLUNTEER).first()
    if person is None or person.area is None:
        return
    if Responsibility.objects.filter(member=person, kind=TargetKind.HOUSEHOLD).exists():
        return
    households = Household.objects.filter(grid=person.area).order_by("pk")[:count]
    for h in households:
        responsibility_assign(scope=ctx.scope, member=person, household=h, start=VOLUNTEER_FROM)
    # One of them has moved on: a responsibility that ended, so the history shows both.
    first = Responsibility.objects.filter(member=person, kind=TargetKind.HOUSEHOLD).order_by("pk").first()
    if first is not None and count > 1:
        responsibility_end(scope=ctx.scope, responsibility=first, end=dt.date(2020, 2, 8))
