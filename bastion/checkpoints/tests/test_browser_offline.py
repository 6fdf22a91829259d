"""The entrance console opens with no network at all: the service worker keeps the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from bastion.checkpoints.models import Entrance, Reading

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _offline_reaches_the_service_worker(monkeypatch):
    """Without this, Chromium's offline emulation stops the page but not the service worker's own fetches:
    the worker would still reach the server and the test would prove nothing. Set before `browser` starts."""
    monkeypatch.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

KEPT = "() => caches.keys().then(keys => keys.filter(k => k.startsWith('bastion-checkpoints-')))" \
       ".then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))" \
       ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"


def test_a_reload_with_no_network_still_opens_the_console_and_the_queue_is_sent_later(station, make_user,
                                                                                      phone_page, login):
    page = phone_page
    entrance = station.entrances[0]
    console = f"/checkpoints/entrances/{entrance.pk}/console/"
    # given a team member signed in at the console, online, and the console kept for offline use
    login(page, make_user("checkpoint_member", org=station.team, person=station.leader))
    page.evaluate("caches.open('bastion-checkpoints-old').then(c => c.put('/old', new Response('old')))")
    page.goto(console)
    expect(page.locator("#offline-ready")).to_be_visible()
    kept = page.evaluate(KEPT)
    assert console in kept
    assert {"/static/checkpoints/console.js", "/static/checkpoints/checkpoints.css",
            "/static/django_htmx/htmx.min.js"} <= set(kept)
    # (an older version's cache is gone once the new worker is active)
    assert "/old" not in kept
    assert "bastion-checkpoints-old" not in page.evaluate("caches.keys()")
    # when the network drops and the tablet reloads the tab
    page.context.set_offline(True)
    # (renamed on the server meanwhile: a page showing the new name would have come over the network)
    Entrance.objects.filter(pk=entrance.pk).update(name="改名")
    response = page.reload()
    # then the console opens all the same, from the copy the service worker keeps, and says it is offline
    assert response is not None and response.from_service_worker
    expect(page.locator("h1")).to_contain_text(entrance.name)
    expect(page.locator("h1")).not_to_contain_text("改名")
    expect(page.locator("#net")).to_have_class("net offline")
    expect(page.locator("#net")).to_contain_text("离线")  # in the language it was opened in
    expect(page.locator("#temperature")).to_be_editable()
    # when they record a reading, it waits on the device, and the banner says how many wait
    page.fill("#temperature", "36.8")
    page.click("#record")
    expect(page.locator("#ok")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("#net")).to_contain_text("1")
    assert Reading.objects.count() == 0
    # and when the network returns, the queue is sent by itself and lands in the database
    with page.expect_response(lambda r: "/api/checkpoints/readings/batch" in r.url and r.status == 200):
        page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#net")).not_to_have_class("net offline")
    reading = Reading.objects.get()
    assert (reading.temperature, reading.entrance_id) == (Decimal("36.8"), entrance.pk)
    assert reading.measured_by == station.leader
    # and no API answer was kept by the worker
    assert not [path for path in page.evaluate(KEPT) if path.startswith("/api/")]


def test_signing_out_drops_the_kept_console_from_a_shared_tablet(station, make_user, phone_page, login):
    page = phone_page
    console = f"/checkpoints/entrances/{station.entrances[1].pk}/console/"
    # given a member whose console was kept for offline use
    login(page, make_user("checkpoint_member", org=station.team, person=station.members[1]))
    page.goto(console)
    expect(page.locator("#offline-ready")).to_be_visible()
    assert console in page.evaluate(KEPT)
    # when they sign out
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[action$=\"/logout/\"]').submit()")
    # then nothing of the console is kept any more
    page.wait_for_function(f"({KEPT})().then(paths => paths.length === 0)")
    # and with no network the console no longer opens for the next person at the tablet
    page.context.set_offline(True)
    with pytest.raises(PlaywrightError):
        page.goto(console)
