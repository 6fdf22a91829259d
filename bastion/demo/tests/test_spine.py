"""The spine of the demo district: the seed's figures and facts, valid identifiers, idempotence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from stdnum.cn import ric

from bastion.access.models import Grant, Role, User
from bastion.access.scope import resolve_scope
from bastion.areas.models import Area
from bastion.core.personal import parse_phone, parse_resident_id
from bastion.demo import demo as spine
from bastion.demo.accounts import DEMO_PASSWORD, ensure_accounts
from bastion.demo.context import DemoContext
from bastion.demo.tests.state import database_state
from bastion.orgs.models import Organization
from bastion.people.models import Membership, Person

SEED_DAY = dt.date(2020, 2, 16)


def load_spine() -> None:
    ctx = DemoContext(log=lambda _message: None)
    spine.load(ctx)
    ensure_accounts(ctx)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def tree_problems(model: Any) -> list[str]:
    """What treebeard's find_problems checks (depth, orphans, numchild), in one query."""
    nodes = list(model.objects.values_list("path", "depth", "numchild"))
    paths = {path for path, _d, _n in nodes}
    children: dict[str, int] = {}
    for path, _d, _n in nodes:
        children[path[: -model.steplen]] = children.get(path[: -model.steplen], 0) + 1
    problems = []
    for path, depth, numchild in nodes:
        if len(path) != depth * model.steplen:
            problems.append(f"{path}: depth {depth}")
        if depth > 1 and path[: -model.steplen] not in paths:
            problems.append(f"{path}: orphan")
        if numchild != children.get(path, 0):
            problems.append(f"{path}: numchild {numchild} != {children.get(path, 0)}")
    return problems


@pytest.fixture(scope="module")
def loaded_once(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The spine is loaded once for this module, in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_spine()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(loaded_once: Any, db: Any) -> None:
    """Each test runs in a savepoint inside the loaded module transaction."""


def test_the_district_has_its_ten_streets_with_statistical_codes(loaded):
    district = Area.objects.get(name="市南區")
    assert (district.kind, district.code, district.code_year) == ("district", "370202", 2020)
    streets = district.get_children().filter(kind="street")
    assert sorted(s.name for s in streets) == sorted(name for name, _c in spine.STREETS)
    for street in streets:
        assert len(street.code) == 12 and street.code.startswith("370202") and street.code.endswith("000")
        assert street.code_year == 2020


def test_named_communities_sit_under_their_streets(loaded):
    def street_of(community: str) -> str:
        return Area.objects.get(name=community, kind="community").get_parent().name

    assert street_of("仰口路社區") == "湛山街道"
    assert street_of("秀湛路社區") == "湛山街道"
    assert street_of("西藏路社區") == "八大峽街道"
    assert street_of("四川路社區") == "雲南路街道"
    assert street_of("海口路社區") == "珠海路街道"
    zhuhai = Area.objects.get(name="珠海路街道")
    assert zhuhai.get_children().filter(kind="community").count() == 4
    for community in Area.objects.filter(kind="community"):
        assert community.code.startswith(community.get_parent().code[:9])


def test_751_grids_each_covered_by_one_pioneer_branch(loaded):
    grids = Area.objects.filter(kind="grid")
    assert grids.count() == 751
    communities = {a.path: a for a in Area.objects.filter(kind="community")}
    assert len(communities) >= 40  # grids spread over many communities
    assert all(path[: -Area.steplen] in communities for path in grids.values_list("path", flat=True))
    pioneers = Organization.objects.filter(kind="temporary_branch", purpose="grid_pioneer")
    assert pioneers.count() == 751
    assert grids.filter(covering_organizations__purpose="grid_pioneer").distinct().count() == 751
    committees = {o.path: o for o in Organization.objects.filter(kind="community_committee")}
    for branch in pioneers.prefetch_related("covered_areas"):
        covered = list(branch.covered_areas.all())
        assert len(covered) == 1 and covered[0].kind == "grid"
        assert branch.path[: -Organization.steplen] in committees
        assert communities[covered[0].path[: -Area.steplen]].pk == branch.area_id
    assert tree_problems(Area) == []
    assert tree_problems(Organization) == []


def test_601_of_751_pioneer_secretaries_are_agency_cadres(loaded):
    secretaries = Membership.objects.filter(organization__purpose="grid_pioneer", role="secretary")
    assert secretaries.count() == 751
    assert secretaries.values("organization").distinct().count() == 751
    cadres = secretaries.filter(person__is_agency_cadre=True)
    assert cadres.count() == 601
    assert not cadres.filter(person__home_agency="").exists()
    assert round(601 / 751, 2) == 0.80


def test_every_id_number_and_phone_is_valid(loaded):
    people = list(Person.objects.exclude(id_number=None))
    assert len(people) >= 751
    for person in people:
        number = person.id_number
        assert number[-1] == ric.calc_check_digit(number)
        parsed = parse_resident_id(number)  # raises on a bad checksum, length or date
        assert number.startswith("370202")
        assert (parsed.birth_date, parsed.gender) == (person.birth_date, person.gender)
        assert 18 <= age_on(person.birth_date, SEED_DAY) <= 90
        assert parse_phone(person.phone) == person.phone


def test_the_seed_names_its_people_with_their_facts(loaded):
    dou = Person.objects.get(name="竇秀珍")
    assert age_on(dou.birth_date, SEED_DAY) == 77
    assert dou.party_status == "full" and dou.area.name == "仰口路社區"

    yue = Person.objects.get(name="岳曉露")
    assert yue.birth_date >= dt.date(1995, 1, 1)
    titles = {(m.organization.name, m.role, m.title) for m in yue.memberships.select_related("organization")}
    assert ("西藏路社區黨委", "deputy_secretary", "黨委副書記") in titles
    assert ("西藏路社區黨委", "member", "居委會主任") in titles

    tian = Membership.objects.select_related("organization").get(person__name="田明禎")
    assert (tian.organization.name, tian.organization.kind) == ("交警文登路中隊", "other")

    assert Person.objects.filter(name="蓋海建").count() == 1

    wang = Person.objects.get(name="王嵩")
    assert wang.party_status == "activist" and wang.area.name == "四川路社區"

    dong = Membership.objects.select_related("organization").get(person__name="董彰")
    assert (dong.organization.name, dong.organization.kind, dong.role) == (
        "金光都市名家小區片區黨支部", "standing_branch", "secretary"
    )
    assert dong.organization.get_parent().name == "海口路社區黨委"

    sun = Membership.objects.select_related("organization").get(person__name="孫興國")
    assert (sun.organization.name, sun.title) == ("市南區委組織部", "副部長")
    assert sun.organization.get_parent().kind == "district_committee"


def test_the_station_is_a_site_of_the_district(loaded):
    station = Area.objects.get(name="青島火車站")
    assert (station.kind, station.site_type) == ("site", "station")
    assert station.get_parent().name == "市南區"


def test_committees_mirror_the_area_tree(loaded):
    assert Organization.objects.get(name="市南區委").kind == "district_committee"
    for street_name, communities in spine.STREETS:
        street_org = Organization.objects.get(name=f"{street_name}黨工委")
        assert street_org.kind == "street_committee" and street_org.area.name == street_name
        for community in communities:
            committee = Organization.objects.get(name=f"{community}黨委")
            assert committee.get_parent().pk == street_org.pk and committee.area.name == community


def test_one_demo_account_per_role_linked_to_a_person(loaded):
    users = User.objects.filter(grants__isnull=False).distinct()
    assert {g.role for g in Grant.objects.all()} == set(Role.values)
    assert users.count() == len(Role.values)
    assert all(user.person is not None for user in users)
    volunteer = User.objects.get(username="volunteer")
    assert volunteer.check_password(DEMO_PASSWORD)
    assert {user.password for user in users} == {volunteer.password}  # one published password for all
    grid = Area.objects.get(name="仰口路社區第01網格")
    scope = resolve_scope(volunteer)
    visible = Area.objects.filter(scope.area_visible_q("area.view"))
    assert list(visible) == [grid]
    secretary = User.objects.get(username="grid_secretary")
    assert Membership.objects.filter(
        person=secretary.person, role="secretary", organization__covered_areas=grid
    ).exists()


def test_a_demo_account_can_sign_in_with_the_printed_password(loaded):
    assert Client().login(username="community_worker", password=DEMO_PASSWORD)
    assert not Client().login(username="community_worker", password="wrong password")


def test_every_write_left_an_audit_event_and_a_history_row(loaded):
    from bastion.core.models import AuditEvent

    for model, verb in [(Area, "area.create"), (Organization, "organization.create"), (Person, "person.create"),
                        (Membership, "membership.create")]:
        assert AuditEvent.objects.filter(verb=verb).count() == model.objects.count()
        assert model.history.filter(history_type="+").count() == model.objects.count()
    branch = Organization.objects.filter(purpose="grid_pioneer").first()
    first_record = branch.history.earliest()
    assert [link.area_id for link in first_record.covered_areas.all()] == [branch.covered_areas.get().pk]
    event = AuditEvent.objects.filter(verb="person.create").first()
    assert "*" in event.diff["id_number"][1]  # personal data is masked in the audit trail


def test_loading_twice_gives_the_same_database(loaded):
    before = database_state()
    load_spine()
    assert database_state() == before
