"""Take the user guide's screenshots from a running demo server, walking each role's daily flows.

Usage (from the checkout, with the demo district loaded and served):

    BASTION_VAR_DIR=/tmp/guide-var make demo-load
    BASTION_VAR_DIR=/tmp/guide-var BASTION_DEBUG=1 .venv/bin/bastion runserver 127.0.0.1:8810
    .venv/bin/python docs/screenshots.py --base http://127.0.0.1:8810

It signs in as each demo account (password ``bastion-demo-2020``), clicks through the flows the
guides describe (so it also checks that they still work: any failed step stops the script), and
writes PNGs to ``docs/img/``: phone roles at 360 px wide, office roles at 1280 px.

The flows write records (a visit, a daily check, a purchase, a care case, …), so run it against a
throwaway demo database, never a real one. Needs Playwright (in the dev extras) and the system
Chromium (``/usr/bin/chromium``; never ``playwright install``). Chinese text needs CJK fonts on
the machine, or the screenshots show empty boxes: on Debian ``apt-get install fonts-noto-cjk``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

PASSWORD = "bastion-demo-2020"  # noqa: S105 -- the demo password, published in the README
CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parent / "img"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# Long pages are cut at this height so that each image stays small.
MAX_HEIGHT = {"phone": 1100, "desktop": 820}
DAY = "2020-02-16"


class Shooter:
    def __init__(self, browser: Browser, base: str, out: Path, lang: str) -> None:
        self.browser, self.base, self.out, self.lang = browser, base.rstrip("/"), out, lang
        self.taken: list[Path] = []

    def page(self, device: str) -> Page:
        options = PHONE if device == "phone" else DESKTOP
        context = self.browser.new_context(base_url=self.base, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(20_000)
        # The language cookie is what the selector in the header sets.
        context.add_cookies([{"name": "django_language", "value": self.lang, "url": self.base}])
        page = context.new_page()
        page.device = device  # type: ignore[attr-defined]
        return page

    def login(self, page: Page, username: str) -> None:
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form.stack button[type=submit]")
        if "/login/" in page.url:
            raise SystemExit(f"sign-in as {username} failed: is the demo loaded on {self.base}?")

    def shot(self, page: Page, name: str, *, full: bool = True, locator: str | None = None) -> None:
        path = self.out / f"{name}.png"
        page.wait_for_load_state("networkidle")
        if locator:
            page.locator(locator).first.screenshot(path=str(path))
        elif full:
            width = page.viewport_size["width"]  # type: ignore[index]
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[page.device])  # type: ignore[attr-defined]
            page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        else:
            page.screenshot(path=str(path))
        self.taken.append(path)
        print(f"  {path.relative_to(self.out.parent)} ({path.stat().st_size // 1024} KB)")


# -- the roles -----------------------------------------------------------------------------------


def grid_secretary(s: Shooter) -> None:
    p = s.page("phone")
    p.goto("/login/")
    s.shot(p, "login-phone", full=False)
    s.login(p, "grid_secretary")
    s.shot(p, "grid-home")
    p.click("summary[aria-label]")  # the ☰ menu on a phone
    s.shot(p, "grid-menu", full=False)
    p.goto("/screening/today/")
    s.shot(p, "grid-today")
    # My households, one household and its residents
    p.goto("/coverage/")
    s.shot(p, "grid-my-households")
    p.get_by_role("link", name="仰口路1號 1號樓 1单元 401").first.click()
    s.shot(p, "grid-household")
    household_url = p.url
    # A household visit: tap a resident's name, fill in the screening, save
    p.locator("main a[href^='/screening/visit/?person=']").first.click()
    p.check("input[name=channel][value=door]")
    p.fill("input[name=temperature]", "36.5")
    s.shot(p, "grid-visit-form")
    p.click("main form button[type=submit]")
    expect(p.locator("ul.messages")).to_be_visible()
    s.shot(p, "grid-visit-saved", full=False)
    # A daily isolation check: the isolation page opens on the check form
    p.goto(household_url)
    p.locator("main a[href^='/screening/isolations/']").first.click()
    s.shot(p, "grid-isolation")
    p.fill("input[name=c-temperature]", "36.4")
    p.check("input[name=c-channel][value=phone]")
    p.click("main form button[type=submit]")
    expect(p.locator("ul.messages")).to_be_visible()
    # The household's self-report link and what the household sees behind it
    p.goto(household_url)
    p.get_by_role("link", name="自报链接和二维码").click()
    s.shot(p, "grid-self-report-link")
    link = p.locator("main").get_by_text("/screening/r/").first.inner_text().strip()
    public = s.page("phone")
    public.goto(link)
    s.shot(public, "self-report-form")
    public.context.close()
    p.context.close()


def volunteer(s: Shooter) -> None:
    p = s.page("phone")
    s.login(p, "volunteer")
    s.shot(p, "volunteer-home")
    p.goto("/screening/today/")
    s.shot(p, "volunteer-today")
    p.goto("/coverage/")
    s.shot(p, "volunteer-households")
    p.context.close()


def community_worker(s: Shooter) -> None:
    p = s.page("desktop")
    s.login(p, "community_worker")
    p.goto("/coverage/")
    p.locator("main a[href^='/coverage/areas/']").first.click()
    s.shot(p, "community-coverage")
    p.goto("/coverage/households/")
    s.shot(p, "community-households")
    p.goto("/coverage/households/new/")
    s.shot(p, "community-household-new")
    # Import: a sheet with one good row and one bad ID number shows the problems, writes nothing
    p.goto("/imports/")
    s.shot(p, "community-imports")
    sheet = (
        "网格,街路,小区,楼号,单元,室,姓名,性别,身份证号,电话,与户主关系\n"
        "仰口路社區第02網格,仰口路,示例小區,9,1,101,张示例,男,,13800000000,户主\n"
        "仰口路社區第02網格,仰口路,示例小區,9,1,101,李示例,女,370202199001011235,,配偶\n"
    ).encode("utf-8-sig")
    p.set_input_files("input[name=file]", files=[{"name": "registry.csv", "mimeType": "text/csv", "buffer": sheet}])
    p.locator("form[action$='/imports/upload/'] button[type=submit]").click()
    p.wait_for_load_state("networkidle")
    s.shot(p, "community-import-preview")
    # Screening overview: the Today list covers the whole community
    p.goto("/screening/today/")
    s.shot(p, "community-today")
    # Accounts for volunteers
    p.goto("/access/users/")
    s.shot(p, "community-accounts")
    p.goto("/access/users/new/?q=王凱")
    s.shot(p, "community-account-new")
    p.context.close()


def street_officer(s: Shooter) -> None:
    p = s.page("desktop")
    s.login(p, "street_officer")
    # Purchase: 10 barrels of alcohol, 2 kg each, paid from a street account into its store
    p.goto("/supplies/purchases/new/")
    p.select_option("select[name=item]", label="75%酒精 (kg)")
    p.fill("input[name=container_name]", "桶")
    p.fill("input[name=holds]", "2")
    p.select_option("select[name=holds_unit]", "kg")
    p.fill("input[name=containers]", "10")
    p.fill("input[name=amount]", "800.00")
    p.select_option("select[name=purpose]", index=2)
    p.fill("input[name=new_location]", "湛山街道物資庫")
    p.fill("input[name=supplier]", "青島某醫藥公司")
    p.fill("input[name=date]", DAY)
    s.shot(p, "street-purchase-new")
    p.click("main form button[type=submit]")
    expect(p.locator("ul.messages")).to_be_visible()
    s.shot(p, "street-purchase")
    # Distribution with the recipient's signature
    p.select_option("#d-rec", index=1)
    p.fill("#d-count", "4")
    p.fill("#d-date", DAY)
    p.fill("#d-signer", "劉曉梅")
    s.shot(p, "street-distribute-form", locator="form:has(#d-rec)")
    p.click("form:has(#d-rec) button[type=submit]")
    expect(p.locator("ul.messages")).to_be_visible()
    s.shot(p, "street-distribution")
    p.goto("/supplies/")
    s.shot(p, "street-supplies")
    # Care: the cases waiting for the street's decision
    p.goto("/care/")
    s.shot(p, "street-care")
    p.goto("/access/users/")
    s.shot(p, "street-accounts")
    p.context.close()


def care_case_flow(s: Shooter) -> None:
    """A community files a case; each level of the chain is decided by someone else (four eyes)."""
    cw = s.page("desktop")
    s.login(cw, "community_worker")
    cw.goto("/care/cases/new/")
    cw.select_option("select[name=situation]", index=0)
    cw.select_option("select[name=person]", index=1)
    cw.fill("textarea[name=facts]", "一線值守20天，家中老人無人照料。")
    cw.fill("input[name=amount]", "500.00")
    s.shot(cw, "care-case-new")
    cw.click("main form button[type=submit]")
    expect(cw.locator("ul.messages")).to_be_visible()
    case_url = cw.url
    # Whoever filed a case may not decide it: another person approves each level.
    s.shot(cw, "care-case-filed")
    cw.context.close()
    so = s.page("desktop")
    s.login(so, "street_officer")
    so.goto(case_url)
    s.shot(so, "street-care-case")
    so.click("button[name=action][value=approve]")
    expect(so.locator("ul.messages")).to_be_visible()
    so.context.close()
    da = s.page("desktop")
    s.login(da, "district_admin")
    da.goto(case_url)
    da.click("button[name=action][value=approve]")
    expect(da.locator("ul.messages")).to_be_visible()
    s.shot(da, "care-case-chain")
    da.context.close()


def district_admin(s: Shooter) -> None:
    p = s.page("desktop")
    s.login(p, "district_admin")
    p.goto("/orglife/branches/")
    s.shot(p, "district-branches")
    p.goto("/orglife/branches/establish/")
    s.shot(p, "district-branch-establish")
    p.goto("/orglife/branches/?kind=online_branch")
    s.shot(p, "district-online-branches")
    p.goto("/ledger/")
    s.shot(p, "district-ledger")
    p.goto("/ledger/allocate/")
    s.shot(p, "district-allocate")
    p.goto("/reports/?from=2020-01-24&to=2020-02-16")
    s.shot(p, "district-report")
    p.locator("main a[href^='/reports/figures/']").first.click()
    s.shot(p, "district-report-drilldown")
    p.goto("/audit/")
    s.shot(p, "district-audit")
    p.context.close()


def checkpoint(s: Shooter) -> None:
    p = s.page("phone")
    s.login(p, "checkpoint")
    p.goto("/checkpoints/")
    p.locator("main a[href^='/checkpoints/sites/']").first.click()
    s.shot(p, "checkpoint-site")
    site_url = p.url
    p.goto(site_url + "shifts/")
    s.shot(p, "checkpoint-shifts")
    p.goto(site_url)
    p.locator("main a[href$='/console/']").first.click()
    expect(p.locator("#temperature")).to_be_visible()
    s.shot(p, "checkpoint-console", full=False)
    # A fever: the console asks for a second measurement, then offers the referral form
    p.fill("#temperature", "37.8")
    p.click("#record")
    expect(p.locator("#fever")).to_be_visible()
    s.shot(p, "checkpoint-fever", full=False)
    p.fill("#temperature", "37.6")
    p.click("#record")
    expect(p.locator("#confirmed")).to_be_visible()
    s.shot(p, "checkpoint-fever-confirmed", full=False)
    p.click("#confirmed-done")
    # Offline: readings wait on the device and are sent when the network returns
    p.context.set_offline(True)
    p.evaluate("window.dispatchEvent(new Event('offline'))")
    for value in ("36.5", "36.7"):
        p.fill("#temperature", value)
        p.click("#record")
    expect(p.locator("#queue-count")).not_to_have_text("0")
    s.shot(p, "checkpoint-offline", full=False)
    p.context.set_offline(False)
    p.evaluate("window.dispatchEvent(new Event('online'))")
    expect(p.locator("#queue-count")).to_have_text("0")
    # The referral form for a confirmed fever
    p.goto(p.url.replace("/console/", "/referral/"))
    s.shot(p, "checkpoint-referral")
    p.context.close()
    # The district (or the site's street) manages shifts and entrances; checkpoint members only record
    so = s.page("desktop")
    s.login(so, "district_admin")
    so.goto(site_url.replace(s.base, "") + "shifts/")
    s.shot(so, "checkpoint-shifts-manage")
    so.context.close()


def auditor(s: Shooter) -> None:
    p = s.page("desktop")
    s.login(p, "auditor")
    s.shot(p, "auditor-home")
    p.goto("/reports/?from=2020-01-24&to=2020-02-16")
    s.shot(p, "auditor-report")
    p.goto("/people/?q=竇秀珍")
    p.locator("main a[href^='/people/']").first.click()
    s.shot(p, "auditor-person")
    p.goto("/audit/")
    s.shot(p, "auditor-audit")
    p.context.close()


ROLES: dict[str, Callable[[Shooter], None]] = {
    "grid_secretary": grid_secretary,
    "volunteer": volunteer,
    "community_worker": community_worker,
    "street_officer": street_officer,
    "care": care_case_flow,
    "district_admin": district_admin,
    "checkpoint": checkpoint,
    "auditor": auditor,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the demo server (default %(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default docs/img/)")
    parser.add_argument("--chromium", default=CHROMIUM, help="the Chromium executable (default %(default)s)")
    parser.add_argument("--lang", default="zh-hans", help="page language: zh-hans, zh-hant or en")
    parser.add_argument("--only", nargs="*", choices=sorted(ROLES), help="only these roles' flows")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        shooter = Shooter(browser, args.base, args.out, args.lang)
        for name in args.only or list(ROLES):
            print(name)
            ROLES[name](shooter)
        browser.close()
    total = sum(p.stat().st_size for p in shooter.taken)
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    print(f"{len(shooter.taken)} screenshots, {total // 1024} KB, in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
