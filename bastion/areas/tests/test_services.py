import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bastion.access.scope import system_scope
from bastion.areas.models import Area
from bastion.areas.services import area_create, area_move, area_update
from bastion.core.models import AuditEvent


def test_grid_under_a_grid_is_refused_naming_the_parent(district):
    grid = district.grids[0]
    before = Area.objects.count()
    with pytest.raises(ValidationError) as exc:
        area_create(scope=system_scope(), name="子網格", kind="grid", parent=grid)
    assert "parent" in exc.value.message_dict
    assert Area.objects.count() == before


def test_street_code_must_be_twelve_digits_with_the_county_prefix(district):
    s = system_scope()
    with pytest.raises(ValidationError) as exc:
        area_create(scope=s, name="新街道", kind="street", parent=district.district, code="3702", code_year=2020)
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        area_create(
            scope=s, name="新街道", kind="street", parent=district.district, code="370203001000", code_year=2020
        )
    assert "370202" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        area_create(scope=s, name="新街道", kind="street", parent=district.district, code="370202099000")
    assert "code_year" in exc.value.message_dict


def test_moving_an_area_under_its_own_descendant_is_refused(district):
    street = district.streets[0]
    community = district.communities[0]
    with pytest.raises(ValidationError) as exc:
        area_move(scope=system_scope(), area=street, new_parent=community)
    assert "parent" in exc.value.message_dict


def test_moving_a_community_to_another_street_moves_its_grids(district):
    community = district.communities[0]
    area_move(scope=system_scope(), area=community, new_parent=district.streets[1])
    community.refresh_from_db()
    assert community.get_parent() == district.streets[1]
    assert all(g.path.startswith(community.path) for g in community.get_children())


def test_names_are_kept_in_the_script_entered(district):
    area = area_create(scope=system_scope(), name="臺東社區", kind="community", parent=district.streets[0])
    assert Area.objects.get(pk=area.pk).name == "臺東社區"


def test_every_write_leaves_an_audit_event_with_the_diff(district, make_user, scope_of):
    user = make_user("street_officer", area=district.streets[0])
    area = area_update(scope=scope_of(user), area=district.communities[0], name="仰口路社区")
    event = AuditEvent.objects.filter(object_type="areas.area", object_id=str(area.pk)).first()
    assert event.verb == "area.update"
    assert event.actor == user
    assert event.diff["name"] == ["仰口路社區", "仰口路社区"]


def test_a_street_officer_cannot_change_another_street(district, make_user, scope_of):
    scope = scope_of(make_user("street_officer", area=district.streets[0]))
    with pytest.raises(PermissionDenied):
        area_update(scope=scope, area=district.communities[2], name="x")
    with pytest.raises(PermissionDenied):
        area_create(scope=scope, name="新街道", kind="street", parent=district.district)


def test_a_child_lands_under_its_parent_even_after_siblings_were_renumbered(district):
    s = system_scope()
    street = district.streets[0]
    late = area_create(scope=s, name="ㄅ社區", kind="community", parent=street, code="370202001999", code_year=2020)
    # A sibling that sorts first renumbers `late` in the database; the object in hand is stale.
    area_create(scope=s, name="甲社區", kind="community", parent=street, code="370202001100", code_year=2020)
    grid = area_create(scope=s, name="新網格", kind="grid", parent=late)
    assert grid.get_parent().pk == late.pk
