"""The batch ingest: idempotent on the client UUID, all or nothing, errors name row and field."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.checkpoints.models import Reading, Tally
from bastion.checkpoints.services import device_token_create, device_token_revoke
from bastion.checkpoints.tests.conftest import make_station

URL = "/api/checkpoints/readings/batch"


def post(client: Client, body: object, token: str | None = None) -> tuple[int, dict]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    raw = body if isinstance(body, bytes) else json.dumps(body)
    response = client.post(URL, raw, content_type="application/json", **headers)
    return response.status_code, response.json()


@pytest.fixture
def device(station):
    _token, raw = device_token_create(scope=system_scope(), site=station.site, name="1號口平板")
    return raw


def test_device_batch_is_stored_and_a_resend_creates_nothing(station, device, reading):
    # given a batch of 120 readings (large enough for PostgreSQL's COPY path)
    rows = [reading(station.entrances[i % 2], temperature=36.0 + (i % 10) / 10) for i in range(120)]
    # when the device sends it twice
    status1, first = post(Client(), {"readings": rows}, device)
    status2, second = post(Client(), {"readings": rows}, device)
    # then it is stored once, and the resend reports every row as a duplicate
    assert (status1, first["created"], first["duplicates"]) == (200, 120, 0)
    assert (status2, second["created"], second["duplicates"]) == (200, 0, 120)
    assert second["duplicate_rows"] == list(range(120))
    assert Reading.objects.count() == 120
    stored = Reading.objects.get(uuid=rows[3]["uuid"])
    assert str(stored.temperature) == "36.3" and stored.device is not None


def test_a_partly_resent_batch_stores_only_the_new_rows_and_repeats_inside_a_batch_count_once(
    station, device, reading
):
    old = [reading(station.entrances[0]) for _ in range(3)]
    post(Client(), {"readings": old}, device)
    new = reading(station.entrances[1], temperature="37.0")
    status, body = post(Client(), {"readings": [*old, new, new]}, device)
    assert status == 200
    assert body["created"] == 1 and body["duplicate_rows"] == [0, 1, 2, 4]
    assert Reading.objects.count() == 4


def test_a_batch_with_bad_rows_is_rejected_whole_naming_each_row_and_field(station, device, reading):
    # given two good rows around three bad ones
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    rows = [
        reading(station.entrances[0]),
        reading(station.entrances[0], temperature=46.2),
        reading(station.entrances[0], measured_at=future),
        reading(station.entrances[0], uuid="not-a-uuid"),
        reading(station.entrances[0]),
    ]
    rows[4]["entrance"] = 999_999
    # when sent
    status, body = post(Client(), {"readings": rows}, device)
    # then nothing is stored and every bad row is named with its field
    assert status == 400
    assert Reading.objects.count() == 0
    named = {(e["row"], e["field"]) for e in body["errors"]}
    assert named == {
        (1, "body.readings.1.temperature"),
        (2, "body.readings.2.measured_at"),
        (3, "body.readings.3.uuid"),
        (4, "body.readings.4.entrance"),
    }


def test_temperature_below_30_and_too_many_decimals_are_refused(station, device, reading):
    rows = [reading(station.entrances[0], temperature=29.9), reading(station.entrances[0], temperature="36.65")]
    status, body = post(Client(), {"readings": rows}, device)
    assert status == 400
    assert [e["field"] for e in body["errors"]] == ["body.readings.0.temperature", "body.readings.1.temperature"]


def test_a_time_within_the_clock_skew_is_accepted(station, device, reading):
    soon = (timezone.now() + dt.timedelta(minutes=2)).isoformat()
    status, body = post(Client(), {"readings": [reading(station.entrances[0], measured_at=soon)]}, device)
    assert status == 200 and body["created"] == 1


def test_a_device_token_cannot_write_to_another_site(district, station, device, reading):
    # given a second site with its own entrance
    other = make_station(district, name="青島北站", n_entrances=1, n_members=1)
    # when the first site's device names the other site, or sends a reading for its entrance
    status_site, body_site = post(Client(), {"site": other.site.pk, "readings": [reading(station.entrances[0])]},
                                  device)
    status_row, body_row = post(Client(), {"readings": [reading(other.entrances[0])]}, device)
    # then both are refused and nothing is stored
    assert status_site == 403 and body_site["errors"][0]["field"] == "body.site"
    assert status_row == 400 and body_row["errors"][0]["field"] == "body.readings.0.entrance"
    assert Reading.objects.count() == 0


def test_malformed_json_and_an_oversized_batch_are_refused(station, device, reading):
    status, body = post(Client(), b'{"readings": [', device)
    assert status == 400 and body["errors"][0]["field"] == "body"
    one = reading(station.entrances[0])
    status, body = post(Client(), {"readings": [one] * 10_001}, device)
    assert status == 413 and body["errors"][0]["field"] == "body.readings"
    assert Reading.objects.count() == 0


def test_a_revoked_or_unknown_token_is_unauthenticated(station, reading):
    token, raw = device_token_create(scope=system_scope(), site=station.site, name="lost tablet")
    device_token_revoke(scope=system_scope(), token=token)
    assert post(Client(), {"readings": [reading(station.entrances[0])]}, raw)[0] == 401
    assert post(Client(), {"readings": [reading(station.entrances[0])]}, "bcd_guess")[0] == 401
    assert Reading.objects.count() == 0


def test_a_member_records_through_the_browser_session_as_themself(station, make_user, client_for, reading):
    user = make_user("checkpoint_member", org=station.team, person=station.members[1])
    client = client_for(user)
    status, body = post(client, {"readings": [reading(station.entrances[0])]})
    assert status == 200 and body["created"] == 1
    assert Reading.objects.get().measured_by == station.members[1]


def test_a_user_without_checkpoint_rights_cannot_record(station, district, make_user, client_for, reading):
    user = make_user("member", area=district.grids[0])
    status, _body = post(client_for(user), {"readings": [reading(station.entrances[0])]})
    assert status == 403
    assert Reading.objects.count() == 0


def test_a_remeasure_must_follow_a_known_first_reading(station, device, reading):
    first = reading(station.entrances[0], temperature=37.8)
    again = reading(station.entrances[0], temperature=37.9, remeasure_of=first["uuid"])
    orphan = reading(station.entrances[0], temperature=37.9, remeasure_of=str(uuid.uuid4()))
    status, body = post(Client(), {"readings": [orphan]}, device)
    assert status == 400 and body["errors"][0]["field"] == "body.readings.0.remeasure_of"
    status, body = post(Client(), {"readings": [first, again]}, device)
    assert status == 200 and body["created"] == 2


def test_measured_by_must_be_a_member_of_the_team(district, station, device, reading):
    outsider = make_station(district, name="流亭機場", n_entrances=1, n_members=1).leader
    ok = reading(station.entrances[0], measured_by=station.leader.pk)
    bad = reading(station.entrances[0], measured_by=outsider.pk)
    status, body = post(Client(), {"readings": [ok, bad]}, device)
    assert status == 400 and [e["row"] for e in body["errors"]] == [1]


def test_tallies_are_idempotent_and_validated(station, device):
    now = timezone.now()
    row = {"uuid": str(uuid.uuid4()), "entrance": station.entrances[0].pk, "count": 57,
           "start": (now - dt.timedelta(hours=1)).isoformat(), "end": now.isoformat()}
    client = Client()
    url = "/api/checkpoints/tallies/batch"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {device}"}
    first = client.post(url, json.dumps({"tallies": [row]}), content_type="application/json", **auth).json()
    again = client.post(url, json.dumps({"tallies": [row]}), content_type="application/json", **auth).json()
    bad = client.post(url, json.dumps({"tallies": [{**row, "uuid": str(uuid.uuid4()), "count": -1}]}),
                      content_type="application/json", **auth)
    assert (first["created"], again["created"], again["duplicates"]) == (1, 0, 1)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "body.tallies.0.count"
    assert list(Tally.objects.values_list("count", flat=True)) == [57]


def test_a_full_pretty_printed_batch_passes_the_global_upload_cap(station, device, reading):
    # given 10,000 readings with every field, indented: more than Django's 2.5 MB default cap
    first = reading(station.entrances[0], temperature=37.9)
    rows = [first] + [reading(station.entrances[0], measured_by=station.leader.pk, remeasure_of=first["uuid"])
                      for _ in range(9_999)]
    body = json.dumps({"readings": rows}, indent=4).encode()
    assert len(body) > 2_621_440
    # when sent, then all are stored
    status, result = post(Client(), body, device)
    assert status == 200 and result["created"] == 10_000
