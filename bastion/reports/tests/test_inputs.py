"""Bad input to the report (command, page, API) is a clear error naming the input, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bastion.access.scope import system_scope
from bastion.reports.figures import report_build


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("args", "message"), [
    (["--area", "999999"], "--area: there is no area “999999”"),
    (["--area", "不存在街道"], "--area: there is no area “不存在街道”"),
    (["--from", "2020-02-30"], "--from: “2020-02-30” is not a date"),
    (["--to", "yesterday"], "--to: “yesterday” is not a date"),
    (["--to", "9999-12-31"], "--to: 9999-12-31 is out of range"),
    (["--from", "2020-02-16", "--to", "2020-01-24"], "--from: "),
    (["--user", "nobody"], "--user: there is no active user “nobody”"),
    (["--org", "不存在黨委"], "--org: there is no organisation “不存在黨委”"),
])
def test_the_command_names_the_bad_input(district, args, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(CommandError) as failed:
        cli(*args)
    assert message in str(failed.value)


def test_the_command_finds_an_area_by_code_or_name(district):
    assert '"name": "湛山街道"' in cli("--area", "370202001000")
    assert '"name": "湛山街道"' in cli("--area", "湛山街道")


def test_a_user_without_the_report_permission_is_refused(district, make_user):
    lonely = make_user()  # no grant at all
    with pytest.raises(CommandError, match="may not read the report"):
        cli("--user", lonely.username)


def test_the_api_names_the_bad_query_parameter(district, make_user, client_for):
    client = client_for(make_user("district_admin", area=district.district))
    bad_date = client.get("/api/reports/figures?from=2020-02-30")
    assert bad_date.status_code == 400
    assert bad_date.json()["errors"][0]["field"] == "query.from"
    reversed_period = client.get("/api/reports/figures?from=2020-02-16&to=2020-01-24")
    assert reversed_period.status_code == 400
    assert reversed_period.json()["errors"][0]["field"] == "query.from"
    assert client.get("/api/reports/figures/grids.total/records?limit=0").json()["errors"][0]["field"] == "query.limit"
    assert client.get("/api/reports/figures/no.such.figure/records").status_code == 404
    assert client.get("/api/reports/figures?area=nowhere").status_code == 404


def test_the_page_shows_a_bad_date_and_falls_back_to_the_default_period(district, make_user, client_for):
    client = client_for(make_user("district_admin", area=district.district))
    response = client.get("/reports/?from=2020-02-30", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()
    assert client.get("/reports/figures/no.such.figure/").status_code == 404
    assert client.get("/reports/export.pdf").status_code == 404


def test_anonymous_callers_are_sent_to_sign_in_or_refused(client, district):
    assert client.get("/reports/").status_code == 302
    assert client.get("/api/reports/figures").status_code == 401


def test_a_small_district_report_counts_its_grids_and_branches(district):
    report = report_build(scope=system_scope(), area="370202", start="2020-01-24", end="2020-02-16")
    assert report.figures["grids.total"] == 8
    assert report.figures["branches.temporary.grid_pioneer"] == 8
    assert report.figures["grids.covered"] == 8
    assert report.figures["branches.temporary.grid_pioneer.agency_cadre_secretary_share"] is None
    assert report.figures["funds.allocated"] == "0.00"
