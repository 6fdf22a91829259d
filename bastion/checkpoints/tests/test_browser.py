"""The entrance console on a phone, in the system Chromium: readings, the fever flow, an offline spell."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from bastion.checkpoints.models import Reading, Referral, Tally

pytestmark = pytest.mark.browser


def record(page, temperature: str) -> None:
    page.fill("#temperature", temperature)
    page.click("#record")


def sent(page, kind: str = "readings"):
    """Wait for the console's next batch to be answered."""
    return page.expect_response(lambda r: f"/api/checkpoints/{kind}/batch" in r.url and r.status == 200)


def test_a_member_runs_an_entrance_through_an_offline_spell_without_duplicates(station, make_user, phone_page,
                                                                              login):
    page = phone_page
    # given a team member signed in on a phone, at the console of an entrance
    member = make_user("checkpoint_member", org=station.team, person=station.leader)
    login(page, member)
    page.goto(f"/checkpoints/entrances/{station.entrances[0].pk}/console/")
    # when they record a normal temperature online
    with sent(page):
        record(page, "36.5")
    expect(page.locator("#ok")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("0")
    assert Reading.objects.count() == 1
    # and the network drops while they record two more and a fever that a re-measure confirms
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_class("net offline")
    record(page, "36.6")
    record(page, "36,7")
    record(page, "38.2")
    expect(page.locator("#fever")).to_be_visible()
    expect(page.locator("#prompt")).to_contain_text("°C")
    record(page, "38.4")
    expect(page.locator("#confirmed")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("4")
    assert Reading.objects.count() == 1
    key = f"bastion.checkpoints.readings.{station.entrances[0].pk}.{member.pk}"
    queued = page.evaluate(f"localStorage.getItem('{key}')")
    # then, when the network returns, the queue is sent by itself
    with sent(page):
        page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0")
    assert Reading.objects.count() == 5
    confirm = Reading.objects.get(temperature="38.4")
    assert str(Reading.objects.get(temperature="38.2").uuid) == str(confirm.remeasure_of)
    assert {str(r.uuid) for r in Reading.objects.all()} >= {r["uuid"] for r in json.loads(queued)}
    # and a resend of the very same queue stores nothing new
    page.evaluate(f"localStorage.setItem('{key}', {queued!r})")
    with sent(page) as response:
        page.click("#send-now")
    assert response.value.json()["duplicates"] == 4
    expect(page.locator("#queue-count")).to_have_text("0")
    assert Reading.objects.count() == 5
    # when they open the referral form from the confirmed fever and fill it in
    with page.expect_navigation():
        page.click("#refer")
    expect(page.locator("#id_temperature")).to_have_value("38.4")
    page.fill("#id_traveller_name", "周九")
    page.fill("#id_phone", "13912345678")
    page.fill("#id_travel_number", "G207")
    with page.expect_navigation():
        page.click("button.big[type=submit]")
    expect(page.locator("h1")).to_contain_text("周九")
    referral = Referral.objects.get()
    assert referral.reading_uuid == confirm.uuid and referral.phone == "+8613912345678"


def test_the_clicker_counts_normal_passes(station, make_user, phone_page, login):
    page = phone_page
    login(page, make_user("checkpoint_member", org=station.team, person=station.members[1]))
    page.goto(f"/checkpoints/entrances/{station.entrances[1].pk}/console/")
    for _ in range(3):
        page.click("#pass")
    expect(page.locator("#tally-count")).to_have_text("3")
    with sent(page, "tallies"):
        page.click("#send-now")
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#tally-count")).to_have_text("0")
    tally = Tally.objects.get()
    assert (tally.count, tally.entrance, tally.recorded_by) == (3, station.entrances[1], station.members[1])


def sign_out(page) -> None:
    """End the session the way an expiry does. Leave the console first and let its requests settle:
    one answered after the cookies are gone would set a new CSRF cookie under the sign-in form."""
    page.goto("about:blank")
    page.wait_for_timeout(300)
    page.context.clear_cookies()


def test_readings_queued_by_one_member_are_never_sent_as_another_s(station, make_user, phone_page, login):
    page = phone_page
    first = make_user("checkpoint_member", org=station.team, person=station.members[0])
    second = make_user("checkpoint_member", org=station.team, person=station.members[1])
    console = f"/checkpoints/entrances/{station.entrances[0].pk}/console/"
    # given a member who records two readings that the server cannot take yet
    login(page, first)
    page.goto(console)
    page.route("**/api/checkpoints/readings/batch", lambda route: route.abort())
    record(page, "36.5")
    record(page, "36.6")
    expect(page.locator("#queue-count")).to_have_text("2")
    # when their session ends and a colleague signs in on the same tablet and records one
    page.unroute("**/api/checkpoints/readings/batch")
    sign_out(page)
    login(page, second)
    page.goto(console)
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#others-waiting")).to_contain_text("2")
    with sent(page):
        record(page, "36.7")
    # then only the colleague's own reading is sent, in their name
    assert [(str(r.temperature), r.measured_by) for r in Reading.objects.all()] == [("36.7", station.members[1])]
    # and when the first member signs in again, their readings go out in their own name
    sign_out(page)
    login(page, first)
    with sent(page):
        page.goto(console)
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#others-waiting")).to_be_hidden()
    assert sorted((str(r.temperature), r.measured_by.pk) for r in Reading.objects.all()) == [
        ("36.5", station.members[0].pk), ("36.6", station.members[0].pk), ("36.7", station.members[1].pk)]
