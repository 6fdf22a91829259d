"""The shell's own pages: sign-in, home, language switch, tokens, audit log."""

from __future__ import annotations

from django.urls import reverse

from bastion.access.models import ApiToken
from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.people.services import person_create, person_reveal


def test_sign_in_page_is_public_and_a_wrong_password_is_explained(district, make_user, client):
    user = make_user("member", area=district.grid(0, 0, 0))
    page = client.get(reverse("access:login"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    wrong = client.post(reverse("access:login"), {"username": user.username, "password": "nope"})
    assert wrong.status_code == 200 and wrong.context["form"].non_field_errors()
    right = client.post(reverse("access:login"), {"username": user.username, "password": "correct horse battery"})
    assert right.status_code == 302 and right["Location"] == reverse("access:home")


def test_home_lists_the_users_grants_and_navigation_by_role(district, make_user, client_for):
    volunteer = client_for(make_user("member", area=district.grid(0, 0, 0)))
    body = volunteer.get(reverse("access:home")).content.decode()
    assert district.grid(0, 0, 0).name in body
    assert reverse("people:search") in body
    assert reverse("access:audit") not in body  # a volunteer has no audit log
    auditor = client_for(make_user("auditor", area=district.district)).get(reverse("access:home")).content.decode()
    assert reverse("access:audit") in auditor


def test_sign_out_needs_a_post(district, make_user, client_for):
    client = client_for(make_user("member", area=district.grid(0, 0, 0)))
    assert client.get(reverse("access:logout")).status_code == 405
    assert client.post(reverse("access:logout")).status_code == 302
    assert client.get(reverse("access:home")).status_code == 302


def test_language_switch_translates_the_shell(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    default = client.get(reverse("people:search")).content.decode()
    assert 'lang="zh-hans"' in default and "人员" in default
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/people/"})
    hant = client.get(reverse("people:search")).content.decode()
    assert 'lang="zh-hant"' in hant and "人員" in hant
    client.post(reverse("set_language"), {"language": "en", "next": "/people/"})
    english = client.get(reverse("people:search")).content.decode()
    assert 'lang="en"' in english and "Register a person" in english


def test_tokens_are_created_shown_once_and_revoked(district, make_user, client_for):
    user = make_user("member", area=district.grid(0, 0, 0))
    client = client_for(user)
    empty = client.post(reverse("access:tokens"), {"name": "  "})
    assert empty.context["error"] and not ApiToken.objects.exists()
    created = client.post(reverse("access:tokens"), {"name": "體溫槍 1"})
    raw = created.context["new_token"]
    assert raw.startswith("bst_") and raw in created.content.decode()
    token = ApiToken.objects.get(user=user)
    assert raw not in client.get(reverse("access:tokens")).content.decode()
    client.post(reverse("access:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    other = make_user("member", area=district.grid(0, 0, 0))
    assert client_for(other).post(reverse("access:token-revoke", args=[token.pk])).status_code == 404


def test_audit_log_shows_reveals_in_scope_only(district, make_user, client_for, scope_of):
    s = system_scope()
    near = person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0))
    far = person_create(scope=s, name="李四", area=district.grid(1, 1, 1))
    worker = make_user("community_worker", area=district.district)
    person_reveal(scope=scope_of(worker), person=near)
    person_reveal(scope=scope_of(worker), person=far)
    auditor = client_for(make_user("auditor", area=district.communities[0]))
    body = auditor.get(reverse("access:audit"), {"verb": "person.reveal"}).content.decode()
    assert "竇秀珍" in body and "李四" not in body
    assert reverse("people:detail", args=[near.pk]) in body
    volunteer = client_for(make_user("member", area=district.grid(0, 0, 0)))
    assert volunteer.get(reverse("access:audit")).status_code == 403
    assert AuditEvent.objects.filter(verb="person.reveal").count() == 2


def test_audit_log_query_count_is_constant(district, make_user, client_for, django_assert_max_num_queries):
    client = client_for(make_user("district_admin", area=district.district))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("access:audit"))
    for i in range(20):
        person_create(scope=system_scope(), name=f"居民{i}", area=district.grid(0, 0, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("access:audit"))
