import json

from bastion.access.scope import system_scope
from bastion.coverage.models import Household, Responsibility
from bastion.coverage.tests.helpers import ID_A, assign, household, member, resident, volunteer_user
from bastion.screening.services import isolation_start


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_volunteer_reads_their_grid_and_writes_only_their_households(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    mine = household(district.grids[0], room="101")
    other = household(district.grids[0], room="102")
    elsewhere = household(district.grids[1], room="101", street="秀湛路2號")
    assign(me, household=mine)
    client = client_for(user)
    listed = client.get("/api/coverage/households").json()
    assert {h["id"] for h in listed["items"]} == {mine.pk, other.pk}
    assert client.get(f"/api/coverage/households/{elsewhere.pk}").status_code == 404
    ok = _post(
        client, f"/api/coverage/households/{mine.pk}/residents", {"relation": "head", "name": "趙六", "id_number": ID_A}
    )
    assert ok.status_code == 201 and ok.json()["id_number_masked"].endswith(ID_A[-4:])
    assert ID_A not in ok.content.decode()
    refused = _post(client, f"/api/coverage/households/{other.pk}/residents", {"relation": "head", "name": "錢七"})
    assert refused.status_code == 403
    # a volunteer may not register households or assign
    assert (
        _post(
            client,
            "/api/coverage/households",
            {"grid_id": district.grids[0].pk, "street": "x", "building": "1", "room": "1"},
        ).status_code
        == 403
    )


def test_api_duplicate_address_names_the_field_and_the_existing_household(district, make_user, client_for):
    existing = household(district.grids[0], room="101")
    client = client_for(make_user("community_worker", area=district.communities[0]))
    body = {"grid_id": district.grids[0].pk, "street": "仰口路1號", "building": "1號樓", "unit": "1", "room": "101"}
    response = _post(client, "/api/coverage/households", body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "body.room" and f"/coverage/households/{existing.pk}/" in error["message"]
    assert Household.objects.count() == 1


def test_api_community_worker_cannot_register_in_another_community(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    body = {"grid_id": district.grids[2].pk, "street": "x路", "building": "1", "room": "1"}
    assert _post(client, "/api/coverage/households", body).status_code == 400  # the grid is not in scope
    assert Household.objects.count() == 0


def test_api_assign_closes_the_gap(district, make_user, client_for):
    hh = household(district.grids[0])
    m = member(district)
    client = client_for(make_user("grid_secretary", area=district.grids[0]))
    before = client.get(f"/api/coverage/areas/{district.grids[0].pk}").json()
    assert before["uncovered_households"] == 1
    response = _post(client, "/api/coverage/responsibilities", {"member_id": m.pk, "household_id": hh.pk})
    assert response.status_code == 201, response.content
    after = client.get(f"/api/coverage/areas/{district.grids[0].pk}").json()
    assert after["uncovered_households"] == 0
    rid = response.json()["id"]
    ended = _post(client, f"/api/coverage/responsibilities/{rid}/end", {})
    assert ended.status_code == 200 and ended.json()["end"]


def test_coverage_page_shows_gaps_and_they_close_when_assigned(district, make_user, client_for):
    hh = household(district.grids[0])
    person = resident(hh)
    isolation_start(scope=system_scope(), person=person, reason="密接")
    m = member(district)
    client = client_for(make_user("community_worker", area=district.communities[0]))
    page = client.get(f"/coverage/areas/{district.communities[0].pk}/").content.decode()
    assert str(hh) in page and f"?household={hh.pk}" in page and f"?person={person.pk}" in page
    # when assigned through the page
    response = client.post(f"/coverage/assign/?household={hh.pk}", {"member": m.pk})
    assert response.status_code == 302
    assert Responsibility.objects.filter(member=m, household=hh).exists()
    page = client.get(f"/coverage/areas/{district.communities[0].pk}/").content.decode()
    assert f"?household={hh.pk}" not in page and f"?person={person.pk}" not in page


def test_coverage_page_runs_a_constant_number_of_queries(
    district, make_user, client_for, django_assert_max_num_queries
):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    m = member(district)
    url = f"/coverage/areas/{district.communities[0].pk}/?max=1"

    def grow(n, offset):
        for i in range(n):
            hh = household(
                district.grids[i % 2], room=f"{offset + i}", building=f"{i % 3}號樓", street=f"仰口路{i % 2}號"
            )
            p = resident(hh, name=f"居民{offset + i}")
            isolation_start(scope=system_scope(), person=p, reason="密接")
            if i % 3 == 0:
                assign(m, household=hh)

    grow(3, 100)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    grow(30, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_household_page_adds_a_resident_and_refuses_a_bad_id(district, make_user, client_for):
    hh = household(district.grids[0])
    client = client_for(make_user("community_worker", area=district.communities[0]))
    bad = client.post(
        f"/coverage/households/{hh.pk}/",
        {"r-name": "王五", "r-relation": "head", "r-id_number": ID_A[:-1] + "8", "r-gender": "U"},
    )
    assert bad.status_code == 200 and hh.residents.count() == 0
    good = client.post(
        f"/coverage/households/{hh.pk}/", {"r-name": "王五", "r-relation": "head", "r-id_number": ID_A, "r-gender": "U"}
    )
    assert good.status_code == 302 and hh.residents.count() == 1
    page = client.get(f"/coverage/households/{hh.pk}/").content.decode()
    assert "王五" in page and ID_A not in page


def test_household_new_page_points_at_the_duplicate(district, make_user, client_for):
    existing = household(district.grids[0], room="101")
    client = client_for(make_user("community_worker", area=district.communities[0]))
    response = client.post(
        "/coverage/households/new/",
        {"grid": district.grids[0].pk, "street": "仰口路1號", "building": "1號樓", "unit": "1", "room": "101"},
    )
    assert response.status_code == 200
    assert f'href="/coverage/households/{existing.pk}/"' in response.content.decode()


def test_volunteer_cannot_open_households_outside_their_grid(district, make_user, client_for):
    user, _me = volunteer_user(district, make_user)
    elsewhere = household(district.grids[2], street="西藏路1號")
    client = client_for(user)
    assert client.get(f"/coverage/households/{elsewhere.pk}/").status_code == 404
    assert client.get("/coverage/").status_code == 200
    assert client.get("/coverage/assign/?household=1").status_code == 403
