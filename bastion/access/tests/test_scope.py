import pytest
from django.core.exceptions import PermissionDenied

from bastion.access.scope import system_scope
from bastion.areas.selectors import area_list
from bastion.people.selectors import person_list
from bastion.people.services import person_create


def test_user_without_grants_sees_nothing(district, make_user, scope_of):
    scope = scope_of(make_user())
    assert area_list(scope=scope).count() == 0
    assert not scope.has("area.view")


def test_grid_volunteer_sees_only_their_grid(district, make_user, scope_of):
    s = system_scope()
    mine = person_create(scope=s, name="張三", area=district.grid(0, 0, 0))
    other = person_create(scope=s, name="李四", area=district.grid(0, 0, 1))
    scope = scope_of(make_user("member", area=district.grid(0, 0, 0)))
    assert list(person_list(scope=scope)) == [mine]
    assert [a.pk for a in area_list(scope=scope)] == [district.grid(0, 0, 0).pk]
    with pytest.raises(PermissionDenied):
        scope.require("person.view", person=other)


def test_grants_add_up_over_several_grids(district, make_user, scope_of):
    user = make_user("grid_secretary", area=district.grid(0, 0, 0))
    from bastion.access.models import Grant

    Grant.objects.create(user=user, role="grid_secretary", area=district.grid(1, 1, 1))
    scope = scope_of(user)
    assert {a.pk for a in area_list(scope=scope)} == {district.grid(0, 0, 0).pk, district.grid(1, 1, 1).pk}


def test_member_of_a_pioneer_branch_is_visible_to_the_grid(district, make_user, scope_of):
    from bastion.people.services import membership_create

    s = system_scope()
    cadre = person_create(
        scope=s, name="王五", area=district.grid(1, 0, 0), is_agency_cadre=True, home_agency="區委組織部"
    )
    membership_create(scope=s, person=cadre, organization=district.pioneer_branches[0], role="secretary")
    scope = scope_of(make_user("member", area=district.grid(0, 0, 0)))
    assert cadre in person_list(scope=scope)


def test_auditor_may_not_reveal_or_write(district, make_user, scope_of):
    scope = scope_of(make_user("auditor", area=district.district))
    assert scope.has("person.view")
    assert not scope.has("person.reveal")
    assert not scope.has("export")
    with pytest.raises(PermissionDenied):
        person_create(scope=scope, name="趙六", area=district.grid(0, 0, 0))


def test_a_party_group_inside_the_grids_branch_is_visible_to_the_grid(district, make_user, scope_of):
    from bastion.orgs.selectors import org_list
    from bastion.orgs.services import org_create

    group = org_create(scope=system_scope(), name="第一黨小組", kind="party_group", parent=district.pioneer_branches[0])
    other = org_create(scope=system_scope(), name="第二黨小組", kind="party_group", parent=district.pioneer_branches[1])
    visible = set(org_list(scope=scope_of(make_user("member", area=district.grid(0, 0, 0)))))
    assert group in visible
    assert district.pioneer_branches[0] in visible
    assert other not in visible
    assert district.committee not in visible
