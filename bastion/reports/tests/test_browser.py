"""The report page on a 360 px phone, in the system Chromium: pick an area and period, follow a figure."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_report_fits_a_phone_and_drills_down(district, make_user, phone_page, login):
    # Given a district administrator on a phone
    login(phone_page, make_user("district_admin", area=district.district))
    # When they open the report, choose a street and a period and show it
    phone_page.goto("/reports/")
    expect(phone_page.locator("h1")).to_contain_text("市南區")
    expect(phone_page.locator('tr[data-code="grids.total"] td')).to_have_text("8")
    phone_page.select_option("#id_area", label="湛山街道 (街道)")
    phone_page.fill("#id_from", "2020-01-24")
    phone_page.fill("#id_to", "2020-02-16")
    phone_page.click("form.report-form button[type=submit]")
    # Then the street's figures are shown, and nothing is wider than the screen
    expect(phone_page.locator("h1")).to_contain_text("湛山街道")
    expect(phone_page.locator('tr[data-code="grids.total"] td')).to_have_text("4")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    # and following a figure lists the records behind it, for the same area and period
    phone_page.locator('tr[data-code="grids.total"] th a').click()
    expect(phone_page.locator("table.records tbody tr")).to_have_count(4)
    expect(phone_page.locator(".breadcrumbs")).to_contain_text("湛山街道")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_organisation_can_be_picked_instead_of_an_area(district, make_user, page, login):
    login(page, make_user("district_admin", area=district.district))
    page.goto("/reports/?from=2020-01-24&to=2020-02-16")
    page.select_option("#id_org", label="八大峽街道黨工委")
    page.click("form.report-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("八大峽街道黨工委")
    expect(page.locator('tr[data-code="grids.total"] td')).to_have_text("4")
    expect(page.locator('tr[data-code="branches.temporary.grid_pioneer"] td')).to_have_text("4")
