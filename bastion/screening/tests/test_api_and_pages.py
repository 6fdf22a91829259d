import datetime as dt
import json
import re

from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.coverage.tests.helpers import ID_A, assign, household, resident, volunteer_user
from bastion.screening import services
from bastion.screening.models import Isolation, IsolationCheck, ScreeningTask, ScreeningVisit


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _isolation(person, days_ago=2):
    return services.isolation_start(
        scope=system_scope(),
        person=person,
        reason="returned from Wuhan",
        start=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_volunteer_works_through_today_in_three_screens(district, make_user, client_for):
    # given a volunteer answering for a household with one person under isolation
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    iso = _isolation(resident(hh, name="王阿姨"))
    client = client_for(user)
    # screen 1: Today lists the check, one tap from its form
    today = client.get("/screening/today/").content.decode()
    assert "王阿姨" in today and f'href="/screening/isolations/{iso.pk}/"' in today
    assert 'name="viewport" content="width=device-width' in today
    # screen 2: the check form
    form = client.get(f"/screening/isolations/{iso.pk}/").content.decode()
    assert 'name="c-temperature"' in form
    # screen 3: saved, back on Today
    response = client.post(f"/screening/isolations/{iso.pk}/", {"c-temperature": "36.6", "c-channel": "door"})
    assert response.status_code == 302 and response["Location"] == "/screening/today/"
    check = IsolationCheck.objects.get()
    assert (check.temperature, check.member) == (check.temperature, me)


def test_check_form_refuses_a_temperature_out_of_range(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    iso = _isolation(resident(hh))
    response = client_for(user).post(f"/screening/isolations/{iso.pk}/", {"c-temperature": "43.5", "c-channel": "door"})
    assert response.status_code == 200 and "43" in response.content.decode()
    assert IsolationCheck.objects.count() == 0


def test_visit_form_shows_a_recent_screening_and_never_asks_a_known_id_again(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    person = resident(hh, name="李四")
    services.visit_record(
        scope=system_scope(),
        person=person,
        channel="phone",
        travelled=True,
        travel_origin="武漢",
        return_date=timezone.localdate() - dt.timedelta(days=1),
    )
    client = client_for(user)
    page = client.get(f"/screening/visit/?person={person.pk}").content.decode()
    assert 'value="武漢"' in page  # pre-filled
    assert 'name="id_number"' in page  # not on record yet: asked once
    response = client.post(
        f"/screening/visit/?person={person.pk}",
        {
            "channel": "door",
            "temperature": "36.5",
            "contact": "none",
            "outcome": "no_risk",
            "id_number": ID_A,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/screening/visit/?person={person.pk}").content.decode()
    assert 'name="id_number"' not in page and ID_A not in page


def test_visit_form_home_isolation_outcome_starts_the_isolation(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    person = resident(hh)
    response = client_for(user).post(
        f"/screening/visit/?person={person.pk}",
        {
            "channel": "door",
            "temperature": "36.5",
            "contact": "confirmed",
            "outcome": "home_isolation",
            "isolation_days": "7",
        },
    )
    assert response.status_code == 302
    assert Isolation.objects.get(person=person).days == 7


def test_volunteer_cannot_open_someone_elses_isolation(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    iso = _isolation(resident(household(district.grids[0])))
    client = client_for(user)
    assert client.get(f"/screening/isolations/{iso.pk}/").status_code == 404
    assert client.get(f"/api/screening/isolations/{iso.pk}").status_code == 404
    assert _post(client, f"/api/screening/isolations/{iso.pk}/checks", {"temperature": "36.5"}).status_code == 404


def test_today_runs_a_constant_number_of_queries(district, make_user, client_for, django_assert_max_num_queries):
    user, me = volunteer_user(district, make_user)
    assign(me, area=district.grids[0])
    client = client_for(user)
    checkpoint = make_user("checkpoint_member", area=district.district)
    from bastion.access.scope import resolve_scope

    def grow(n, offset):
        for i in range(n):
            hh = household(district.grids[0], room=f"{offset + i}")
            p = resident(hh, name=f"居民{offset + i}")
            iso = _isolation(p, days_ago=i % 20)
            if i % 2:
                services.isolation_check_record(scope=system_scope(), isolation=iso, temperature="36.5")
            token = services.self_report_token(scope=system_scope(), household=hh)
            services.self_report_submit(token=token, client_ip=f"10.0.0.{i}", person_id=p.pk, temperature="37.0")
            services.screening_task_create(
                scope=resolve_scope(checkpoint),
                area=district.communities[0],
                name=p.name,
                reason="發熱",
                due=timezone.localdate(),
                source="站",
                person=p,
            )

    grow(2, 100)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/screening/today/").status_code == 200
    grow(25, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/screening/today/")
    assert response.status_code == 200
    items = response.context["page"].paginator.object_list
    assert {i.kind for i in items} == {"check", "release", "task", "self_report"}
    assert sum(i.kind == "task" for i in items) == 27 and sum(i.kind == "self_report" for i in items) == 27


def test_self_report_page_without_account_arrives_on_today(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    person = resident(hh, name="王小明")
    link_page = client_for(user).get(f"/screening/households/{hh.pk}/self-report/").content.decode()
    assert "<svg" in link_page
    url = re.search(r"(/screening/r/[^/<\"]+/)", link_page).group(1)
    from django.test import Client

    public = Client()
    form = public.get(url).content.decode()
    assert "*小明" in form and "王小明" not in form  # the surname is masked for whoever holds the link
    response = public.post(url, {"person": person.pk, "temperature": "38.2", "symptoms": ["cough"]})
    assert response.status_code == 200
    visit = ScreeningVisit.objects.get()
    assert (visit.channel, str(visit.temperature)) == ("self_report", "38.2")
    today = client_for(user).get("/screening/today/").content.decode()
    assert "王小明" in today and "38.2" in today
    # a forged link is refused with a clear message
    assert public.get(url[:-3] + "xx/").status_code == 403


def test_self_report_page_rate_limits(district, make_user, client_for, settings):
    settings.BASTION_SELF_REPORT_RATE_PER_HOUR = 1
    hh = household(district.grids[0])
    person = resident(hh)
    token = services.self_report_token(scope=system_scope(), household=hh)
    from django.test import Client

    public = Client()
    assert public.post(f"/screening/r/{token}/", {"person": person.pk, "temperature": "36.5"}).status_code == 200
    assert public.post(f"/screening/r/{token}/", {"person": person.pk, "temperature": "36.5"}).status_code == 429
    assert ScreeningVisit.objects.count() == 1


def test_api_self_report_is_public_and_refuses_a_forged_token(district):
    from django.test import Client

    hh = household(district.grids[0])
    person = resident(hh)
    token = services.self_report_token(scope=system_scope(), household=hh)
    public = Client()
    ok = _post(public, f"/api/screening/self-report/{token}", {"person_id": person.pk, "temperature": "36.8"})
    assert ok.status_code == 201
    bad = _post(public, f"/api/screening/self-report/{token}x", {"person_id": person.pk, "temperature": "36.8"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "body.token"


def test_api_visit_bad_input_names_the_field(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    person = resident(hh)
    client = client_for(user)
    hot = _post(client, "/api/screening/visits", {"person_id": person.pk, "temperature": "44.0"})
    assert hot.status_code == 400 and hot.json()["errors"][0]["field"] == "body.temperature"
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    late = _post(client, "/api/screening/visits", {"person_id": person.pk, "at": future})
    assert late.status_code == 400 and late.json()["errors"][0]["field"] == "body.at"
    ok = _post(
        client, "/api/screening/visits", {"person_id": person.pk, "temperature": "36.4", "outcome": "home_isolation"}
    )
    assert ok.status_code == 201
    iso = client.get("/api/screening/isolations").json()["items"][0]
    early = _post(
        client,
        f"/api/screening/isolations/{iso['id']}/release",
        {"end": (timezone.localdate() - dt.timedelta(days=3)).isoformat()},
    )
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "body.end"
    released = _post(client, f"/api/screening/isolations/{iso['id']}/release", {})
    assert released.status_code == 201
    again = _post(client, f"/api/screening/isolations/{iso['id']}/checks", {"temperature": "36.5"})
    assert again.status_code == 400
    assert ScreeningVisit.objects.count() == 1 and IsolationCheck.objects.count() == 0


def test_api_checkpoint_member_creates_tasks_but_reads_no_health_data(district, make_user, client_for):
    client = client_for(make_user("checkpoint_member", area=district.district))
    response = _post(
        client,
        "/api/screening/tasks",
        {
            "area_id": district.communities[2].pk,
            "name": "旅客甲",
            "reason": "體溫37.9°C",
            "due": timezone.localdate().isoformat(),
            "source": "青島火車站",
        },
    )
    assert response.status_code == 201
    assert ScreeningTask.objects.get().area == district.communities[2]
    assert client.get("/api/screening/visits").status_code == 403
    assert client.get("/api/screening/today").json()["items"] == []


def test_api_today_lists_overdue_first(district, make_user, client_for):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    _isolation(resident(hh, name="甲"), days_ago=3)
    _isolation(resident(hh, name="乙", relation="spouse"), days_ago=30)
    items = client_for(user).get("/api/screening/today").json()["items"]
    assert [i["kind"] for i in items] == ["release", "check"] or items[0]["overdue"]


def test_garbage_ids_in_the_query_string_are_not_found_not_errors(district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[0]))
    assert client.get("/screening/visit/?person=abc").status_code == 404
    assert client.get("/screening/visit/?task=1x").status_code == 404
    assert client.get("/coverage/assign/?household=abc").status_code == 404
    assert client.get("/coverage/households/?area=abc").status_code == 404


def test_api_self_report_rate_limit_answers_429(district, settings):
    from django.test import Client

    settings.BASTION_SELF_REPORT_RATE_PER_HOUR = 1
    hh = household(district.grids[0])
    person = resident(hh)
    token = services.self_report_token(scope=system_scope(), household=hh)
    public = Client()
    body = {"person_id": person.pk, "temperature": "36.8"}
    assert _post(public, f"/api/screening/self-report/{token}", body).status_code == 201
    assert _post(public, f"/api/screening/self-report/{token}", body).status_code == 429
    assert ScreeningVisit.objects.count() == 1
