"""Org-life demo data for 市南區, 2020-01-24 .. 2020-02-16, as raw records.

Runs after the spine loader (bastion/demo/demo.py), which creates the district, the committees,
the 751 grid pioneer branches and the named people; those are looked up by name and a clear
error says what is missing. What this loader adds:

- the district's working rules for online branches (《市南區疫情防控期間線上黨支部工作機制》),
- a charter for every temporary branch that has none (who decided, when, its secretary),
- the oath of 秀湛路社區's pioneer branch, 竇秀珍's letter of guarantee,
- the assault team of 65 and, unless the checkpoint loader sent them already, the 43 cadres
  in a mobile-team temporary branch,
- 王嵩's application (activist since 2019) and 22 new applications in the period,
- 13 party-building brands (疫線先鋒, 黨員沖鋒號, …) and a few stories,
- 1021 online branches (WeChat groups) under the street committees, one community each, with
  2327 online activities in the period and their attendance: enough members attend that the
  participation figure, counted with every other app's duties, reaches the target.

The figures are never stored: the report counts these records. Small counts go through the
services; the volume (online branches, their members, activities, attendance) is written in
bulk with row history and audit events, and only when none of it exists yet (idempotent).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist

from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.models import AuditEvent
from bastion.core.text import search_key
from bastion.orglife import selectors
from bastion.orglife.models import (
    Activity,
    ActivityKind,
    ActivityMode,
    Application,
    Attendance,
    BranchCharter,
    Brand,
    Pledge,
    PledgeKind,
    Stage,
    Story,
    WorkingRules,
)
from bastion.orglife.services import (
    AttendanceEntry,
    activity_create,
    application_create,
    application_record_talk,
    brand_create,
    member_ids_on,
    pledge_create,
    story_create,
    temporary_branch_establish,
    working_rules_set,
)
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose
from bastion.orgs.services import org_create
from bastion.people.models import Gender, Membership, MembershipRole, PartyStatus, Person
from bastion.people.services import person_create

DISTRICT = "市南區"
DISTRICT_COMMITTEE = "市南區委"
ORG_DEPARTMENT = "市南區委組織部"
ASSAULT_TEAM = "市南區疫情防控突擊隊臨時黨支部"
MOBILE_TEAM = "市南區疫情防控機動隊臨時黨支部"
RULES_TITLE = "市南區疫情防控期間線上黨支部工作機制"

BRANDS = [
    ("疫線先鋒", "機關幹部下沉網格、黨員衝在疫情防控一線的全區品牌。"),
    ("黨員沖鋒號", "黨員亮身份、打頭陣，突擊隊和先鋒防控小組的行動號角。"),
    ("紅色物業", "黨建引領物業企業，強化小區「末梢」防控。"),
    ("走街串巷小喇叭", "黨員志願者用小喇叭走街串巷宣傳防疫知識。"),
    ("最美擺渡人", "為居家隔離住戶代購、送菜送藥的黨員志願者。"),
    ("線上支部", "依託微信群的線上黨支部，疫情期間組織生活不斷線。"),
    ("樓長守家園", "黨員樓長守護樓院，逐戶排查登記。"),
    ("網格先鋒", "網格先鋒防控小組臨時黨支部包片包戶包人。"),
    ("卡口哨兵", "火車站、機場等卡口的黨員測溫值守。"),
    ("暖心驛站", "為一線幹部和志願者提供熱飯熱水的服務點。"),
    ("銀髮先鋒", "退休老黨員主動請戰、參與社區防控。"),
    ("青春戰疫", "95後、00後黨員和團員投身社區防控。"),
    ("黨費戰疫", "黨員自願繳納特殊黨費支援疫情防控。"),
]

ACTIVITY_TOPICS = {
    ActivityKind.THEME_DAY: ["線上主題黨日：學習疫情防控指示精神", "線上主題黨日：黨員亮身份、作表率",
                             "線上主題黨日：重溫入黨誓詞"],
    ActivityKind.MEMBERS_MEETING: ["線上支部黨員大會：部署疫情防控任務", "線上支部黨員大會：黨員分工包戶"],
    ActivityKind.COMMITTEE_MEETING: ["線上支委會：研究網格防控分工", "線上支委會：統籌防疫物資"],
    ActivityKind.GROUP_MEETING: ["線上黨小組會：交流入戶排查情況", "線上黨小組會：關心困難黨員"],
    ActivityKind.PARTY_LECTURE: ["線上黨課：在疫情防控中踐行初心使命", "線上黨課：戰時黨建模式"],
}
ABSENCE_REASONS = ["值守卡口", "入戶排查", "居家隔離", "網格值班", "照顧家人"]
SURNAMES = "王李張劉陳楊趙黃周吳徐孫胡朱高林何郭馬羅梁宋鄭謝韓唐馮于董蕭程曹袁鄧許傅沈曾彭呂蘇盧蔣蔡賈丁魏薛葉閻"
GIVEN = "偉芳娜秀英敏靜麗強磊軍洋勇艷傑娟濤明超蘭霞平剛桂華建國志紅玉梅海波輝鵬飛斌宇浩凱晨晶琳欣怡雪峰鑫俊帆慧穎婷"
AGENCIES = ["市南區委辦公室", "市南區政府辦公室", "市南區委組織部", "市南區財政局", "市南區城市管理局",
            "市南區衛生健康局", "市南區市場監督管理局", "市南區民政局", "市南區商務局", "市南區審計局"]

DOU_PLEDGE = (
    "疫情就是命令，防控就是責任。我堅決以最短的時間、最快的時間完成黨和社區交給的一切任務！"
    "我是樓長，也是黨員，守護家園是我的責任，我作為黨員就應該沖在最前面。"
)


@dataclass(frozen=True)
class Numbers:
    """The counts the seed gives; a test may load a smaller district with smaller ones."""

    online_branches: int = 1021
    online_activities: int = 2327
    new_applications: int = 22
    assault_team: int = 65
    checkpoint_cadres: int = 43
    participating: int = 17_500  # the seed's 1.7余萬: any integer from 17,000 to 17,999


def load(ctx: Any) -> None:
    load_numbers(ctx, Numbers())


def load_numbers(ctx: Any, numbers: Numbers) -> None:
    rng = random.Random(ctx.rng.getrandbits(64))  # noqa: S311 - demo data, not crypto
    period = (ctx.period_start, ctx.period_end)
    district = _need(ctx.area, DISTRICT, "the district")
    committee = _need(ctx.org, DISTRICT_COMMITTEE, "the district committee")
    department = Organization.objects.filter(name=ORG_DEPARTMENT).first()
    decider = department.name if department else committee.name

    started = time.process_time()
    _rules(ctx, committee)
    charters = _charters(decider)
    _oath(ctx)
    _pledge(ctx)
    _teams(ctx, rng, numbers, district, committee, decider)
    _applications(ctx, rng, numbers)
    _brands(ctx, committee)
    ctx.log(f"orglife: named records in {time.process_time() - started:.1f} s CPU")
    done = _online(ctx, rng, numbers, committee)
    ctx.log(f"orglife: online branches in {time.process_time() - started:.1f} s CPU")
    figures = selectors.figures(scope=ctx.scope, period_start=period[0], period_end=period[1])
    ctx.log(
        f"orglife: {charters} charters added; {done}; "
        + ", ".join(f"{code} {value}" for code, value in figures.items())
    )


# -- helpers -------------------------------------------------------------------------------


def _need(lookup: Callable[[str], Any], name: str, what: str) -> Any:
    try:
        return lookup(name)
    except ObjectDoesNotExist as exc:
        raise RuntimeError(
            f"orglife demo: {what} “{name}” is missing; run the spine loader (bastion/demo/demo.py) first."
        ) from exc


@cache
def _key(name: str) -> str:
    return search_key(name)


@cache
def _name_pool() -> tuple[str, ...]:
    """A fixed pool of plausible names: names repeat in a district, and their search keys are computed once."""
    pick = random.Random(370202)  # noqa: S311 - demo data, not crypto
    return tuple(
        pick.choice(SURNAMES) + "".join(pick.choice(GIVEN) for _ in range(pick.choice((1, 2, 2))))
        for _ in range(1500)
    )


def _name(rng: random.Random) -> str:
    return rng.choice(_name_pool())


def _audit_bulk(ctx: Any, verb: str, objs: list[Any], fields: list[str],
                repr_of: Callable[[Any], str] = str) -> None:
    """One audit event per created row, as the services write them (a diff from nothing)."""
    if not objs:
        return
    label = objs[0]._meta.label_lower
    actor = ctx.scope.user if getattr(ctx.scope.user, "is_authenticated", False) else None
    events = []
    for obj in objs:
        diff = {}
        for name in fields:
            value = getattr(obj, name)
            if value not in (None, ""):
                diff[name] = [None, value.isoformat() if isinstance(value, dt.date) else value]
        events.append(AuditEvent(actor=actor, verb=verb, object_type=label, object_id=str(obj.pk),
                                 object_repr=repr_of(obj)[:200], diff=diff))
    AuditEvent.objects.bulk_create(events, batch_size=2000)


def _bulk_persons(ctx: Any, rng: random.Random, rows: list[tuple[Area, dict[str, Any]]]) -> list[Person]:
    """New persons without ID numbers (the demo invents none it cannot keep valid)."""
    persons = []
    for area, extra in rows:
        ctx.scope.require("person.change", area=area)
        name = _name(rng)
        birth = dt.date(rng.randint(1945, 1998), rng.randint(1, 12), rng.randint(1, 28))
        persons.append(Person(name=name, area_id=area.pk, gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                              birth_date=birth, search_key=_key(name), **extra))
    persons = Person.objects.bulk_create(persons, batch_size=2000)
    Person.history.bulk_history_create(persons, batch_size=2000)
    _audit_bulk(ctx, "person.create", persons, ["name", "gender", "birth_date", "party_status", "area_id",
                                                "is_agency_cadre", "home_agency"], repr_of=lambda p: p.name)
    return persons


def _bulk_memberships(ctx: Any, rows: list[tuple[Person, Organization, str, dt.date | None]]) -> list[Membership]:
    for org in {org.pk: org for _p, org, _r, _s in rows}.values():
        ctx.scope.require("membership.change", org=org)
    memberships = Membership.objects.bulk_create(
        [Membership(person_id=p.pk, organization_id=o.pk, role=r, start=s) for p, o, r, s in rows], batch_size=2000
    )
    Membership.history.bulk_history_create(memberships, batch_size=2000)
    names = {p.pk: p.name for p, _o, _r, _s in rows} | {o.pk: o.name for _p, o, _r, _s in rows}
    _audit_bulk(ctx, "membership.create", memberships, ["person_id", "organization_id", "role", "start"],
                repr_of=lambda m: f"{names[m.person_id]} · {names[m.organization_id]}")
    return memberships


# -- the parts -----------------------------------------------------------------------------


def _rules(ctx: Any, committee: Organization) -> None:
    if WorkingRules.objects.filter(organization=committee).exists():
        return
    working_rules_set(
        scope=ctx.scope, organization=committee, title=RULES_TITLE,
        text=(
            "一、各基層黨支部依託微信建立線上支部群，支部書記任群主，黨員實名入群。\n"
            "二、疫情防控期間，主題黨日、支部黨員大會、支委會、黨小組會和黨課可在線上召開，"
            "由支部書記記錄日期、議題、出席和缺席原因，會後上傳紀要。\n"
            "三、線上支部每週至少發布一次防控任務，黨員在群內報告包片、包戶、包人情況。\n"
            "四、不在群內傳播未經核實的信息，不在群內發布居民個人信息。"
        ),
    )


def _charters(decider: str) -> int:
    """A charter for every temporary branch the spine created in bulk."""
    missing = list(
        Organization.objects.filter(kind=OrgKind.TEMPORARY_BRANCH, charter__isnull=True, established__isnull=False)
    )
    if not missing:
        return 0
    secretaries = {
        m.organization_id: m
        for m in Membership.objects.filter(organization__in=missing, role=MembershipRole.SECRETARY).order_by("-pk")
    }
    charters = BranchCharter.objects.bulk_create(
        [BranchCharter(organization=org, decided_by=decider, decided_on=org.established,
                       secretary=secretaries.get(org.pk)) for org in missing if org.established],
        batch_size=2000,
    )
    BranchCharter.history.bulk_history_create(charters, batch_size=2000)
    return len(charters)


def _oath(ctx: Any) -> None:
    branch = (
        Organization.objects.filter(kind=OrgKind.TEMPORARY_BRANCH, purpose=TemporaryPurpose.GRID_PIONEER,
                                    name__startswith="秀湛路社區")
        .order_by("name")
        .first()
    )
    if branch is None:
        raise RuntimeError("orglife demo: no pioneer branch of 秀湛路社區; run the spine loader first.")
    if Activity.objects.filter(organization=branch, kind=ActivityKind.OATH).exists():
        return
    day = max(branch.established or ctx.period_start, ctx.period_start)
    members = Person.objects.filter(pk__in=member_ids_on(branch, day)).order_by("pk")
    activity_create(
        scope=ctx.scope, organization=branch, kind=ActivityKind.OATH, date=day, mode=ActivityMode.OFFLINE,
        topic="湛山街道秀湛路社區先鋒防控組臨時黨支部宣誓", place="秀湛路社區黨群服務中心",
        minutes="臨時黨支部成立，全體黨員面對黨旗重溫入黨誓詞。",
        attendance=[AttendanceEntry(p) for p in members],
    )


def _pledge(ctx: Any) -> None:
    dou = _need(ctx.person, "竇秀珍", "the person")
    if Pledge.objects.filter(person=dou).exists():
        return
    membership = Membership.objects.filter(person=dou).select_related("organization").order_by("pk").first()
    organization = membership.organization if membership else Organization.objects.filter(
        kind=OrgKind.COMMUNITY_COMMITTEE, area=dou.area).first()
    if organization is None:
        raise RuntimeError("orglife demo: 竇秀珍 belongs to no organisation; run the spine loader first.")
    pledge_create(scope=ctx.scope, person=dou, organization=organization, kind=PledgeKind.GUARANTEE,
                  date=dt.date(2020, 2, 5), text=DOU_PLEDGE)


def _team(
    ctx: Any, rng: random.Random, *, name: str, purpose: str, size: int, committee: Organization, district: Area,
    decider: str, decided_on: dt.date,
) -> None:
    if size <= 0 or Organization.objects.filter(name=name).exists():
        return
    cadres = _bulk_persons(
        ctx, rng,
        [(district, {"party_status": PartyStatus.FULL, "is_agency_cadre": True, "home_agency": rng.choice(AGENCIES)})
         for _ in range(size)],
    )
    team = temporary_branch_establish(
        scope=ctx.scope, name=name, parent=committee, purpose=purpose, decided_by=decider, decided_on=decided_on,
        area=district, secretary=cadres[0],
    )
    _bulk_memberships(ctx, [(p, team, MembershipRole.MEMBER, decided_on) for p in cadres[1:]])
    activity_create(
        scope=ctx.scope, organization=team, kind=ActivityKind.OATH, date=decided_on, topic=f"{name}成立儀式暨宣誓",
        minutes="面對黨旗重溫入黨誓詞：疫情就是戰情，崗位就是戰場。",
        attendance=[AttendanceEntry(p) for p in cadres],
    )


def _teams(ctx: Any, rng: random.Random, numbers: Numbers, district: Area, committee: Organization,
           decider: str) -> None:
    _team(ctx, rng, name=ASSAULT_TEAM, purpose=TemporaryPurpose.ASSAULT_TEAM, size=numbers.assault_team,
          committee=committee, district=district, decider=decider, decided_on=dt.date(2020, 1, 25))
    # The 43 cadres sent to the station, the airport and other crowded places: only those the
    # checkpoint loader has not already placed in a checkpoint or mobile team.
    if not Organization.objects.filter(name=MOBILE_TEAM).exists():
        have = selectors.checkpoint_cadre_count(scope=ctx.scope, period_start=ctx.period_start,
                                                period_end=ctx.period_end)
        _team(ctx, rng, name=MOBILE_TEAM, purpose=TemporaryPurpose.MOBILE_TEAM,
              size=numbers.checkpoint_cadres - have, committee=committee, district=district, decider=decider,
              decided_on=dt.date(2020, 1, 26))


def _applications(ctx: Any, rng: random.Random, numbers: Numbers) -> None:
    wang = _need(ctx.person, "王嵩", "the person")
    if not Application.objects.filter(person=wang).exists():
        # An activist since 2019: his application predates the period and the system.
        community = wang.area if wang.area.kind == AreaKind.COMMUNITY else wang.area.get_parent()
        community_org = _need(lambda n: Organization.objects.get(kind=OrgKind.COMMUNITY_COMMITTEE, area=community),
                              community.name, "the community committee of")
        branch = Organization.objects.filter(name=f"{community.name}第一黨支部").first() or org_create(
            scope=ctx.scope, name=f"{community.name}第一黨支部", kind=OrgKind.STANDING_BRANCH, parent=community_org,
            area=community, established=dt.date(2012, 7, 1),
        )
        application = Application(
            person=wang, branch=branch, stage=Stage.ACTIVIST, applied_on=dt.date(2019, 4, 15),
            talk_on=dt.date(2019, 5, 6), activist_on=dt.date(2019, 10, 8),
        )
        application.full_clean()
        application.save()
        audit.record(ctx.scope.user, "application.create", application, audit.diff({}, audit.snapshot(application)))
        if wang.party_status != PartyStatus.ACTIVIST:
            from bastion.people.services import person_update

            person_update(scope=ctx.scope, person=wang, party_status=PartyStatus.ACTIVIST)
    have = Application.objects.filter(applied_on__gte=ctx.period_start, applied_on__lte=ctx.period_end).count()
    branches = list(
        Organization.objects.filter(kind=OrgKind.TEMPORARY_BRANCH, purpose=TemporaryPurpose.GRID_PIONEER,
                                    established__lte=ctx.period_end - dt.timedelta(days=2))
        .prefetch_related("covered_areas").order_by("path")
    )
    if not branches and have < numbers.new_applications:
        raise RuntimeError("orglife demo: no grid pioneer branches to apply to; run the spine loader first.")
    for index in range(have, numbers.new_applications):
        branch = branches[(index * 37) % len(branches)]
        grid = next(iter(branch.covered_areas.all()), None) or branch.area
        person = person_create(
            scope=ctx.scope, name=_name(rng), area=grid, gender=rng.choice([Gender.MALE, Gender.FEMALE]),
            birth_date=dt.date(rng.randint(1970, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        )
        first = max(branch.established or ctx.period_start, ctx.period_start, dt.date(2020, 1, 28))
        applied = first + dt.timedelta(days=rng.randint(0, max((ctx.period_end - first).days - 1, 0)))
        application = application_create(scope=ctx.scope, person=person, branch=branch, applied_on=applied)
        if index % 2 == 0 and applied < ctx.period_end:
            application_record_talk(scope=ctx.scope, application=application, on=applied + dt.timedelta(days=1))


def _brands(ctx: Any, committee: Organization) -> None:
    streets = list(Organization.objects.filter(kind=OrgKind.STREET_COMMITTEE).order_by("path"))
    owners = [committee, committee, *streets] or [committee]
    for index, (name, description) in enumerate(BRANDS):
        owner = owners[index % len(owners)]
        if not Brand.objects.filter(name=name).exists():
            brand_create(scope=ctx.scope, name=name, organization=owner, description=description)
    if Story.objects.exists():
        return
    dou = ctx.person("竇秀珍")
    pledge = Pledge.objects.filter(person=dou).select_related("organization").first()
    stories = [
        ("77歲老黨員的保證書", "銀髮先鋒", [dou], dt.date(2020, 2, 6),
         "湛山街道仰口路社區77歲老黨員竇秀珍的一封保證書在朋友圈和微信群廣泛傳播：我是樓長，也是黨員，"
         "守護家園是我的責任。", pledge.organization if pledge else committee),
        ("走街串巷的小喇叭", "走街串巷小喇叭", [], dt.date(2020, 2, 2),
         "黨員志願者推著小喇叭走街串巷，用方言宣傳防疫知識。", committee),
        ("最美擺渡人", "最美擺渡人", [], dt.date(2020, 2, 9),
         "黨員志願者為居家隔離的住戶代購、送菜送藥，當起防疫擺渡人。", committee),
    ]
    for title, brand_name, people, day, text, org in stories:
        story_create(scope=ctx.scope, title=title, organization=org, date=day, text=text, people=people,
                     brand=Brand.objects.filter(name=brand_name).first())


# -- online branches -----------------------------------------------------------------------


def _spread(total: int, weights: list[int]) -> list[int]:
    """Split total in proportion to weights, largest remainders first, so the parts add up."""
    whole = sum(weights) or 1
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _online_parents(committee: Organization) -> list[tuple[Organization, list[Area]]]:
    streets = list(Organization.objects.filter(kind=OrgKind.STREET_COMMITTEE, path__startswith=committee.path)
                   .select_related("area").order_by("path"))
    if not streets:
        raise RuntimeError("orglife demo: no street committees under 市南區委; run the spine loader first.")
    out = []
    for street in streets:
        communities = list(Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=street.area.path)
                           .order_by("path")) if street.area else []
        out.append((street, communities or ([street.area] if street.area else [])))
    return out


def _create_online_branches(
    ctx: Any, parent: Organization, rows: list[tuple[str, str, Area, dt.date]]
) -> list[Organization]:
    """Online branches under one street committee, in bulk when they sort after every sibling
    (treebeard keeps siblings ordered by kind, then name), otherwise through the service."""
    rows = sorted(rows)
    siblings = list(Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                    .order_by("path").values_list("kind", "name"))
    if rows and siblings and max(siblings) >= (OrgKind.ONLINE_BRANCH.value, rows[0][0]):
        return [org_create(scope=ctx.scope, name=name, kind=OrgKind.ONLINE_BRANCH, parent=parent, channel=channel,
                           area=area, established=day) for name, channel, area, day in rows]
    ctx.scope.require("org.change", org=parent)
    parent.refresh_from_db()
    orgs = []
    for offset, (name, channel, area, day) in enumerate(rows, start=1):
        org = Organization(
            name=name, kind=OrgKind.ONLINE_BRANCH, channel=channel, area=area, established=day,
            search_key=search_key(name, channel), depth=parent.depth + 1, numchild=0,
            path=Organization._get_path(parent.path, parent.depth + 1, parent.numchild + offset),
        )
        org.full_clean(exclude=["path", "area"], validate_unique=False, validate_constraints=False)
        orgs.append(org)
    orgs = Organization.objects.bulk_create(orgs)
    Organization.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(orgs))
    Organization.history.bulk_history_create(orgs)
    _audit_bulk(ctx, "organization.create", orgs, ["name", "kind", "channel", "area_id", "established",
                                                   "search_key"])
    return orgs


def _online(ctx: Any, rng: random.Random, numbers: Numbers, committee: Organization) -> str:
    if Organization.objects.filter(kind=OrgKind.ONLINE_BRANCH, name__endswith="線上黨支部").exists():
        return "online branches already loaded"
    parents = _online_parents(committee)
    per_street = _spread(numbers.online_branches, [len(c) for _s, c in parents])
    branches: list[Organization] = []
    for (street, communities), count in zip(parents, per_street, strict=True):
        per_community = _spread(count, [1] * len(communities))
        rows = []
        for community, n in zip(communities, per_community, strict=True):
            for number in range(1, n + 1):
                day = ctx.period_start + dt.timedelta(days=rng.randint(0, 3))
                rows.append((f"{community.name}第{number:02d}線上黨支部", f"{community.name}第{number:02d}黨支部微信群",
                             community, day))
        branches += _create_online_branches(ctx, street, rows)
    branches.sort(key=lambda b: b.pk)

    # Members: enough new ones that participation reaches the target with every other duty counted.
    have = selectors.participating_count(scope=ctx.scope, period_start=ctx.period_start, period_end=ctx.period_end)
    wanted = max(numbers.participating - have, 0)
    sizes = _spread(wanted, [1] * len(branches))
    persons = _bulk_persons(
        ctx, rng,
        [(cast(Area, branch.area),
          {"party_status": PartyStatus.FULL if rng.random() < 0.97 else PartyStatus.PROBATIONARY})
         for branch, size in zip(branches, sizes, strict=True) for _ in range(size)],
    )
    members: dict[int, list[Person]] = {}
    cursor = 0
    rows_m: list[tuple[Person, Organization, str, dt.date | None]] = []
    for branch, size in zip(branches, sizes, strict=True):
        members[branch.pk] = persons[cursor:cursor + size]
        cursor += size
        rows_m += [(p, branch, MembershipRole.SECRETARY if i == 0 else MembershipRole.MEMBER, branch.established)
                   for i, p in enumerate(members[branch.pk])]
    _bulk_memberships(ctx, rows_m)

    # Activities: two per branch, a third in some, all online and inside the period.
    counts = _spread(numbers.online_activities, [1] * len(branches))
    kinds_cycle = [ActivityKind.THEME_DAY, ActivityKind.MEMBERS_MEETING, ActivityKind.PARTY_LECTURE,
                   ActivityKind.COMMITTEE_MEETING, ActivityKind.GROUP_MEETING]
    activities = []
    for branch, n in zip(branches, counts, strict=True):
        first = max(branch.established, ctx.period_start)
        span = (ctx.period_end - first).days
        days = sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))
        host = members[branch.pk][0] if members[branch.pk] else None
        for i, day in enumerate(days):
            kind = kinds_cycle[(i + branch.pk) % len(kinds_cycle)] if i else ActivityKind.THEME_DAY
            activities.append(Activity(
                organization_id=branch.pk, kind=kind, mode=ActivityMode.ONLINE, date=day,
                topic=rng.choice(ACTIVITY_TOPICS[kind]), host_id=host.pk if host else None, place=branch.channel,
                minutes="線上簽到，書記傳達疫情防控部署，黨員報告包戶情況。",
            ))
    activities = Activity.objects.bulk_create(activities, batch_size=2000)
    Activity.history.bulk_history_create(activities, batch_size=2000)
    _audit_bulk(ctx, "activity.create", activities, ["organization_id", "kind", "mode", "date", "topic"],
                repr_of=lambda a: f"{a.date} {a.topic}")

    # Attendance: everyone is present at least once; otherwise 85 % present, absent with a reason.
    by_branch: dict[int, list[Activity]] = {}
    for activity in activities:
        by_branch.setdefault(activity.organization_id, []).append(activity)
    attendance = []
    for branch_id, held in by_branch.items():
        for person in members[branch_id]:
            sure = rng.randrange(len(held))
            for i, activity in enumerate(held):
                present = i == sure or rng.random() < 0.85
                attendance.append(Attendance(activity_id=activity.pk, person_id=person.pk, present=present,
                                             absence_reason="" if present else rng.choice(ABSENCE_REASONS)))
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    return (f"{len(branches)} online branches, {len(persons)} members, {len(activities)} activities, "
            f"{len(attendance)} attendances")
