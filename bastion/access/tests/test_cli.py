import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bastion.access.models import Grant
from bastion.areas.models import Area
from bastion.people.models import Person


def test_area_add_names_the_field_on_a_grid_under_a_grid(district):
    with pytest.raises(CommandError, match="^parent: "):
        call_command("area_add", name="子網格", kind="grid", parent=district.grids[0].pk)
    assert not Area.objects.filter(name="子網格").exists()


def test_person_add_refuses_a_bad_id_and_never_echoes_it(district, capsys):
    with pytest.raises(CommandError) as exc:
        call_command("person_add", name="甲", area=district.grids[0].pk, id_number="110105194912310021")
    assert str(exc.value).startswith("id_number: ")
    assert "110105194912310021" not in str(exc.value)
    assert not Person.objects.exists()
    call_command("person_add", name="甲", area=district.grids[0].pk, id_number="11010519491231002X")
    assert "11010519491231002X" not in capsys.readouterr().out


def test_grant_creates_a_user_with_a_role_on_a_grid(district):
    call_command("grant", "volunteer1", "member", area=district.grids[0].pk, create=True)
    grant = Grant.objects.get(user__username="volunteer1")
    assert grant.role == "member" and grant.area == district.grids[0]
    with pytest.raises(CommandError, match="^role: "):
        call_command("grant", "volunteer1", "member", area=district.grids[0].pk)
