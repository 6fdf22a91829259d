"""A volunteer on a 360 px phone works through Today: each check in three screens, no sideways scrolling."""

import datetime as dt

import pytest
from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.coverage.tests.helpers import assign, household, resident, volunteer_user
from bastion.screening import services
from bastion.screening.models import IsolationCheck


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
def test_volunteer_records_a_check_in_three_screens_on_a_phone(district, make_user, phone_page, login):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    for name, relation in [("王阿姨", "head"), ("王叔叔", "spouse")]:
        services.isolation_start(
            scope=system_scope(),
            person=resident(hh, name=name, relation=relation),
            reason="returned from Wuhan",
            start=timezone.localdate() - dt.timedelta(days=2),
        )
    login(phone_page, user)
    # screen 1: Today
    phone_page.goto("/screening/today/")
    assert _fits(phone_page)
    phone_page.click("text=王阿姨")
    # screen 2: the check form
    assert _fits(phone_page)
    phone_page.fill("input[name=c-temperature]", "36.7")
    phone_page.click("button:has-text('保存检测')")
    # screen 3: back on Today, the next one waiting
    phone_page.wait_for_url("**/screening/today/")
    assert _fits(phone_page)
    assert IsolationCheck.objects.filter(isolation__person__name="王阿姨").count() == 1
    assert "王叔叔" in phone_page.content()
