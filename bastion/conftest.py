"""Shared fixtures: a small district tree, users holding grants, API clients."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from bastion.access.models import Grant, User
from bastion.access.scope import resolve_scope, system_scope
from bastion.areas.models import Area
from bastion.areas.services import area_create
from bastion.orgs.models import Organization
from bastion.orgs.services import org_create

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts in the default language (zh-Hans): a request through the test client
    activates its own language in this thread and Django leaves it active afterwards."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class District:
    district: Area
    streets: list[Area]
    communities: list[Area]
    grids: list[Area]
    committee: Organization
    pioneer_branches: list[Organization]

    def grid(self, street: int, community: int, grid: int) -> Area:
        return self.grids[street * 4 + community * 2 + grid]


@pytest.fixture
def district(db: Any) -> District:
    """市南區 with 2 streets × 2 communities × 2 grids, and one pioneer branch per grid."""
    s = system_scope()
    d = area_create(scope=s, name="市南區", kind="district", code="370202", code_year=2020)
    committee = org_create(scope=s, name="市南區委", kind="district_committee", area=d)
    streets, communities, grids, branches = [], [], [], []
    for si, sname in enumerate(["湛山街道", "八大峽街道"]):
        st = area_create(scope=s, name=sname, kind="street", parent=d, code=f"370202{si + 1:03d}000", code_year=2020)
        streets.append(st)
        st_org = org_create(scope=s, name=f"{sname}黨工委", kind="street_committee", parent=committee, area=st)
        for ci in range(2):
            cname = ["仰口路社區", "秀湛路社區", "西藏路社區", "團島社區"][si * 2 + ci]
            c = area_create(
                scope=s, name=cname, kind="community", parent=st, code=f"370202{si + 1:03d}{ci + 1:03d}", code_year=2020
            )
            communities.append(c)
            c_org = org_create(scope=s, name=f"{cname}黨委", kind="community_committee", parent=st_org, area=c)
            for gi in range(2):
                g = area_create(scope=s, name=f"{cname}第{gi + 1}網格", kind="grid", parent=c)
                grids.append(g)
                branches.append(
                    org_create(
                        scope=s,
                        name=f"{g.name}先鋒防控小組臨時黨支部",
                        kind="temporary_branch",
                        purpose="grid_pioneer",
                        parent=c_org,
                        area=c,
                        covered_areas=[g],
                    )
                )
    # Sorted inserts renumber siblings' paths, so hand out the nodes as stored at the end.
    def fresh(nodes: list[Any]) -> list[Any]:
        return [type(n).objects.get(pk=n.pk) for n in nodes]

    return District(
        fresh([d])[0], fresh(streets), fresh(communities), fresh(grids), fresh([committee])[0], fresh(branches)
    )


@pytest.fixture
def make_user(db: Any):
    def make(role: str | None = None, *, area: Area | None = None, org: Organization | None = None,
             superuser: bool = False, person: Any = None) -> User:
        n = next(_seq)
        user = User.objects.create_user(
            username=f"user{n}", password="correct horse battery", is_superuser=superuser, person=person
        )
        if role:
            Grant.objects.create(user=user, role=role, area=area, organization=org)
        return user

    return make


@pytest.fixture
def scope_of():
    return resolve_scope


@pytest.fixture
def client_for():
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# -- Browser tests (playwright + the system Chromium) ------------------------------------
# Mark them @pytest.mark.browser. `page` is a desktop tab and `phone_page` a 360×740 phone,
# both against pytest-django's live_server (so the test's database is shared with it);
# `login(page, user)` signs a user made by `make_user` in.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TEST_PASSWORD = "correct horse battery"


@pytest.fixture
def browser(transactional_db: Any, live_server: Any):
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need the system Chromium at {CHROMIUM}: run `apt-get install chromium` "
            "(never `playwright install`).",
            pytrace=False,
        )
    # The playwright sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told it is safe, which it is here (one thread, no real async code).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(browser: Any, live_server: Any, **options: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Any, live_server: Any):
    """A desktop browser tab (1280×800); page.goto("/areas/") is relative to the live server."""
    tab = _new_page(browser, live_server, viewport={"width": 1280, "height": 800})
    yield tab
    tab.context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any):
    """A phone-sized tab: 360×740, touch, as the grid volunteers use it."""
    tab = _new_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
        device_scale_factor=2,
    )
    yield tab
    tab.context.close()


@pytest.fixture
def login(live_server: Any):
    """login(page, user[, password]): sign in through the real sign-in form and land on the home page."""

    def sign_in(tab: Any, user: User, password: str = TEST_PASSWORD) -> None:
        tab.goto(f"{live_server.url}/login/")
        tab.fill("#id_username", user.get_username())
        tab.fill("#id_password", password)
        with tab.expect_navigation():
            tab.click("form.stack button[type=submit]")
        assert "/login/" not in tab.url, "sign-in failed"

    return sign_in
