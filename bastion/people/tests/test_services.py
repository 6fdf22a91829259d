import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.core.audit import events_for
from bastion.people.models import Membership, Person
from bastion.people.selectors import membership_list, person_list
from bastion.people.services import (
    membership_create,
    membership_end,
    person_create,
    person_reveal,
    person_update,
)

ID = "11010519491231002X"


def test_birth_date_and_gender_come_from_the_id_number(district):
    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grids[0], id_number=ID)
    assert person.birth_date == dt.date(1949, 12, 31)
    assert person.gender == "F"


def test_a_bad_checksum_names_the_field_and_writes_nothing(district):
    with pytest.raises(ValidationError) as exc:
        person_create(scope=system_scope(), name="甲", area=district.grids[0], id_number="110105194912310021")
    assert "id_number" in exc.value.message_dict
    assert Person.objects.count() == 0


def test_the_same_id_number_is_never_entered_twice(district):
    person_create(scope=system_scope(), name="甲", area=district.grids[0], id_number=ID)
    with pytest.raises(ValidationError) as exc:
        person_create(scope=system_scope(), name="乙", area=district.grids[1], id_number=ID.lower())
    assert "id_number" in exc.value.message_dict


def test_a_birth_date_that_contradicts_the_id_is_refused(district):
    with pytest.raises(ValidationError) as exc:
        person_create(
            scope=system_scope(), name="甲", area=district.grids[0], id_number=ID, birth_date=dt.date(1950, 1, 1)
        )
    assert "birth_date" in exc.value.message_dict


def test_a_bad_phone_is_refused_and_a_good_one_normalised(district):
    with pytest.raises(ValidationError) as exc:
        person_create(scope=system_scope(), name="甲", area=district.grids[0], phone="1234")
    assert "phone" in exc.value.message_dict
    person = person_create(scope=system_scope(), name="甲", area=district.grids[0], phone="138-0013-8000")
    assert person.phone == "+8613800138000"


def test_search_ignores_script_and_matches_pinyin_initials(district):
    s = system_scope()
    dou = person_create(scope=s, name="竇秀珍", area=district.grids[0])
    yue = person_create(scope=s, name="岳晓露", area=district.grids[0])
    assert list(person_list(scope=s, query="dxz")) == [dou]
    assert list(person_list(scope=s, query="窦秀珍")) == [dou]
    assert list(person_list(scope=s, query="岳曉露")) == [yue]
    assert list(person_list(scope=s, query="DouXiu")) == [dou]


def test_search_key_follows_a_rename(district):
    s = system_scope()
    person = person_create(scope=s, name="張三", area=district.grids[0])
    person_update(scope=s, person=person, name="李四")
    assert list(person_list(scope=s, query="ls")) == [person]
    assert list(person_list(scope=s, query="zs")) == []


def test_audit_diff_masks_the_id_number(district):
    person = person_create(scope=system_scope(), name="甲", area=district.grids[0], id_number=ID)
    event = events_for(person).first()
    assert ID not in str(event.diff)
    assert event.diff["id_number"][1].endswith("002X")


def test_revealing_requires_the_permission_and_is_audited(district, make_user, scope_of):
    person = person_create(scope=system_scope(), name="甲", area=district.grids[0], id_number=ID)
    worker = make_user("community_worker", area=district.communities[0])
    assert person_reveal(scope=scope_of(worker), person=person)["id_number"] == ID
    assert events_for(person).first().verb == "person.reveal"
    auditor = make_user("auditor", area=district.district)
    with pytest.raises(PermissionDenied):
        person_reveal(scope=scope_of(auditor), person=person)


def test_a_temporary_branch_does_not_end_the_home_membership(district):
    s = system_scope()
    person = person_create(scope=s, name="甲", area=district.grids[0], party_status="full")
    home = membership_create(scope=s, person=person, organization=district.pioneer_branches[0].get_parent())
    membership_create(
        scope=s, person=person, organization=district.pioneer_branches[0], role="secretary", start=dt.date(2020, 1, 26)
    )
    current = membership_list(scope=s, person=person, current_on=dt.date(2020, 2, 1))
    assert set(current) == set(Membership.objects.filter(person=person))
    assert home in current


def test_a_membership_cannot_end_before_it_starts(district):
    s = system_scope()
    person = person_create(scope=s, name="甲", area=district.grids[0])
    m = membership_create(scope=s, person=person, organization=district.pioneer_branches[0], start=dt.date(2020, 2, 1))
    with pytest.raises(ValidationError) as exc:
        membership_end(scope=s, membership=m, end=dt.date(2020, 1, 1))
    assert "end" in exc.value.message_dict


def test_an_area_is_required_for_scoped_users(district, make_user, scope_of):
    scope = scope_of(make_user("community_worker", area=district.communities[0]))
    with pytest.raises(ValidationError) as exc:
        person_create(scope=scope, name="甲")
    assert "area" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        person_create(scope=scope, name="甲", area=district.communities[3])
