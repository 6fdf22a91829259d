"""A community worker on a 360 px phone passes received supplies on to a grid, in the system Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from bastion.access.scope import system_scope
from bastion.supplies import services
from bastion.supplies.models import Distribution, ReceivedLot

pytestmark = pytest.mark.browser


def test_a_community_worker_passes_supplies_on_to_a_grid_on_a_phone(setup, buy, district, make_user, phone_page,
                                                                     login):
    # Given a community that signed for 10 barrels into its store room
    services.location_ensure(scope=system_scope(), organization=setup.communities[0], name="仰口路社區物資室")
    d = services.distribution_create(
        scope=system_scope(), purchase=buy(), recipient=setup.communities[0], containers=10,
        method="dedicated_vehicle", use="residential_compounds", date=dt.date(2020, 2, 4), signer_name="劉曉梅",
    )
    lot = ReceivedLot.objects.get(distribution=d)
    grid = district.pioneer_branches[1]
    login(phone_page, make_user("community_worker", org=setup.communities[0]))
    # When the worker opens the store's stock and gives 3 barrels to a grid, first asking too much
    phone_page.goto("/supplies/locations/")
    phone_page.get_by_role("link", name="2020-02-04").click()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.select_option("#d-rec", str(grid.pk))
    phone_page.fill("#d-count", "11")
    phone_page.fill("#d-date", "2020-02-05")
    phone_page.click("form.stack button[type=submit]")
    expect(phone_page.locator("#d-qty-error")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.fill("#d-count", "3")
    phone_page.fill("#d-signer", "網格長")
    phone_page.click("form.stack button[type=submit]")
    # Then the distribution page shows the whole way from the street to the grid, signed, on the phone
    expect(phone_page.locator("ol.trace")).to_contain_text(grid.name)
    expect(phone_page.locator("ol.trace")).to_contain_text(setup.street.name)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    given = Distribution.objects.get(source=lot)
    assert given.containers == 3 and given.signer_name == "網格長"
