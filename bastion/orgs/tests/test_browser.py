"""Adding a member to a branch in the system Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bastion.access.scope import system_scope
from bastion.people.models import Membership
from bastion.people.services import person_create

pytestmark = pytest.mark.browser


def test_add_a_member_found_by_pinyin_on_a_phone(district, make_user, phone_page, login):
    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0))
    branch = district.pioneer_branches[0]
    login(phone_page, make_user("community_worker", area=district.communities[0]))
    phone_page.goto(f"/orgs/{branch.pk}/")
    phone_page.locator(f"a[href='/orgs/{branch.pk}/members/add/']").click()
    phone_page.fill("input[name=q]", "dxz")
    phone_page.press("input[name=q]", "Enter")
    phone_page.get_by_label("竇秀珍", exact=False).check()
    phone_page.select_option("#id_role", "group_leader")
    phone_page.click("form.stack button[type=submit]")
    expect(phone_page.locator("#members-title")).to_be_visible()
    expect(phone_page.locator("main table")).to_contain_text("竇秀珍")
    assert Membership.objects.get(person=person, organization=branch).role == "group_leader"
