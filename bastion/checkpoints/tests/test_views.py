"""Pages: the dashboard shows figures from records; the public page shows names and roles only."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.checkpoints.ingest import readings_ingest
from bastion.checkpoints.models import DeviceToken, Referral, Shift
from bastion.checkpoints.services import referral_create, shift_create


def test_the_dashboard_shows_the_site_figures_and_who_is_on_duty(station, make_user, client_for):
    s = system_scope()
    now = timezone.now()
    shift_create(scope=s, person=station.leader, entrance=station.entrances[0], start=now - dt.timedelta(hours=13))
    rows = [{"uuid": str(uuid.uuid4()), "entrance": station.entrances[0].pk, "temperature": Decimal("36.5"),
             "measured_at": (now - dt.timedelta(minutes=i)).isoformat()} for i in range(1, 6)]
    readings_ingest(scope=s, rows=rows)
    client = client_for(make_user("checkpoint_member", org=station.team))
    response = client.get(reverse("checkpoints:site", args=[station.site.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-figure="person_times">5<', html)
    assert re.search(r'data-figure="team_members">3<', html)
    assert re.search(r'data-figure="longest_continuous_duty_hours">13<', html)
    assert station.leader.name in html  # on duty now, and in the warnings


def test_the_dashboard_is_refused_outside_the_scope(station, district, make_user, client_for):
    client = client_for(make_user("community_worker", area=district.communities[3]))
    assert client.get(reverse("checkpoints:site", args=[station.site.pk])).status_code == 404


def test_the_public_page_lists_names_and_roles_only(station):
    member = station.members[1]
    shift_create(scope=system_scope(), person=member, entrance=station.entrances[1],
                 start=timezone.now() - dt.timedelta(hours=1))
    response = Client().get(reverse("checkpoints:on-duty", args=[station.entrances[1].public_key]))
    html = response.content.decode()
    assert response.status_code == 200
    assert member.name in html and "第一黨小組" in html
    assert station.leader.name not in html  # not on duty at this entrance
    assert "13800138000" not in html and "138" not in html


def test_the_poster_carries_a_qr_code_to_the_public_page(station, make_user, client_for):
    client = client_for(make_user("checkpoint_member", org=station.team))
    response = client.get(reverse("checkpoints:poster", args=[station.entrances[0].pk]))
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html and str(station.entrances[0].public_key) in html


def test_a_manager_creates_and_revokes_a_device_token(station, district, make_user, client_for):
    client = client_for(make_user("street_officer", area=district.streets[0]))
    url = reverse("checkpoints:devices", args=[station.site.pk])
    response = client.post(url, {"name": "2號口測溫儀"})
    raw = re.search(r'id="new-token">(bcd_[^<]+)<', response.content.decode()).group(1)
    token = DeviceToken.objects.get()
    assert token.site == station.site and raw not in token.token_hash
    client.post(reverse("checkpoints:device-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_team_member_may_not_manage_device_tokens(station, make_user, client_for):
    client = client_for(make_user("checkpoint_member", org=station.team))
    assert client.get(reverse("checkpoints:devices", args=[station.site.pk])).status_code == 403


def test_the_referral_form_records_a_fever_and_masks_the_id_for_those_without_reveal(
    station, make_user, client_for
):
    member = client_for(make_user("checkpoint_member", org=station.team))
    reading = uuid.uuid4()
    response = member.post(
        reverse("checkpoints:referral-new", args=[station.entrances[0].pk]),
        {"reading_uuid": str(reading), "temperature": "38.2", "traveller_name": "孫八", "id_kind": "resident_id",
         "id_number": "11010519491231002X", "phone": "13912345678", "travel_number": "D6001",
         "destination_address": "", "destination_area": ""},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.reading_uuid == reading
    page = member.get(reverse("checkpoints:referral", args=[referral.pk])).content.decode()
    assert "11010519491231002X" not in page and "002X" in page
    member.post(reverse("checkpoints:referral", args=[referral.pk]), {"outcome": "released", "note": ""})
    referral.refresh_from_db()
    assert referral.outcome == "released"


def test_a_bad_referral_shows_the_field_error(station, make_user, client_for):
    member = client_for(make_user("checkpoint_member", org=station.team))
    response = member.post(
        reverse("checkpoints:referral-new", args=[station.entrances[0].pk]),
        {"temperature": "36.9", "traveller_name": "孫八", "id_kind": "resident_id"},
    )
    assert response.status_code == 200 and "id_temperature_error" in response.content.decode()
    assert not Referral.objects.exists()


def test_shifts_are_recorded_from_the_shifts_page(station, make_user, client_for):
    client = client_for(make_user("checkpoint_member", org=station.team))
    response = client.post(
        reverse("checkpoints:shifts", args=[station.site.pk]),
        {"person": station.members[2].pk, "entrance": station.entrances[1].pk, "start": "2020-02-01T08:00",
         "end": "2020-02-01T16:00"},
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert shift.person == station.members[2] and shift.end - shift.start == dt.timedelta(hours=8)


def test_the_console_page_renders_for_a_member(station, make_user, client_for):
    client = client_for(make_user("checkpoint_member", org=station.team))
    response = client.get(reverse("checkpoints:console", args=[station.entrances[0].pk]))
    assert response.status_code == 200 and b'data-threshold="37.3"' in response.content


def test_the_confirmed_fever_without_referral_is_listed_with_a_refer_link(station, make_user, client_for):
    s = system_scope()
    first = str(uuid.uuid4())
    now = timezone.now() - dt.timedelta(minutes=3)
    readings_ingest(scope=s, rows=[
        {"uuid": first, "entrance": station.entrances[0].pk, "temperature": "38.0", "measured_at": now.isoformat()},
        {"uuid": str(uuid.uuid4()), "entrance": station.entrances[0].pk, "temperature": "38.1",
         "measured_at": now.isoformat(), "remeasure_of": first},
    ])
    client = client_for(make_user("checkpoint_member", org=station.team))
    html = client.get(reverse("checkpoints:site", args=[station.site.pk])).content.decode()
    assert "t=38.1" in html
    referral_create(scope=s, entrance=station.entrances[0], temperature=Decimal("38.1"), traveller_name="x",
                    reading_uuid=uuid.UUID(re.search(r"reading=([0-9a-f-]{36})", html).group(1)))
    html = client.get(reverse("checkpoints:site", args=[station.site.pk])).content.decode()
    assert "t=38.1" not in html
