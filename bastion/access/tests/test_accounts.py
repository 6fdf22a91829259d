"""The accounts pages: an officer gives a volunteer an account and a role without a terminal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bastion.access.models import Grant, Role, User
from bastion.access.scope import system_scope
from bastion.access.services import grant_create, grant_revoke, user_password_reset
from bastion.access.tokens import token_create
from bastion.areas.selectors import area_list
from bastion.core.models import AuditEvent
from bastion.people.services import person_create

PASSWORD = "night shift 0217"


def _officer(district, make_user):
    s = system_scope()
    person = person_create(scope=s, name="王街道", area=district.streets[0])
    return make_user("street_officer", area=district.streets[0], person=person)


def test_officer_creates_an_account_and_grant_and_the_volunteer_sees_only_that_grid(
    district, make_user, client_for
):
    # Given a street officer and a volunteer registered in a grid of their street
    officer = client_for(_officer(district, make_user))
    grid = district.grid(0, 1, 0)
    volunteer = person_create(scope=system_scope(), name="竇秀珍", area=grid)
    # When the officer finds the person, names the account and grants "member" over the grid
    found = officer.get(reverse("access:user-create"), {"q": "dxz"}).content.decode()
    assert f"?person={volunteer.pk}" in found
    created = officer.post(
        reverse("access:user-create"), {"person": volunteer.pk, "username": "douxz", "password": PASSWORD}
    )
    user = User.objects.get(username="douxz")
    assert created.status_code == 302 and user.person == volunteer
    granted = officer.post(reverse("access:grant-add", args=[user.pk]), {"role": "member", "target": f"area:{grid.pk}"})
    assert granted.status_code == 302
    assert list(Grant.objects.filter(user=user).values_list("role", "area")) == [("member", grid.pk)]
    # Then the volunteer signs in with the password and sees only that grid
    client = Client()
    assert client.login(username="douxz", password=PASSWORD)
    assert client.get(reverse("areas:detail", args=[grid.pk])).status_code == 200
    assert client.get(reverse("areas:detail", args=[district.grid(0, 1, 1).pk])).status_code in (403, 404)
    from bastion.access.scope import resolve_scope

    assert [a.pk for a in area_list(scope=resolve_scope(user))] == [grid.pk]
    # And both changes are in the account's history
    page = officer.get(reverse("access:user", args=[user.pk])).content.decode()
    assert "user.create" in page and "grant.create" in page


def test_a_generated_password_is_shown_once_and_works(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    volunteer = person_create(scope=system_scope(), name="李四", area=district.grid(0, 0, 0))
    created = officer.post(reverse("access:user-create"), {"person": volunteer.pk, "username": "lisi"})
    password = created.context["new_password"]
    assert password and password in created.content.decode() and created["Cache-Control"] == "no-store"
    assert password not in officer.get(reverse("access:user", args=[created.context["account"].pk])).content.decode()
    assert Client().login(username="lisi", password=password)
    assert password not in str(list(AuditEvent.objects.values_list("diff", flat=True)))


def test_a_weak_password_or_taken_name_is_explained_and_nothing_is_written(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    volunteer = person_create(scope=system_scope(), name="李四", area=district.grid(0, 0, 0))
    weak = officer.post(reverse("access:user-create"), {"person": volunteer.pk, "username": "lisi", "password": "123"})
    assert weak.status_code == 400 and weak.context["form"].errors["password"]
    User.objects.create_user(username="taken")
    taken = officer.post(
        reverse("access:user-create"), {"person": volunteer.pk, "username": "taken", "password": PASSWORD}
    )
    assert taken.status_code == 400 and "taken" in str(taken.context["form"].errors["username"])
    assert not User.objects.filter(person=volunteer).exists()


def test_a_street_officer_cannot_make_a_district_admin(district, make_user, client_for):
    # Given a street officer and an account in their street
    officer_user = _officer(district, make_user)
    officer = client_for(officer_user)
    target = make_user("member", area=district.grid(0, 0, 0))
    # When they try to grant a role with more permissions than they hold
    refused = officer.post(
        reverse("access:grant-add", args=[target.pk]),
        {"role": "district_admin", "target": f"area:{district.streets[0].pk}"},
    )
    # Then it is refused with a message naming the role, and no row is written
    assert refused.status_code == 403
    errors = refused.context["grant_form"].non_field_errors()
    with translation.override("zh-hans"):
        assert str(Role.DISTRICT_ADMIN.label) in errors[0] and errors[0] in refused.content.decode()
    assert not Grant.objects.filter(user=target, role="district_admin").exists()
    assert not AuditEvent.objects.filter(verb="grant.create").exists()


def test_grants_outside_the_granters_subtree_are_refused(district, make_user, client_for, scope_of):
    officer_user = _officer(district, make_user)
    officer = client_for(officer_user)
    target = make_user("member", area=district.grid(0, 0, 0))
    other_street_grid = district.grid(1, 0, 0)
    refused = officer.post(
        reverse("access:grant-add", args=[target.pk]), {"role": "member", "target": f"area:{other_street_grid.pk}"}
    )
    assert refused.status_code == 403 and other_street_grid.name in refused.content.decode()
    assert Grant.objects.filter(user=target).count() == 1
    # The CLI and the pages share the service: with a scope it refuses the same way
    with pytest.raises(PermissionDenied):
        grant_create(actor=officer_user, user=target, role="member", area=other_street_grid,
                     scope=scope_of(officer_user))


def test_a_community_worker_grants_lower_roles_but_not_their_own_superiors(district, make_user, scope_of):
    worker = make_user("community_worker", area=district.communities[0])
    target = make_user()
    scope = scope_of(worker)
    grant_create(actor=worker, user=target, role="grid_secretary", area=district.grid(0, 0, 1), scope=scope)
    grant_create(actor=worker, user=target, role="member", area=district.grid(0, 0, 1), scope=scope)
    with pytest.raises(PermissionDenied):
        grant_create(actor=worker, user=target, role="street_officer", area=district.grid(0, 0, 1), scope=scope)
    assert set(Grant.objects.filter(user=target).values_list("role", flat=True)) == {"grid_secretary", "member"}


def test_an_officer_cannot_take_over_a_more_powerful_account(district, make_user, scope_of, client_for):
    # A district admin who lives in the street: the officer sees the person but may not reset the password
    s = system_scope()
    boss = make_user("district_admin", area=district.district,
                     person=person_create(scope=s, name="區長", area=district.grid(0, 0, 0)))
    officer_user = _officer(district, make_user)
    with pytest.raises(PermissionDenied):
        user_password_reset(scope=scope_of(officer_user), actor=officer_user, user=boss)
    with pytest.raises(PermissionDenied):
        grant_revoke(actor=officer_user, grant=boss.grants.get(), scope=scope_of(officer_user))
    officer = client_for(officer_user)
    page = officer.get(reverse("access:user", args=[boss.pk]))
    assert page.status_code == 200 and not page.context["can_manage"]
    assert officer.post(reverse("access:user-active", args=[boss.pk]), {"active": "0"}).status_code == 302
    boss.refresh_from_db()
    assert boss.is_active and Grant.objects.filter(user=boss).exists()


def test_revoking_a_grant_is_recorded(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    person = person_create(scope=system_scope(), name="李四", area=district.grid(0, 0, 0))
    target = make_user("member", area=district.grid(0, 0, 0), person=person)
    grant = target.grants.get()
    officer.post(reverse("access:grant-revoke", args=[grant.pk]))
    assert not Grant.objects.filter(pk=grant.pk).exists()
    page = officer.get(reverse("access:user", args=[target.pk])).content.decode()
    assert "grant.revoke" in page


def test_deactivated_users_cannot_sign_in_and_can_be_reactivated(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    target = make_user("member", area=district.grid(0, 0, 0))
    session = client_for(target)
    _token, raw = token_create(user=target, name="體溫槍")
    officer.post(reverse("access:user-active", args=[target.pk]), {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    assert not Client().login(username=target.username, password="correct horse battery")
    signin = Client().post(reverse("access:login"), {"username": target.username, "password": "correct horse battery"})
    assert signin.status_code == 200 and signin.context["form"].errors
    assert session.get(reverse("access:home")).status_code == 302  # the open session ends too
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/persons").status_code == 401
    officer.post(reverse("access:user-active", args=[target.pk]), {"active": "1"})
    assert Client().login(username=target.username, password="correct horse battery")
    verbs = set(AuditEvent.objects.filter(object_type="access.user").values_list("verb", flat=True))
    assert {"user.deactivate", "user.reactivate"} <= verbs


def test_password_reset_shows_a_new_password_once(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    target = make_user("member", area=district.grid(0, 0, 0))
    reset = officer.post(reverse("access:user-password", args=[target.pk]), {"password": ""})
    new = reset.context["new_password"]
    assert new in reset.content.decode() and reset["Cache-Control"] == "no-store"
    assert Client().login(username=target.username, password=new)
    assert not Client().login(username=target.username, password="correct horse battery")


def test_a_grid_secretary_and_a_volunteer_have_no_access_to_the_accounts_pages(district, make_user, client_for):
    secretary = client_for(make_user("grid_secretary", area=district.grid(0, 0, 0)))
    target = make_user("member", area=district.grid(0, 0, 0))
    assert secretary.get(reverse("access:users")).status_code == 403
    assert secretary.get(reverse("access:user", args=[target.pk])).status_code == 403
    assert secretary.post(reverse("access:grant-add", args=[target.pk]),
                          {"role": "member", "target": f"area:{district.grid(0, 0, 0).pk}"}).status_code == 403
    assert reverse("access:users") not in secretary.get(reverse("access:home")).content.decode()
    assert Grant.objects.filter(user=target).count() == 1


def test_the_list_shows_accounts_in_scope_only_and_searches(district, make_user, client_for):
    s = system_scope()
    officer = client_for(_officer(district, make_user))
    near = make_user("member", area=district.grid(0, 0, 0),
                     person=person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0)))
    far = make_user("member", area=district.grid(1, 0, 0),
                    person=person_create(scope=s, name="李四", area=district.grid(1, 0, 0)))
    page = officer.get(reverse("access:users"))
    shown = {u.pk for u in page.context["page"]}
    assert near.pk in shown and far.pk not in shown
    assert reverse("access:users") in officer.get(reverse("access:home")).content.decode()
    searched = officer.get(reverse("access:users"), {"q": "dxz"})
    assert [u.pk for u in searched.context["page"]] == [near.pk]
    assert officer.get(reverse("access:user", args=[far.pk])).status_code == 404


def test_an_account_for_a_person_outside_scope_is_refused(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    far = person_create(scope=system_scope(), name="李四", area=district.grid(1, 0, 0))
    response = officer.post(reverse("access:user-create"), {"person": far.pk, "username": "lisi", "password": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(username="lisi").exists()


def test_the_accounts_list_queries_do_not_grow_with_the_rows(district, make_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = client_for(_officer(district, make_user))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert officer.get(reverse("access:users")).status_code == 200
        return len(ctx.captured_queries)

    make_user("member", area=district.grid(0, 0, 0))
    few = count()
    for i in range(6):
        user = make_user("member", area=district.grid(0, i % 2, 0))
        Grant.objects.create(user=user, role="grid_secretary", organization=district.pioneer_branches[0])
    assert count() == few


def test_account_changes_show_in_the_audit_log_of_those_who_read_it_there(district, make_user, client_for):
    officer = client_for(_officer(district, make_user))
    near = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0))
    officer.post(reverse("access:user-create"), {"person": near.pk, "username": "douxz", "password": PASSWORD})
    auditor = client_for(make_user("auditor", area=district.communities[0]))
    assert "douxz" in auditor.get(reverse("access:audit"), {"verb": "user."}).content.decode()
    outsider = client_for(make_user("auditor", area=district.communities[3]))
    assert "douxz" not in outsider.get(reverse("access:audit"), {"verb": "user."}).content.decode()
