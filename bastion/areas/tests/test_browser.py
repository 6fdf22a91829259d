"""Browsing and editing the area tree in the system Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bastion.areas.models import Area

pytestmark = pytest.mark.browser


def test_browse_areas_by_expanding_and_collapsing_the_tree(district, make_user, page, login):
    login(page, make_user("district_admin", area=district.district))
    page.goto("/areas/")
    toggle = page.get_by_role("button", name=re.compile("市南區"))
    toggle.click()
    expect(page.locator(".tree-root")).to_contain_text("湛山街道")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(page.get_by_role("link", name="湛山街道")).to_be_hidden()
    toggle.click()
    page.get_by_role("link", name="湛山街道").click()
    expect(page.locator("h1")).to_contain_text("湛山街道")
    expect(page.locator(".facts")).to_contain_text("370202001000")
    expect(page.locator(".breadcrumbs")).to_contain_text("市南區")


def test_a_grid_under_a_grid_is_explained_next_to_the_field_on_a_phone(district, make_user, phone_page, login):
    community = district.communities[0]
    login(phone_page, make_user("community_worker", area=community))
    phone_page.goto(f"/areas/{community.pk}/new/")
    phone_page.fill("#id_name", "第3網格")
    phone_page.select_option("#id_kind", "community")
    phone_page.click("form.stack button[type=submit]")
    expect(phone_page.locator("#id_kind_error")).to_be_visible()
    assert not Area.objects.filter(name="第3網格").exists()
    phone_page.select_option("#id_kind", "grid")
    phone_page.click("form.stack button[type=submit]")
    expect(phone_page.locator("h1")).to_contain_text("第3網格")
    expect(phone_page.locator("ol.history")).to_contain_text("area.create")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
