"""The organisation browser, through the Django test client."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.orgs.models import Organization
from bastion.people.models import Membership
from bastion.people.services import membership_create, person_create


def test_tree_and_detail_show_kind_area_coverage_and_members(district, make_user, client_for):
    # given a pioneer branch with a secretary and a former member
    branch = district.pioneer_branches[0]
    s = system_scope()
    sec = person_create(scope=s, name="岳曉露", area=district.grid(0, 0, 0))
    old = person_create(scope=s, name="王嵩", area=district.grid(0, 0, 0))
    membership_create(scope=s, person=sec, organization=branch, role="secretary", start=dt.date(2020, 1, 28))
    membership_create(scope=s, person=old, organization=branch, role="member", start=dt.date(2020, 1, 1),
                      end=dt.date(2020, 1, 2))
    client = client_for(make_user("district_admin", area=district.district))
    # when the admin opens the tree and the branch
    tree = client.get(reverse("orgs:browse")).content.decode()
    kids = client.get(reverse("orgs:children", args=[district.committee.pk])).content.decode()
    body = client.get(reverse("orgs:detail", args=[branch.pk])).content.decode()
    # then
    assert "市南區委" in tree
    assert "湛山街道黨工委" in kids
    assert "Grid pioneer group" in body or "网格先锋" in body or "先鋒" in body
    assert district.grid(0, 0, 0).name in body  # covered area
    assert "岳曉露" in body and "2020-01-28" in body
    assert "王嵩" not in body  # only current members by default
    everyone = client.get(reverse("orgs:detail", args=[branch.pk]) + "?members=all").content.decode()
    assert "王嵩" in everyone
    assert 'id="history-title"' in body


def test_volunteer_cannot_open_another_grids_branch(district, make_user, client_for):
    client = client_for(make_user("member", area=district.grid(0, 0, 0)))
    assert client.get(reverse("orgs:detail", args=[district.pioneer_branches[0].pk])).status_code == 200
    assert client.get(reverse("orgs:detail", args=[district.pioneer_branches[3].pk])).status_code == 404
    assert client.get(reverse("orgs:edit", args=[district.pioneer_branches[0].pk])).status_code == 403
    assert client.get(reverse("orgs:member-add", args=[district.pioneer_branches[0].pk])).status_code == 403


def test_create_an_online_branch_needs_a_channel(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    committee = Organization.objects.get(name="仰口路社區黨委")
    url = reverse("orgs:create-child", args=[committee.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "線上支部", "kind": "online_branch", "channel": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["channel"]
    assert not Organization.objects.filter(name="線上支部").exists()
    good = client.post(url, {"name": "線上支部", "kind": "online_branch", "channel": "仰口路黨員群"})
    org = Organization.objects.get(name="線上支部")
    assert good["Location"] == reverse("orgs:detail", args=[org.pk])
    assert org.channel == "仰口路黨員群" and org.get_parent() == committee


def test_a_pioneer_group_covering_a_community_is_refused(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    committee = Organization.objects.get(name="仰口路社區黨委")
    response = client.post(
        reverse("orgs:create-child", args=[committee.pk]),
        {"name": "先鋒組", "kind": "temporary_branch", "purpose": "grid_pioneer",
         "covered_areas": [district.communities[0].pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["covered_areas"]
    assert not Organization.objects.filter(name="先鋒組").exists()


def test_edit_and_dissolve(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    branch = district.pioneer_branches[0]
    response = client.post(
        reverse("orgs:edit", args=[branch.pk]),
        {"name": "第一先鋒組", "purpose": "grid_pioneer", "area": district.communities[0].pk,
         "covered_areas": [district.grid(0, 0, 0).pk, district.grid(0, 0, 1).pk], "established": "2020-01-26"},
    )
    assert response.status_code == 302, response.context["form"].errors
    branch.refresh_from_db()
    assert branch.name == "第一先鋒組" and branch.established == dt.date(2020, 1, 26)
    assert branch.covered_areas.count() == 2
    early = client.post(reverse("orgs:dissolve", args=[branch.pk]), {"on": "2020-01-01"})
    assert early.status_code == 200 and early.context["form"].errors["on"]
    branch.refresh_from_db()
    assert branch.dissolved is None
    client.post(reverse("orgs:dissolve", args=[branch.pk]), {"on": "2020-03-01"})
    branch.refresh_from_db()
    assert branch.dissolved == dt.date(2020, 3, 1)
    assert AuditEvent.objects.filter(verb="organization.update", object_id=str(branch.pk)).count() == 2


def test_add_a_member_by_pinyin_search_and_end_the_membership(district, make_user, client_for):
    s = system_scope()
    person = person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0))
    person_create(scope=s, name="竇秀珍", area=district.grid(1, 1, 1))  # namesake outside the scope
    client = client_for(make_user("community_worker", area=district.communities[0]))
    branch = district.pioneer_branches[0]
    url = reverse("orgs:member-add", args=[branch.pk])
    found = client.get(url, {"q": "dxz"})
    assert [p.pk for p in found.context["found"]] == [person.pk]
    missing = client.post(url, {"q": "dxz", "role": "member"})
    assert missing.context["form"].errors["person"]
    added = client.post(url, {"q": "dxz", "person": person.pk, "role": "group_leader", "start": "2020-01-28"})
    assert added.status_code == 302
    membership = Membership.objects.get(person=person, organization=branch)
    assert membership.role == "group_leader"
    again = client.post(url, {"q": "dxz", "person": person.pk, "role": "group_leader", "start": "2020-01-29"})
    assert again.context["form"].errors["role"]
    end_url = reverse("orgs:membership-end", args=[membership.pk])
    bad = client.post(end_url, {"end": "2020-01-01"})
    assert bad.context["form"].errors["end"]
    client.post(end_url, {"end": "2020-02-16"})
    membership.refresh_from_db()
    assert membership.end == dt.date(2020, 2, 16)
    assert AuditEvent.objects.filter(verb="membership.end").count() == 1


def test_members_page_query_count_is_constant(district, make_user, client_for, django_assert_max_num_queries):
    s = system_scope()
    branch = district.pioneer_branches[0]
    client = client_for(make_user("district_admin", area=district.district))

    def add(n: int, offset: int) -> None:
        for i in range(n):
            p = person_create(scope=s, name=f"黨員{offset + i}", area=district.grid(0, 0, 0))
            membership_create(scope=s, person=p, organization=branch, role="member")

    add(2, 0)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("orgs:detail", args=[branch.pk]))
    add(20, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("orgs:detail", args=[branch.pk]))
