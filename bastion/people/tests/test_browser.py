"""Browser journeys through the spine's pages, in the system Chromium (see bastion/conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.people.services import person_create

pytestmark = pytest.mark.browser


def _valid_id(number17: str) -> str:
    from stdnum.cn import ric

    return number17 + ric.calc_check_digit(number17 + "0")


def test_sign_in_and_switch_language(district, make_user, page, login):
    # given a community worker
    user = make_user("community_worker", area=district.communities[0])
    # when they sign in (the browser asks for Chinese)
    login(page, user)
    # then the page is in simplified Chinese
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text(user.get_username())
    # when they switch to traditional Chinese, then to English
    page.select_option("#lang-select", "zh-hant")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    page.select_option("#lang-select", "en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".mainnav")).to_contain_text("People")
    # and signing out brings the sign-in page back
    page.click(".mainnav button.link")
    expect(page).to_have_url(re.compile(r"/login/"))


def test_phone_search_by_pinyin_initials(district, make_user, phone_page, login):
    s = system_scope()
    person_create(scope=s, name="竇秀珍", area=district.grid(0, 0, 0), party_status="full")
    person_create(scope=s, name="岳曉露", area=district.grid(0, 0, 1))
    login(phone_page, make_user("grid_secretary", area=district.grid(0, 0, 0)))
    phone_page.goto("/")
    phone_page.click(".menu summary")
    phone_page.locator(".menu nav").get_by_role("link", name="人员").click()
    phone_page.fill("input[name=q]", "dxz")
    phone_page.press("input[name=q]", "Enter")
    results = phone_page.locator(".results")
    expect(results).to_contain_text("竇秀珍")
    expect(results).not_to_contain_text("岳曉露")
    # nothing overflows sideways at 360 px
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_community_worker_reveals_an_id_and_sees_it_audited(district, make_user, page, login):
    number = _valid_id("37020219430101123")
    person = person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0), id_number=number)
    user = make_user("community_worker", area=district.communities[0])
    login(page, user)
    page.goto(f"/people/{person.pk}/")
    expect(page.locator("#id-number")).to_have_text("*" * 14 + number[-4:])
    page.locator("form.reveal button").click()
    expect(page.locator("#id-number")).to_have_text(number)
    expect(page.locator(".history-event[data-verb='person.reveal']")).to_contain_text(user.get_username())
    assert AuditEvent.objects.filter(verb="person.reveal", actor=user, object_id=str(person.pk)).count() == 1


def test_grid_volunteer_cannot_open_another_grids_person(district, make_user, page, login):
    other = person_create(scope=system_scope(), name="李四", area=district.grid(0, 0, 1))
    login(page, make_user("member", area=district.grid(0, 0, 0)))
    response = page.goto(f"/people/{other.pk}/")
    assert response is not None and response.status in (403, 404)
    page.goto("/people/?q=ls")
    expect(page.locator("main")).not_to_contain_text("李四")
