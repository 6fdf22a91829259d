"""Test helpers shared by the coverage and screening tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bastion.access.scope import system_scope
from bastion.coverage.models import Household
from bastion.coverage.services import household_create, resident_add, responsibility_assign
from bastion.people.models import Person
from bastion.people.services import membership_create, person_create

# Valid resident ID numbers (checksums computed by python-stdnum).
ID_A = "370202199001011237"
ID_B = "370202198512310024"


def valid_id(birth: str = "19900101", seq: str = "123") -> str:
    from stdnum.cn import ric

    body = f"370202{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


def household(
    grid: Any, room: str = "101", street: str = "仰口路1號", building: str = "1號樓", unit: str = "1"
) -> Household:
    return household_create(scope=system_scope(), grid=grid, street=street, building=building, unit=unit, room=room)


def resident(hh: Household, name: str = "張三", relation: str = "head", **kw: Any) -> Person:
    return resident_add(scope=system_scope(), household=hh, relation=relation, name=name, **kw).person


def member(district: Any, name: str = "李志願", grid: Any = None, branch: int = 0) -> Person:
    s = system_scope()
    person = person_create(scope=s, name=name, area=grid or district.grids[branch])
    membership_create(
        scope=s, person=person, organization=district.pioneer_branches[branch], role="member", start=dt.date(2020, 1, 1)
    )
    return person


def volunteer_user(district: Any, make_user: Any, grid_index: int = 0, name: str = "李志願") -> tuple[Any, Person]:
    """A member-role user on a grid, whose person is a member of that grid's pioneer branch."""
    person = member(district, name=name, grid=district.grids[grid_index], branch=grid_index)
    user = make_user("member", area=district.grids[grid_index], person=person)
    return user, person


def assign(member_person: Person, **target: Any) -> Any:
    return responsibility_assign(scope=system_scope(), member=member_person, start=dt.date(2020, 1, 1), **target)
