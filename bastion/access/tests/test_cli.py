import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bastion.access.models import Grant, User
from bastion.areas.models import Area
from bastion.core.models import AuditEvent
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


def test_grant_creates_an_account_for_a_registered_person(district, capsys):
    # Given a registered person
    call_command("person_add", name="甲", area=district.grids[0].pk)
    person = Person.objects.get(name="甲")
    capsys.readouterr()
    # when the CLI opens an account for them with a role
    call_command("grant", "jia", "grid_secretary", area=district.grids[0].pk, create=True, person=person.pk)
    # then the account belongs to the person, and the generated password printed once signs in
    user = User.objects.get(username="jia")
    assert user.person == person and user.grants.get().role == "grid_secretary"
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert user.check_password(password)
    assert AuditEvent.objects.filter(verb="user.create", object_id=str(user.pk)).exists()
    # and a second account for the same person, or --person on an existing user, is refused with nothing written
    with pytest.raises(CommandError, match="^person: "):
        call_command("grant", "jia2", "member", area=district.grids[0].pk, create=True, person=person.pk)
    with pytest.raises(CommandError, match="^person: "):
        call_command("grant", "jia", "member", area=district.grids[0].pk, create=True, person=person.pk)
    with pytest.raises(CommandError, match="^person: no person"):
        call_command("grant", "yi", "member", area=district.grids[0].pk, create=True, person=999999)
    assert not User.objects.filter(username__in=["jia2", "yi"]).exists()
    assert user.grants.count() == 1
