"""The grant form finds the node to grant over by a search, never by listing every node in scope."""

from __future__ import annotations

from django.urls import reverse

from bastion.access.models import Grant
from bastion.access.scope import system_scope
from bastion.access.selectors import grant_target_search
from bastion.people.services import person_create


def _officer(district, make_user):
    person = person_create(scope=system_scope(), name="王街道", area=district.streets[0])
    return make_user("street_officer", area=district.streets[0], person=person)


def _radios(page: str) -> int:
    return page.count('name="target"')


def test_the_page_offers_no_targets_until_the_officer_searches(district, make_user, client_for):
    # Given a street officer on a volunteer's account page
    officer = client_for(_officer(district, make_user))
    volunteer = make_user("member", area=district.grid(0, 0, 0))
    # When the page opens without a search
    page = officer.get(reverse("access:user", args=[volunteer.pk])).content.decode()
    # Then no node is listed, only the search field and a hint
    assert _radios(page) == 0
    assert 'id="target-find"' in page and 'id="target-hint"' in page


def test_a_grid_is_found_by_its_name_in_either_script_and_by_pinyin(district, make_user, client_for):
    # Given a street officer and a grid of their street (秀湛路社區第1網格)
    officer = client_for(_officer(district, make_user))
    volunteer = make_user("member", area=district.grid(0, 0, 0))
    grid = district.grid(0, 1, 0)
    url = reverse("access:user", args=[volunteer.pk])
    # When they search its name in simplified script, in traditional script, by pinyin initials
    for query in ["秀湛路社区第1网格", "秀湛路社區第1網格", "xzl"]:
        page = officer.get(url, {"find": query}).content.decode()
        # Then the grid is offered to pick
        assert f'value="area:{grid.pk}"' in page, query
    # and the list is short: only nodes matching the search
    assert 0 < _radios(page) <= 10


def test_the_search_never_offers_nodes_outside_the_scope(district, make_user, client_for):
    # Given a street officer of 湛山街道
    officer = client_for(_officer(district, make_user))
    volunteer = make_user("member", area=district.grid(0, 0, 0))
    url = reverse("access:user", args=[volunteer.pk])
    # When they search for the other street's community, its grid and its code
    for query in ["西藏路", "西藏路社區第1網格", "370202002", "八大峽"]:
        page = officer.get(url, {"find": query}).content.decode()
        # Then nothing is offered, and they are told so
        assert _radios(page) == 0, query
        assert 'id="target-none"' in page
    # and a search matching both streets offers only theirs
    page = officer.get(url, {"find": "網格"}).content.decode()
    mine = {f"area:{district.grid(0, c, g).pk}" for c in range(2) for g in range(2)}
    theirs = {f"area:{district.grid(1, c, g).pk}" for c in range(2) for g in range(2)}
    assert all(f'value="{v}"' in page for v in mine)
    assert not any(f'value="{v}"' in page for v in theirs)


def test_a_broad_search_is_cut_short_and_says_so(district, make_user, scope_of):
    # Given the district admin, whose scope holds every node
    admin = scope_of(make_user("district_admin", area=district.district))
    # When they search a word every grid has, with a small limit
    found = grant_target_search(scope=admin, query="網格", limit=3)
    # Then at most the limit of each kind is listed, and the rest is announced
    assert len(found.areas) == 3 and len(found.organizations) == 3 and found.more
    assert grant_target_search(scope=admin, query="  ").areas == []


def test_a_refused_form_keeps_the_search_and_the_chosen_grid(district, make_user, client_for):
    # Given an officer who searched and picked a grid but forgot the role
    officer = client_for(_officer(district, make_user))
    volunteer = make_user("member", area=district.grid(0, 0, 0))
    grid = district.grid(0, 1, 0)
    response = officer.post(reverse("access:grant-add", args=[volunteer.pk]),
                            {"role": "", "target": f"area:{grid.pk}", "find": "xzl"})
    # Then the form comes back naming the role field, the grid still listed and checked
    page = response.content.decode()
    assert response.status_code == 400 and 'id="id_role_error"' in page
    assert f'value="area:{grid.pk}"' in page and "checked" in page
    assert 'name="find" value="xzl"' in page
    # and nothing was granted
    assert Grant.objects.filter(user=volunteer).count() == 1


def test_a_posted_target_outside_the_scope_is_refused_and_not_offered(district, make_user, client_for):
    # Given an officer who posts a grid of the other street (a crafted request)
    officer = client_for(_officer(district, make_user))
    volunteer = make_user("member", area=district.grid(0, 0, 0))
    other = district.grid(1, 0, 0)
    response = officer.post(reverse("access:grant-add", args=[volunteer.pk]),
                            {"role": "member", "target": f"area:{other.pk}", "find": ""})
    # Then the service refuses it, and the returned form does not offer it
    assert response.status_code == 403
    assert f'value="area:{other.pk}"' not in response.content.decode()
    assert Grant.objects.filter(user=volunteer).count() == 1
