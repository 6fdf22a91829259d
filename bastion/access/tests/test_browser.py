"""Giving a grid volunteer an account and a role on a phone, in the system Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bastion.access.models import Grant, User
from bastion.access.scope import system_scope
from bastion.people.services import person_create

pytestmark = pytest.mark.browser


def test_a_street_officer_gives_a_volunteer_an_account_and_a_grid_on_a_phone(
    district, make_user, phone_page, login
):
    # Given a street officer on a 360 px phone and a volunteer registered in one of their grids
    grid = district.grid(0, 1, 0)
    person_create(scope=system_scope(), name="竇秀珍", area=grid)
    login(phone_page, make_user("street_officer", area=district.streets[0]))
    # When they find the volunteer, create the account with a generated password and grant a role
    phone_page.goto("/access/users/")
    phone_page.get_by_role("link", name="新建账号").click()
    phone_page.fill("input[name=q]", "dxz")
    phone_page.press("input[name=q]", "Enter")
    phone_page.get_by_role("link", name="竇秀珍").click()
    expect(phone_page.locator("#chosen-person")).to_have_text("竇秀珍")
    phone_page.fill("#id_username", "douxz")
    phone_page.click("form.stack button[type=submit]")
    expect(phone_page.locator("#new-password")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    # (the node is found by a search, in simplified script, not picked from thousands of options)
    phone_page.fill("#target-find", "秀湛路社区第1网格")
    phone_page.press("#target-find", "Enter")
    phone_page.check(f"input[name=target][value='area:{grid.pk}']")
    assert phone_page.locator("input[name=target]").count() <= 10
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.select_option("#id_role", "member")
    phone_page.click("#grant-form button[type=submit]")
    # Then the role is listed, recorded in the history, and the page still fits the phone
    expect(phone_page.locator("ul.grants")).to_contain_text(grid.name)
    expect(phone_page.locator("ol.history")).to_contain_text("grant.create")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    user = User.objects.get(username="douxz")
    assert list(Grant.objects.filter(user=user).values_list("role", "area")) == [("member", grid.pk)]
