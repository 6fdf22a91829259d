"""People pages, through the Django test client."""

from __future__ import annotations

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.people.models import Person
from bastion.people.services import person_create


def _valid(number17: str) -> str:
    from stdnum.cn import ric

    return number17 + ric.calc_check_digit(number17 + "0")


def test_search_is_script_and_pinyin_insensitive(district, make_user, client_for):
    s = system_scope()
    person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0), party_status="full")
    person_create(scope=s, name="楼长王", area=district.grid(0, 0, 0))
    client = client_for(make_user("community_worker", area=district.communities[0]))
    by_initials = client.get(reverse("people:search"), {"q": "dxz"}).content.decode()
    assert "竇秀珍" in by_initials and district.grid(0, 0, 0).name in by_initials
    by_traditional = client.get(reverse("people:search"), {"q": "樓長"}).content.decode()
    assert "楼长王" in by_traditional and "竇秀珍" not in by_traditional


def test_grid_volunteer_cannot_see_another_grids_person(district, make_user, client_for):
    s = system_scope()
    mine = person_create(scope=s, name="張三", area=district.grid(0, 0, 0))
    other = person_create(scope=s, name="李四", area=district.grid(0, 0, 1))
    client = client_for(make_user("member", area=district.grid(0, 0, 0)))
    listing = client.get(reverse("people:search")).content.decode()
    assert "張三" in listing and "李四" not in listing
    assert client.get(reverse("people:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("people:edit", args=[mine.pk])).status_code == 403
    assert client.post(reverse("people:reveal", args=[mine.pk])).status_code == 403


def test_detail_masks_identifiers_and_reveal_is_audited(district, make_user, client_for):
    number = _valid("37020219430101123")
    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0), id_number=number,
                           phone="13812345678")
    user = make_user("community_worker", area=district.communities[0])
    client = client_for(user)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert number not in page and number[-4:] in page
    assert "13812345678" not in page
    assert reverse("people:reveal", args=[person.pk]) in page
    assert client.get(reverse("people:reveal", args=[person.pk])).status_code == 405
    revealed = client.post(reverse("people:reveal", args=[person.pk]))
    body = revealed.content.decode()
    assert number in body and "+8613812345678" in body
    assert revealed["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(verb="person.reveal", object_id=str(person.pk))
    assert event.actor == user
    assert "person.reveal" in body  # the history panel shows it at once
    assert number not in str(event.diff)


def test_auditor_sees_no_reveal_button_and_cannot_reveal(district, make_user, client_for):
    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0),
                           id_number=_valid("37020219430101123"))
    client = client_for(make_user("auditor", area=district.district))
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:reveal", args=[person.pk]) not in page
    assert client.post(reverse("people:reveal", args=[person.pk])).status_code == 403
    assert not AuditEvent.objects.filter(verb="person.reveal").exists()


def test_create_shows_errors_next_to_fields_and_writes_nothing(district, make_user, client_for):
    client = client_for(make_user("grid_secretary", area=district.grid(0, 0, 0)))
    url = reverse("people:create")
    assert client.get(url).status_code == 200
    bad_id = client.post(url, {"name": "趙六", "area": district.grid(0, 0, 0).pk, "id_number": "370202194301011230",
                               "gender": "U", "party_status": "none"})
    assert bad_id.status_code == 200 and bad_id.context["form"].errors["id_number"]
    assert 'id="id_id_number_error"' in bad_id.content.decode()
    bad_phone = client.post(url, {"name": "趙六", "area": district.grid(0, 0, 0).pk, "phone": "12",
                                  "gender": "U", "party_status": "none"})
    assert bad_phone.context["form"].errors["phone"]
    other_grid = client.post(url, {"name": "趙六", "area": district.grid(0, 0, 1).pk, "gender": "U",
                                   "party_status": "none"})
    assert other_grid.context["form"].errors["area"]
    assert not Person.objects.filter(name="趙六").exists()
    assert not AuditEvent.objects.filter(verb="person.create").exists()


def test_create_with_unknown_area_code_saves_and_warns(district, make_user, client_for):
    client = client_for(make_user("grid_secretary", area=district.grid(0, 0, 0)))
    response = client.post(
        reverse("people:create"),
        {"name": "趙六", "area": district.grid(0, 0, 0).pk, "id_number": _valid("99999919900101123"),
         "gender": "U", "party_status": "activist"},
        follow=True,
    )
    person = Person.objects.get(name="趙六")
    assert person.party_status == "activist" and person.birth_date.isoformat() == "1990-01-01"
    levels = [m.level_tag for m in response.context["messages"]]
    assert "warning" in levels
    assert "999999" in response.content.decode()


def test_edit_keeps_the_id_when_left_blank(district, make_user, client_for):
    number = _valid("37020219430101123")
    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0), id_number=number)
    client = client_for(make_user("community_worker", area=district.communities[0]))
    form = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert number not in form
    response = client.post(reverse("people:edit", args=[person.pk]), {
        "name": "窦秀珍", "area": district.grid(0, 0, 1).pk, "id_number": "", "phone": "",
        "gender": person.gender, "birth_date": person.birth_date.isoformat(), "party_status": "full",
    })
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.id_number == number and person.name == "窦秀珍" and person.area == district.grid(0, 0, 1)


def test_search_query_count_is_constant(district, make_user, client_for, django_assert_max_num_queries):
    s = system_scope()
    client = client_for(make_user("community_worker", area=district.communities[0]))
    person_create(scope=s, name="居民甲", area=district.grid(0, 0, 0))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("people:search"))
    for i in range(30):
        person_create(scope=s, name=f"居民{i}", area=district.grid(0, 0, i % 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("people:search"))
