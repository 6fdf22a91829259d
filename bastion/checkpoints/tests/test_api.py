"""The read side of the checkpoint API: sites, figures and duty warnings, scoped and paginated."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.checkpoints.services import shift_create

TZ = ZoneInfo("Asia/Shanghai")


def test_a_member_reads_the_site_figures_and_the_duty_warnings(station, make_user, client_for):
    shift_create(scope=system_scope(), person=station.leader, entrance=station.entrances[0],
                 start=dt.datetime(2020, 2, 1, 6, tzinfo=TZ), end=dt.datetime(2020, 2, 1, 20, tzinfo=TZ))
    client = client_for(make_user("checkpoint_member", org=station.team))
    sites = client.get("/api/checkpoints/sites").json()
    assert [s["name"] for s in sites["items"]] == ["青島火車站"] and sites["count"] == 1
    figures = client.get(f"/api/checkpoints/sites/{station.site.pk}/figures?start=2020-02-01&end=2020-02-01").json()
    assert figures["entrances"] == 2 and figures["longest_continuous_duty_hours"] == 14
    warnings = client.get("/api/checkpoints/duty-warnings?since=2020-02-01T00:00:00%2B08:00").json()["items"]
    assert [(w["person_name"], w["hours"]) for w in warnings] == [(station.leader.name, "14.0")]
    entrances = client.get(f"/api/checkpoints/sites/{station.site.pk}/entrances").json()
    assert entrances["count"] == 2


def test_another_street_sees_no_site_and_gets_404_for_its_figures(station, district, make_user, client_for):
    client = client_for(make_user("street_officer", area=district.streets[1]))
    assert client.get("/api/checkpoints/sites").json()["count"] == 0
    assert client.get(f"/api/checkpoints/sites/{station.site.pk}/figures").status_code == 404


def test_the_dashboard_needs_a_bounded_number_of_queries(station, make_user, client_for,
                                                         django_assert_max_num_queries):
    s = system_scope()
    for i, person in enumerate(station.members):
        shift_create(scope=s, person=person, entrance=station.entrances[i % 2],
                     start=dt.datetime(2020, 2, 1, 6 + i, tzinfo=TZ), end=dt.datetime(2020, 2, 1, 20, tzinfo=TZ))
    client = client_for(make_user("checkpoint_member", org=station.team))
    url = reverse("checkpoints:site", args=[station.site.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
