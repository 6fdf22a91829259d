"""The spine of the demo district: 市南區 (370202) as the seed report describes it in February 2020.

Areas, committees, the 751 grid pioneer branches with their secretaries (601 of them agency
cadres), and the people the seed names. Everything is written through the services, so
validation, audit events and row history apply exactly as for data entered by hand.

Idempotent: every record is looked up by a natural key (official code, parent + name,
ID number, person + organisation + role) before it is created. The random choices are
drawn from a generator derived from `ctx.rng` in a fixed amount, so a second run makes
the same choices and leaves `ctx.rng` in the same state for the loaders that follow.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from stdnum.cn import ric

from bastion.areas.models import Area, AreaKind, SiteType
from bastion.areas.services import area_create
from bastion.core import audit
from bastion.core.models import AuditEvent
from bastion.core.personal import parse_phone, parse_resident_id
from bastion.core.text import search_key
from bastion.demo.context import DemoContext
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose
from bastion.orgs.services import org_create
from bastion.people.models import Gender, Membership, MembershipRole, PartyStatus, Person
from bastion.people.services import membership_create, person_create

DISTRICT_NAME = "市南區"
DISTRICT_CODE = "370202"
CODE_YEAR = 2020
GRID_COUNT = 751
AGENCY_CADRE_SECRETARIES = 601
STATION_NAME = "青島火車站"

# The ten streets of 市南區 in 2020 and their communities. Codes are 370202 + a 3-digit street
# number + 000 (street) or + a 3-digit community number (community); the community names
# beyond the ones the seed gives are plausible road names of the district, not a census.
STREETS: list[tuple[str, list[str]]] = [
    ("八大峽街道", ["西藏路社區", "團島社區", "八大峽社區", "觀城路社區", "郯城路社區"]),
    ("雲南路街道", ["四川路社區", "雲南路社區", "寧波路社區", "貴州路社區", "廣州路社區"]),
    ("中山路街道", ["中山路社區", "天津路社區", "北京路社區", "濟寧路社區", "大沽路社區"]),
    ("八大關街道", ["八大關社區", "太平角社區", "嘉峪關路社區", "武勝關路社區"]),
    ("湛山街道", ["仰口路社區", "秀湛路社區", "湛山二路社區", "新湛路社區", "東海一路社區"]),
    ("香港中路街道", ["香港中路社區", "福州南路社區", "燕兒島路社區", "南京路社區", "澳門路社區"]),
    ("八大湖街道", ["八大湖社區", "延安三路社區", "寧國路社區", "武昌路社區", "漢口路社區"]),
    ("金門路街道", ["金門路社區", "福州北路社區", "寧德路社區", "漳州路社區", "閩江路社區"]),
    ("珠海路街道", ["海口路社區", "麥島社區", "珠海路社區", "徐州路社區"]),
    ("江蘇路街道", ["江蘇路社區", "大學路社區", "觀海路社區", "龍口路社區", "魚山路社區"]),
]

# Organisation names, built the same way everywhere (other apps' loaders look them up).
DISTRICT_COMMITTEE = "市南區委"
ORG_DEPARTMENT = "市南區委組織部"
TRAFFIC_POLICE = "交警文登路中隊"
JINGUANG_BRANCH = "金光都市名家小區片區黨支部"
YANGKOU_BRANCH = "仰口路社區第一黨支部"


def street_committee_name(street: str) -> str:
    return f"{street}黨工委"


def community_committee_name(community: str) -> str:
    return f"{community}黨委"


def grid_name(community: str, number: int) -> str:
    return f"{community}第{number:02d}網格"


def pioneer_branch_name(grid: str) -> str:
    return f"{grid}先鋒防控小組臨時黨支部"


# District agencies that sent cadres down to the grids (機關幹部下沉網格).
AGENCIES = [
    "市南區委辦公室", "市南區政府辦公室", "市南區委組織部", "市南區委宣傳部", "市南區委政法委",
    "市南區發展和改革局", "市南區教育和體育局", "市南區財政局", "市南區人力資源和社會保障局",
    "市南區城市管理局", "市南區衛生健康局", "市南區市場監督管理局", "市南區民政局", "市南區商務局",
    "市南區住房和城鄉建設局", "市南區審計局", "市南區統計局", "市南區司法局", "市南區應急管理局",
    "市南區退役軍人事務局",
]

SURNAMES = (
    "王李張劉陳楊趙黃周吳徐孫胡朱高林何郭馬羅梁宋鄭謝韓唐馮于董蕭程曹袁鄧許傅沈曾彭呂蘇盧蔣蔡賈丁魏薛葉閻"
    "余潘杜戴夏鍾汪田任姜范方石姚譚廖鄒熊金陸郝孔白崔康毛邱秦江史顧侯邵孟龍萬段雷錢湯尹黎易常武喬賀賴龔文"
)
GIVEN = (
    "偉芳娜秀英敏靜麗強磊軍洋勇艷傑娟濤明超蘭霞平剛桂英華建國志紅玉梅海波輝鵬飛斌宇浩凱秀珍曉露嵩彰興"
    "晨晶琳欣怡雪峰鑫俊帆慧穎婷倩寧琦瑜佳雯思雨萌璐凡震宏亮成林東升春燕"
)
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "176", "177", "180", "186", "187", "188", "189"]


@dataclass(frozen=True)
class NamedPerson:
    name: str
    gender: str
    birth_date: dt.date
    party_status: str
    area: str  # the name of a community or grid
    is_agency_cadre: bool = False
    home_agency: str = ""
    # (organisation name, role, title, start; None = when the organisation was established)
    memberships: tuple[tuple[str, str, str, dt.date | None], ...] = ()


# The people the seed names, with the facts it gives.
NAMED_PEOPLE = [
    # 77-year-old party member, building head in 仰口路社區 (湛山街道), who wrote a pledge.
    NamedPerson("竇秀珍", Gender.FEMALE, dt.date(1942, 10, 12), PartyStatus.FULL, "仰口路社區",
                memberships=((YANGKOU_BRANCH, MembershipRole.MEMBER, "", dt.date(1975, 7, 1)),)),
    # Born after 1995; deputy secretary of the 西藏路社區 party committee and committee director.
    NamedPerson("岳曉露", Gender.FEMALE, dt.date(1996, 5, 20), PartyStatus.FULL, "西藏路社區",
                memberships=(
                    (community_committee_name("西藏路社區"), MembershipRole.DEPUTY_SECRETARY, "黨委副書記",
                     dt.date(2018, 12, 1)),
                    (community_committee_name("西藏路社區"), MembershipRole.MEMBER, "居委會主任",
                     dt.date(2018, 12, 1)),
                )),
    # Traffic police officer of the 文登路 squad.
    NamedPerson("田明禎", Gender.MALE, dt.date(1984, 3, 9), PartyStatus.FULL, "湛山二路社區",
                memberships=((TRAFFIC_POLICE, MembershipRole.MEMBER, "交通警察", dt.date(2008, 8, 1)),)),
    # Leads the first party group of the station team (the checkpoint loader adds the team).
    NamedPerson("蓋海建", Gender.MALE, dt.date(1983, 7, 15), PartyStatus.FULL, "延安三路社區",
                is_agency_cadre=True, home_agency="市南區發展和改革局"),
    # Activist (入黨積極分子) in 四川路社區, 雲南路街道.
    NamedPerson("王嵩", Gender.MALE, dt.date(1991, 11, 2), PartyStatus.ACTIVIST, "四川路社區"),
    # Secretary of the 金光都市名家 area branch under the 海口路社區 committee; signed for supplies.
    NamedPerson("董彰", Gender.MALE, dt.date(1965, 4, 21), PartyStatus.FULL, "海口路社區",
                memberships=((JINGUANG_BRANCH, MembershipRole.SECRETARY, "", dt.date(2017, 3, 1)),)),
    # Deputy head of the district organisation department.
    NamedPerson("孫興國", Gender.MALE, dt.date(1970, 9, 30), PartyStatus.FULL, "八大關社區",
                is_agency_cadre=True, home_agency=ORG_DEPARTMENT,
                memberships=((ORG_DEPARTMENT, MembershipRole.MEMBER, "副部長", dt.date(2016, 6, 1)),)),
]

# People behind the demo accounts that the seed does not name.
STAFF_PEOPLE = [
    NamedPerson("鄭海燕", Gender.FEMALE, dt.date(1979, 6, 3), PartyStatus.FULL, "秀湛路社區",
                is_agency_cadre=True, home_agency="湛山街道辦事處",
                memberships=((street_committee_name("湛山街道"), MembershipRole.MEMBER, "黨工委委員",
                              dt.date(2019, 1, 1)),)),
    NamedPerson("劉曉梅", Gender.FEMALE, dt.date(1988, 2, 14), PartyStatus.FULL, "仰口路社區",
                memberships=((community_committee_name("仰口路社區"), MembershipRole.MEMBER, "社區工作者",
                              dt.date(2015, 9, 1)),)),
    NamedPerson("韓立新", Gender.MALE, dt.date(1974, 12, 8), PartyStatus.FULL, "金門路社區",
                is_agency_cadre=True, home_agency="市南區審計局"),
    NamedPerson("孟凡星", Gender.MALE, dt.date(1997, 8, 23), PartyStatus.NONE, grid_name("仰口路社區", 1),
                memberships=((pioneer_branch_name(grid_name("仰口路社區", 1)), MembershipRole.VOLUNTEER, "", None),)),
]


@dataclass
class Plan:
    """Every random choice of the spine, drawn once, in a fixed order."""

    grids_per_community: dict[str, int] = field(default_factory=dict)
    cadre_grids: set[int] = field(default_factory=set)
    people: list[dict[str, Any]] = field(default_factory=list)  # secretary per grid, in grid order
    established: list[dt.date] = field(default_factory=list)


def resident_id(birth: dt.date, sequence: int, gender: str) -> str:
    """A valid 18-character resident ID number registered in 市南區."""
    order = sequence % 500 * 2 + (1 if gender == Gender.MALE else 0)  # odd = male, even = female
    body = f"{DISTRICT_CODE}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def named_id(index: int, person: NamedPerson) -> str:
    return resident_id(person.birth_date, 400 + index, person.gender)


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _birth(rng: random.Random, youngest: int, oldest: int) -> dt.date:
    """A birth date giving an age between youngest and oldest on 2020-02-16."""
    start = dt.date(2020 - oldest, 1, 1)
    span = (dt.date(2020 - youngest, 1, 1) - start).days
    return start + dt.timedelta(days=rng.randrange(span))


def _spread(rng: random.Random, total: int, names: list[str]) -> dict[str, int]:
    """Split total over names with some variation (largest remainder), each at least 8."""
    weights = [rng.uniform(0.7, 1.3) for _ in names]
    scale = (total - 8 * len(names)) / sum(weights)
    raw = [8 + w * scale for w in weights]
    counts = [int(r) for r in raw]
    for index in sorted(range(len(names)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[index] += 1
    return dict(zip(names, counts, strict=True))


def make_plan(rng: random.Random) -> Plan:
    plan = Plan()
    communities = [c for _s, cs in STREETS for c in cs]
    plan.grids_per_community = _spread(rng, GRID_COUNT, communities)
    plan.cadre_grids = set(rng.sample(range(GRID_COUNT), AGENCY_CADRE_SECRETARIES))
    used = {named_id(index, person) for index, person in enumerate(NAMED_PEOPLE + STAFF_PEOPLE)}
    for index in range(GRID_COUNT):
        cadre = index in plan.cadre_grids
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        birth = _birth(rng, 26, 37) if cadre else _birth(rng, 30, 60)
        plan.people.append(
            {
                "name": _name(rng),
                "gender": gender,
                "id_number": _unique_id(birth, gender, used, rng),
                "phone": _phone(rng),
                "party_status": PartyStatus.FULL,
                "is_agency_cadre": cadre,
                "home_agency": rng.choice(AGENCIES) if cadre else "",
            }
        )
        plan.established.append(dt.date(2020, 1, 25) + dt.timedelta(days=rng.randrange(6)))
    return plan


def _unique_id(birth: dt.date, gender: str, used: set[str], rng: random.Random) -> str:
    sequence = rng.randrange(500)
    number = resident_id(birth, sequence, gender)
    while number in used:
        sequence += 1
        number = resident_id(birth, sequence, gender)
    used.add(number)
    return number


# -- idempotent helpers --------------------------------------------------------------------


def ensure_area(ctx: DemoContext, *, name: str, kind: str, parent: Area | None = None, code: str = "",
                site_type: str = "") -> Area:
    if code:
        found = Area.objects.filter(code=code, code_year=CODE_YEAR).first()
    else:
        siblings = parent.get_children() if parent is not None else Area.get_root_nodes()
        found = siblings.filter(name=name, kind=kind).first()
    if found is not None:
        return found
    return area_create(scope=ctx.scope, name=name, kind=kind, parent=parent, code=code,
                       code_year=CODE_YEAR if code else None, site_type=site_type)


def ensure_org(ctx: DemoContext, *, name: str, kind: str, parent: Organization | None = None,
               area: Area | None = None, purpose: str = "", covered: Iterable[Area] = (),
               established: dt.date | None = None) -> Organization:
    found = Organization.objects.filter(name=name, kind=kind).first()
    if found is not None:
        return found
    return org_create(scope=ctx.scope, name=name, kind=kind, parent=parent, area=area, purpose=purpose,
                      covered_areas=covered, established=established)


def ensure_person(ctx: DemoContext, *, name: str, area: Area, id_number: str, **fields: Any) -> Person:
    found = Person.objects.filter(id_number=id_number).first()
    if found is not None:
        return found
    return person_create(scope=ctx.scope, name=name, area=area, id_number=id_number, **fields)


def ensure_membership(ctx: DemoContext, *, person: Person, org: Organization, role: str, title: str = "",
                      start: dt.date | None = None) -> Membership:
    found = Membership.objects.filter(person=person, organization=org, role=role, title=title).first()
    if found is not None:
        return found
    return membership_create(scope=ctx.scope, person=person, organization=org, role=role, title=title,
                             start=start)


# -- the loader ----------------------------------------------------------------------------


def load(ctx: DemoContext) -> None:
    rng = random.Random(ctx.rng.getrandbits(64))  # noqa: S311 - demo data, not crypto
    plan = make_plan(rng)

    district = ensure_area(ctx, name=DISTRICT_NAME, kind=AreaKind.DISTRICT, code=DISTRICT_CODE)
    committee = ensure_org(ctx, name=DISTRICT_COMMITTEE, kind=OrgKind.DISTRICT_COMMITTEE, area=district)
    ensure_org(ctx, name=ORG_DEPARTMENT, kind=OrgKind.OTHER, parent=committee, area=district)
    ensure_org(ctx, name=TRAFFIC_POLICE, kind=OrgKind.OTHER, parent=committee, area=district)
    ensure_area(ctx, name=STATION_NAME, kind=AreaKind.SITE, parent=district, site_type=SiteType.STATION)

    communities: dict[str, Area] = {}
    grid_index = 0
    for street_no, (street_name, community_names) in enumerate(STREETS, start=1):
        street_code = f"{DISTRICT_CODE}{street_no:03d}"
        street = ensure_area(ctx, name=street_name, kind=AreaKind.STREET, parent=district, code=f"{street_code}000")
        street_org = ensure_org(ctx, name=street_committee_name(street_name), kind=OrgKind.STREET_COMMITTEE,
                                parent=committee, area=street)
        for community_no, community_name in enumerate(community_names, start=1):
            community = ensure_area(ctx, name=community_name, kind=AreaKind.COMMUNITY, parent=street,
                                    code=f"{street_code}{community_no:03d}")
            communities[community_name] = community
            community_org = ensure_org(ctx, name=community_committee_name(community_name),
                                       kind=OrgKind.COMMUNITY_COMMITTEE, parent=street_org, area=community)
            count = plan.grids_per_community[community_name]
            load_grids(ctx, plan, community, community_org, first=grid_index, count=count)
            grid_index += count
    ctx.log(f"spine: {grid_index} grids with their pioneer branches and secretaries")

    ensure_org(ctx, name=YANGKOU_BRANCH, kind=OrgKind.STANDING_BRANCH, parent=ctx.org(community_committee_name(
        "仰口路社區")), area=communities["仰口路社區"])
    ensure_org(ctx, name=JINGUANG_BRANCH, kind=OrgKind.STANDING_BRANCH, parent=ctx.org(community_committee_name(
        "海口路社區")), area=communities["海口路社區"])
    for index, named in enumerate(NAMED_PEOPLE + STAFF_PEOPLE):
        _load_named(ctx, named, communities, sequence=index)


# -- the grid layer ------------------------------------------------------------------------
#
# 751 grids, 751 branches, 751 secretaries and their memberships through the services take
# about a minute on SQLite, mostly in treebeard's sorted insertion. The bulk path below
# writes the same rows -- tree paths in treebeard's order, search keys, validated ID numbers
# and phones, row history, audit events -- in a few queries per community; field checks run
# in Python (full_clean) and the database enforces the check constraints on insert. It runs
# only where the tree below a community is still empty; otherwise the services fill any gap.


def load_grids(ctx: DemoContext, plan: Plan, community: Area, community_org: Organization, *, first: int,
               count: int) -> None:
    names = [grid_name(community.name, number) for number in range(1, count + 1)]
    if community.numchild == 0 and community_org.numchild == 0:
        grids = _bulk_grids(ctx, community, names)
        branches = _bulk_branches(ctx, community_org, grids, plan.established[first:first + count])
    else:
        # Loaded before: look everything up in two queries and fill any gap through the services.
        have_grids = {a.name: a for a in community.get_children().filter(kind=AreaKind.GRID, name__in=names)}
        have_branches = {
            o.name: o
            for o in Organization.objects.filter(
                kind=OrgKind.TEMPORARY_BRANCH, name__in=[pioneer_branch_name(n) for n in names]
            )
        }
        grids, branches = [], []
        for offset, name in enumerate(names):
            grid = have_grids.get(name) or ensure_area(ctx, name=name, kind=AreaKind.GRID, parent=community)
            grids.append(grid)
            branch = have_branches.get(pioneer_branch_name(name)) or ensure_org(
                ctx, name=pioneer_branch_name(name), kind=OrgKind.TEMPORARY_BRANCH,
                purpose=TemporaryPurpose.GRID_PIONEER, parent=community_org, area=community, covered=[grid],
                established=plan.established[first + offset],
            )
            branches.append(branch)
    secretaries = _bulk_persons(ctx, [(plan.people[first + offset], grid) for offset, grid in enumerate(grids)])
    _bulk_memberships(
        ctx,
        [(person, branch, MembershipRole.SECRETARY, branch.established)
         for person, branch in zip(secretaries, branches, strict=True)],
    )


def _children_paths(parent: Any, count: int) -> list[str]:
    model = type(parent)
    return [model._get_path(parent.path, parent.depth + 1, step) for step in range(1, count + 1)]


def _audit_creates(ctx: DemoContext, verb: str, objs: list[Any], fields: list[str],
                   extra: dict[int, dict[str, Any]] | None = None) -> None:
    events = []
    for obj in objs:
        changes = audit.diff({}, audit.snapshot(obj, fields))
        changes.update((extra or {}).get(obj.pk, {}))
        events.append(AuditEvent(actor=ctx.scope.user, verb=verb, object_type=obj._meta.label_lower,
                                 object_id=str(obj.pk), object_repr=str(obj)[:200], diff=changes))
    AuditEvent.objects.bulk_create(events)


def _bulk_create(model: Any, objs: list[Any]) -> list[Any]:
    created = model.objects.bulk_create(objs)
    if created and created[0].pk is None:  # every supported database returns the keys
        raise RuntimeError(f"bulk_create returned no primary keys for {model.__name__}")
    return created


def _bulk_grids(ctx: DemoContext, community: Area, names: list[str]) -> list[Area]:
    ctx.scope.require("area.change", area=community)
    if community.kind != AreaKind.COMMUNITY:
        raise ValueError(f"grids go under a community, not under {community.kind} {community.name}")
    # treebeard keeps siblings in node_order_by order (kind, code, name): all grids, no code.
    names = sorted(names)
    grids = [
        Area(name=name, kind=AreaKind.GRID, search_key=search_key(name), path=path, depth=community.depth + 1,
             numchild=0)
        for name, path in zip(names, _children_paths(community, len(names)), strict=True)
    ]
    for grid in grids:
        grid.full_clean(exclude=["path"], validate_unique=False, validate_constraints=False)
    grids = _bulk_create(Area, grids)
    Area.history.bulk_history_create(grids)
    Area.objects.filter(pk=community.pk).update(numchild=len(grids))
    community.numchild = len(grids)
    _audit_creates(ctx, "area.create", grids, ["name", "kind", "code", "code_year", "site_type", "search_key"])
    return grids


def _bulk_branches(ctx: DemoContext, community_org: Organization, grids: list[Area],
                   established: list[dt.date]) -> list[Organization]:
    ctx.scope.require("org.change", org=community_org)
    if community_org.kind != OrgKind.COMMUNITY_COMMITTEE:
        raise ValueError(f"pioneer branches go under a community committee, not {community_org.name}")
    # Siblings in node_order_by order (kind, name); all are temporary branches.
    rows = sorted(zip(grids, established, strict=True), key=lambda row: pioneer_branch_name(row[0].name))
    paths = _children_paths(community_org, len(rows))
    branches = []
    for (grid, day), path in zip(rows, paths, strict=True):
        name = pioneer_branch_name(grid.name)
        branches.append(
            Organization(name=name, kind=OrgKind.TEMPORARY_BRANCH, purpose=TemporaryPurpose.GRID_PIONEER,
                         area_id=community_org.area_id, established=day, search_key=search_key(name, ""),
                         path=path, depth=community_org.depth + 1, numchild=0)
        )
    for branch in branches:
        branch.full_clean(exclude=["path", "area"], validate_unique=False, validate_constraints=False)
    branches = _bulk_create(Organization, branches)
    Organization.objects.filter(pk=community_org.pk).update(numchild=len(branches))
    community_org.numchild = len(branches)
    through = Organization.covered_areas.through
    through.objects.bulk_create(
        [through(organization_id=branch.pk, area_id=grid.pk) for branch, (grid, _d) in zip(branches, rows,
                                                                                           strict=True)]
    )
    history = Organization.history.bulk_history_create(branches)
    # The covered grid belongs to the branch's first historical record, as the service's would.
    m2m_history = apps.get_model("orgs", "HistoricalOrganization_covered_areas")
    links = {link.organization_id: link for link in through.objects.filter(organization__in=branches)}
    m2m_history.objects.bulk_create(
        [m2m_history(history=record, id=links[record.id].pk, organization_id=record.id,
                     area_id=links[record.id].area_id) for record in history]
    )
    _audit_creates(
        ctx, "organization.create", branches,
        ["name", "kind", "purpose", "channel", "area_id", "established", "dissolved", "search_key"],
        extra={branch.pk: {"covered_areas": [[], [grid.pk]]} for branch, (grid, _d) in zip(branches, rows,
                                                                                          strict=True)},
    )
    by_grid = {grid.pk: branch for branch, (grid, _d) in zip(branches, rows, strict=True)}
    return [by_grid[grid.pk] for grid in grids]


def _bulk_persons(ctx: DemoContext, rows: list[tuple[dict[str, Any], Area]]) -> list[Person]:
    """Persons by ID number: the existing ones as they are, the missing ones validated and created."""
    existing = {p.id_number: p for p in Person.objects.filter(id_number__in=[r["id_number"] for r, _a in rows])}
    new: list[Person] = []
    for fields, area in rows:
        if fields["id_number"] in existing:
            continue
        ctx.scope.require("person.change", area=area)
        rid = parse_resident_id(fields["id_number"])
        if rid.gender != fields["gender"]:
            raise ValueError(f"the ID number of {fields['name']} gives another gender")
        person = Person(
            name=fields["name"], area=area, id_number=rid.number, birth_date=rid.birth_date, gender=rid.gender,
            phone=parse_phone(fields["phone"]), party_status=fields["party_status"],
            is_agency_cadre=fields["is_agency_cadre"], home_agency=fields["home_agency"],
            search_key=search_key(fields["name"]),
        )
        person.full_clean(exclude=["area"], validate_unique=False, validate_constraints=False)
        new.append(person)
    if new:
        new = _bulk_create(Person, new)
        Person.history.bulk_history_create(new)
        _audit_creates(ctx, "person.create", new, [f.attname for f in Person._meta.concrete_fields])
        existing.update((p.id_number, p) for p in new)
    return [existing[fields["id_number"]] for fields, _a in rows]


def _bulk_memberships(ctx: DemoContext, rows: list[tuple[Person, Organization, str, dt.date | None]]) -> None:
    have = set(
        Membership.objects.filter(organization__in=[org for _p, org, _r, _s in rows]).values_list(
            "person_id", "organization_id", "role"
        )
    )
    new = []
    for person, org, role, start in rows:
        if (person.pk, org.pk, role) in have:
            continue
        ctx.scope.require("membership.change", org=org)
        membership = Membership(person=person, organization=org, role=role, start=start)
        membership.full_clean(exclude=["person", "organization"], validate_unique=False,
                              validate_constraints=False)
        new.append(membership)
    if new:
        new = _bulk_create(Membership, new)
        Membership.history.bulk_history_create(new)
        _audit_creates(ctx, "membership.create", new, [f.attname for f in Membership._meta.concrete_fields])


def _load_named(ctx: DemoContext, named: NamedPerson, communities: dict[str, Area], sequence: int) -> Person:
    area = communities.get(named.area) or Area.objects.get(name=named.area, kind=AreaKind.GRID)
    person = ensure_person(
        ctx,
        name=named.name,
        area=area,
        id_number=named_id(sequence, named),
        gender=named.gender,
        party_status=named.party_status,
        is_agency_cadre=named.is_agency_cadre,
        home_agency=named.home_agency,
        phone=f"1390532{7000 + sequence:04d}",
    )
    for org_name, role, title, start in named.memberships:
        org = ctx.org(org_name)
        ensure_membership(ctx, person=person, org=org, role=role, title=title, start=start or org.established)
    return person
