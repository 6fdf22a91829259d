"""A community worker imports the household registry on a 360 px phone, in the system Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bastion.coverage.models import Household, Resident
from bastion.imports.models import BatchStatus, ImportBatch
from bastion.imports.tests.helpers import HANT, bad_checksum, rows_for, xlsx

pytestmark = pytest.mark.browser


def test_upload_preview_confirm_on_a_phone(district, make_user, phone_page, login, tmp_path):
    # Given a community worker on a phone and two registry files: one with a wrong check digit, one good
    worker = make_user("community_worker", area=district.communities[0])
    rows = rows_for(district.grids[0].name)
    bad_rows = [list(r) for r in rows]
    bad_rows[2][8] = bad_checksum(bad_rows[2][8])
    bad, good = tmp_path / "bad.xlsx", tmp_path / "登記表.xlsx"
    bad.write_bytes(xlsx(HANT, bad_rows))
    good.write_bytes(xlsx(HANT, rows))
    login(phone_page, worker)
    # When the bad file is uploaded, the preview names row and column and offers no import
    phone_page.goto("/imports/")
    phone_page.set_input_files("#id_file", str(bad))
    phone_page.get_by_role("button", name="检查文件").click()
    expect(phone_page.locator("#errors")).to_contain_text("第4行 身份證號")
    expect(phone_page.locator("#confirm")).to_have_count(0)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    # When the corrected file is uploaded, the preview counts what would be created
    phone_page.goto("/imports/")
    phone_page.set_input_files("#id_file", str(good))
    phone_page.get_by_role("button", name="检查文件").click()
    expect(phone_page.locator("#counts")).to_contain_text("2")
    assert Household.objects.count() == 0
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    # Then confirming imports every row, and the batch says so
    phone_page.locator("#confirm").click()
    expect(phone_page.locator("#batch-status")).to_have_text("已导入")
    assert Household.objects.count() == 2 and Resident.objects.count() == 3
    assert ImportBatch.objects.filter(status=BatchStatus.IMPORTED).count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
