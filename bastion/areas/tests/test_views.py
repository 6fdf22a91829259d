"""The area browser, through the Django test client."""

from __future__ import annotations

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.areas.models import Area
from bastion.core.models import AuditEvent
from bastion.people.services import person_create


def test_district_admin_browses_the_tree_and_opens_a_street(district, make_user, client_for):
    # given a district administrator
    client = client_for(make_user("district_admin", area=district.district))
    # when they open the tree and expand the district
    tree = client.get(reverse("areas:browse"))
    children = client.get(reverse("areas:children", args=[district.district.pk]))
    street = client.get(reverse("areas:detail", args=[district.streets[0].pk]))
    # then they see the district, its streets, and the street's facts and breadcrumb
    assert tree.status_code == 200
    assert "市南區" in tree.content.decode()
    assert "湛山街道" in children.content.decode() and "八大峽街道" in children.content.decode()
    body = street.content.decode()
    assert "370202001000" in body and "2020" in body
    assert reverse("areas:detail", args=[district.district.pk]) in body  # breadcrumb link
    assert "仰口路社區" in body
    assert 'id="history-title"' in body


def test_grid_volunteer_sees_own_grid_only(district, make_user, client_for):
    client = client_for(make_user("member", area=district.grid(0, 0, 0)))
    tree = client.get(reverse("areas:browse")).content.decode()
    assert district.grid(0, 0, 0).name in tree
    assert "市南區" not in tree
    assert client.get(reverse("areas:detail", args=[district.grid(0, 0, 1).pk])).status_code == 404
    assert client.get(reverse("areas:detail", args=[district.district.pk])).status_code == 404
    # the parent community shows in the breadcrumb as text, not as a link
    own = client.get(reverse("areas:detail", args=[district.grid(0, 0, 0).pk])).content.decode()
    assert district.communities[0].name in own
    assert reverse("areas:detail", args=[district.communities[0].pk]) not in own


def test_volunteer_may_not_open_the_forms(district, make_user, client_for):
    client = client_for(make_user("member", area=district.grid(0, 0, 0)))
    grid = district.grid(0, 0, 0)
    assert client.get(reverse("areas:edit", args=[grid.pk])).status_code == 403
    assert client.post(reverse("areas:edit", args=[grid.pk]), {"name": "X"}).status_code == 403
    assert Area.objects.get(pk=grid.pk).name != "X"


def test_signed_out_user_is_sent_to_sign_in(district, client):
    response = client.get(reverse("areas:browse"))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_detail_lists_organisations_and_people_registered_there(district, make_user, client_for):
    grid = district.grid(0, 0, 0)
    person_create(scope=system_scope(), name="竇秀珍", area=grid)
    client = client_for(make_user("community_worker", area=district.communities[0]))
    body = client.get(reverse("areas:detail", args=[grid.pk])).content.decode()
    assert district.pioneer_branches[0].name in body  # covers the grid
    assert "竇秀珍" in body


def test_community_worker_adds_a_grid_and_the_history_shows_it(district, make_user, client_for):
    user = make_user("community_worker", area=district.communities[0])
    client = client_for(user)
    community = district.communities[0]
    response = client.post(
        reverse("areas:create-child", args=[community.pk]), {"name": "第3網格", "kind": "grid"}
    )
    grid = Area.objects.get(name="第3網格")
    assert response.status_code == 302 and response["Location"] == reverse("areas:detail", args=[grid.pk])
    assert grid.get_parent() == community
    page = client.get(reverse("areas:detail", args=[grid.pk])).content.decode()
    assert "area.create" in page and user.username in page


def test_a_grid_under_a_grid_is_refused_next_to_the_field(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    before = Area.objects.count()
    response = client.post(
        reverse("areas:create-child", args=[district.grid(0, 0, 0).pk]), {"name": "小網格", "kind": "grid"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["kind"]
    assert 'id="id_kind_error"' in response.content.decode()
    assert Area.objects.count() == before
    assert not AuditEvent.objects.filter(verb="area.create", object_repr="小網格").exists()


def test_a_bad_code_is_refused_next_to_the_field(district, make_user, client_for):
    client = client_for(make_user("street_officer", area=district.streets[0]))
    street = district.streets[0]
    for code, year, field in [("12345", 2020, "code"), ("110101001001", 2020, "code"), ("370202001009", None,
                                                                                          "code_year")]:
        data = {"name": "新社區", "kind": "community", "code": code}
        if year:
            data["code_year"] = year
        response = client.post(reverse("areas:create-child", args=[street.pk]), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, (code, response.context["form"].errors)
    assert not Area.objects.filter(name="新社區").exists()


def test_edit_renames_and_records_the_change(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    grid = district.grid(0, 0, 0)
    form = client.get(reverse("areas:edit", args=[grid.pk]))
    assert form.status_code == 200 and grid.name in form.content.decode()
    response = client.post(reverse("areas:edit", args=[grid.pk]), {"name": "仰口路第一網格"})
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.name == "仰口路第一網格"
    assert AuditEvent.objects.filter(verb="area.update", object_id=str(grid.pk)).exists()


def test_move_into_a_cycle_or_a_grid_is_refused(district, make_user, client_for):
    client = client_for(make_user("district_admin", area=district.district))
    street = district.streets[0]
    community = district.communities[0]
    path_before = street.path
    cycle = client.post(reverse("areas:move", args=[street.pk]), {"new_parent": community.pk})
    assert cycle.status_code == 200 and cycle.context["form"].errors["new_parent"]
    into_grid = client.post(reverse("areas:move", args=[district.grid(0, 0, 1).pk]),
                            {"new_parent": district.grid(0, 0, 0).pk})
    assert into_grid.context["form"].errors["new_parent"]
    street.refresh_from_db()
    assert street.path == path_before


def test_move_a_community_to_another_street(district, make_user, client_for):
    client = client_for(make_user("district_admin", area=district.district))
    community = district.communities[0]
    form = client.get(reverse("areas:move", args=[community.pk])).content.decode()
    assert district.streets[1].name in form
    response = client.post(reverse("areas:move", args=[community.pk]), {"new_parent": district.streets[1].pk})
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.get_parent() == district.streets[1]
    assert all(g.path.startswith(community.path) for g in Area.objects.filter(name__startswith=community.name))


def test_tree_and_detail_query_counts_do_not_grow_with_rows(district, make_user, client_for,
                                                            django_assert_max_num_queries):
    client = client_for(make_user("district_admin", area=district.district))
    community = district.communities[0]
    for i in range(3):
        person_create(scope=system_scope(), name=f"居民{i}", area=community)
    with django_assert_max_num_queries(14):
        client.get(reverse("areas:children", args=[community.pk]))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("areas:detail", args=[community.pk]))
    for i in range(30):
        person_create(scope=system_scope(), name=f"居民{i + 10}", area=community)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("areas:detail", args=[community.pk]))
