"""The demo district's report equals SCENARIO.md, follows the records, drills down and keeps to the scope.

The demo is loaded once for this module (see conftest.py); every test runs in a savepoint.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bastion.access.models import User
from bastion.access.scope import resolve_scope, system_scope
from bastion.areas.models import Area
from bastion.core.models import AuditEvent
from bastion.orglife.models import Activity
from bastion.orgs.models import Organization
from bastion.people.models import Person
from bastion.reports.figures import drill, lookup, report_build

PERIOD = {"start": "2020-01-24", "end": "2020-02-16"}
QUERY = "area=370202&from=2020-01-24&to=2020-02-16"

# SCENARIO.md, row by row.
EXPECTED: dict[str, Any] = {
    "grids.total": 751,
    "grids.covered": 751,
    "branches.temporary.grid_pioneer": 751,
    "branches.temporary.grid_pioneer.agency_cadre_secretary_share": 0.80,
    "teams.assault.members": 65,
    "checkpoints.assigned_cadres": 43,
    "branches.online": 1021,
    "orglife.online_activities": 2327,
    "applications.new": 22,
    "brands": 13,
    "checkpoints.sites.青島火車站.team_members": 12,
    "checkpoints.sites.青島火車站.entrances": 6,
    "checkpoints.sites.青島火車站.person_times": 8674,
    "checkpoints.sites.青島火車站.longest_continuous_duty_hours": 19,
    "funds.allocated": "300000.00",
    "supplies.streets.珠海路街道.alcohol.containers": 200,
    "supplies.streets.珠海路街道.alcohol.kg": "400.00",
    "supplies.streets.珠海路街道.disinfectant_84.containers": 100,
    "supplies.streets.珠海路街道.disinfectant_84.litres": "380.00",
    "supplies.streets.珠海路街道.recipients": 6,
    "care.situations": 6,
    "care.frontline_measures": 12,
}


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_district_report_over_the_seed_period_is_the_scenario_table(demo):
    # When the report for 市南區 over the seed period is printed as JSON
    got = json.loads(cli("--area", "370202", "--from", "2020-01-24", "--to", "2020-02-16", "--format", "json"))
    # Then it names the area and period, and every figure of SCENARIO.md is there with its value
    assert got["area"]["code"] == "370202" and got["area"]["name"] == "市南區"
    assert got["period"] == {"from": "2020-01-24", "to": "2020-02-16"}
    figures = got["figures"]
    assert {code: lookup(figures, code) for code in EXPECTED} == EXPECTED
    assert 17_000 <= figures["members.participating"] <= 17_999
    # and the per-site and per-street figures are nested objects under their names
    assert figures["checkpoints.sites"]["青島火車站"]["person_times"] == 8674
    assert figures["supplies.streets"]["珠海路街道"]["alcohol"] == {"containers": 200, "kg": "400.00"}


def test_the_api_gives_the_same_json_as_the_command(demo):
    from_cli = json.loads(cli("--area", "370202", "--from", "2020-01-24", "--to", "2020-02-16"))
    response = client_of("district_admin").get(f"/api/reports/figures?{QUERY}")
    assert response.status_code == 200
    assert response.json() == from_cli


def test_changing_one_record_changes_the_figures(demo):
    # Given the report as it is
    before = report_build(scope=system_scope(), area="370202", **PERIOD).figures
    # When one online activity moves out of the period and one online branch is dissolved before it
    Activity.objects.filter(mode="online", date__gte=dt.date(2020, 1, 24)).order_by("pk").first().delete()
    branch = Organization.objects.filter(kind="online_branch").order_by("pk").first()
    branch.dissolved = dt.date(2020, 1, 1)
    branch.established = dt.date(2019, 1, 1)
    branch.save(update_fields=["dissolved", "established"])
    # Then those figures follow the records
    after = report_build(scope=system_scope(), area="370202", **PERIOD).figures
    assert after["orglife.online_activities"] < before["orglife.online_activities"]
    assert after["branches.online"] == before["branches.online"] - 1


def test_the_drill_down_of_online_branches_lists_as_many_records_as_the_figure(demo):
    # Given the figure
    report = report_build(scope=system_scope(), area="370202", **PERIOD)
    # When the records behind it are listed through the API, page by page
    client = client_of("district_admin")
    first = client.get(f"/api/reports/figures/branches.online/records?{QUERY}&limit=500").json()
    # Then their number is the figure, and every row is an online branch
    assert first["count"] == report.figures["branches.online"] == 1021
    assert len(first["items"]) == 500
    last = client.get(f"/api/reports/figures/branches.online/records?{QUERY}&limit=500&offset=1000").json()
    assert len(last["items"]) == 21
    names = {row[0] for row in first["items"] + last["items"]}
    assert names <= set(Organization.objects.filter(kind="online_branch").values_list("name", flat=True))
    # and the page shows the same count, 50 rows a page
    page = client.get(f"/reports/figures/branches.online/?{QUERY}")
    assert page.status_code == 200
    assert "1021" in page.content.decode()
    assert page.content.decode().count("<tr>") == 51


def test_the_records_behind_the_station_and_the_funds_add_up_to_their_figures(demo):
    report = report_build(scope=system_scope(), area="370202", **PERIOD)
    _label, times = drill(report.ctx, "checkpoints.sites.青島火車站.person_times")
    assert sum(row[3] for row in map(times.cells, times.rows[0:len(times.rows)])) == 8674
    station = report.figures["checkpoints.sites"]["青島火車站"]
    for key in ("fevers", "referrals", "team_members", "entrances"):
        _label, records = drill(report.ctx, f"checkpoints.sites.青島火車站.{key}")
        assert records.rows.count() == station[key], key
    _label, funds = drill(report.ctx, "funds.allocated")
    assert sum(Decimal(funds.cells(t)[3]) for t in funds.rows) == Decimal("300000.00")
    _label, secretaries = drill(report.ctx, "branches.temporary.grid_pioneer.agency_cadre_secretary_share")
    assert secretaries.rows.filter(person__is_agency_cadre=True).count() == 601


def test_drill_downs_mask_id_numbers(demo):
    # Given an assault team member with an ID number (the demo's team members have none)
    report = report_build(scope=system_scope(), area="370202", **PERIOD)
    _label, members = drill(report.ctx, "teams.assault.members")
    person = members.rows.first()
    Person.objects.filter(pk=person.pk).update(id_number="37020219900101123X")
    # When the records behind the figure are shown
    html = client_of("district_admin").get(f"/reports/figures/teams.assault.members/?{QUERY}").content.decode()
    # Then the number is masked, last four shown
    assert "<td>**************123X</td>" in html
    assert "37020219900101123X" not in html


def test_a_grid_volunteers_report_covers_their_grid_only(demo):
    # Given the volunteer of 仰口路社區第01網格
    client = client_of("volunteer")
    # When they open the report without choosing an area
    got = client.get("/api/reports/figures?from=2020-01-24&to=2020-02-16").json()
    # Then it is their grid's
    assert got["area"]["name"] == "仰口路社區第01網格"
    assert got["figures"]["grids.total"] == 1
    assert got["figures"]["grids.covered"] == 1
    # and the district, a street, another grid are not found (not forbidden: their existence is not told)
    other = Area.objects.get(name="仰口路社區第02網格")
    for area in ["370202", "湛山街道", str(other.pk), "仰口路社區第02網格"]:
        assert client.get(f"/api/reports/figures?area={quote(area)}").status_code == 404
        assert client.get(f"/reports/?area={quote(area)}").status_code == 404
    assert client.get(f"/api/reports/figures/grids.total/records?area={other.pk}").status_code == 404


def test_a_street_officer_sees_their_street_and_its_communities(demo):
    client = client_of("street_officer")
    street = client.get("/api/reports/figures?from=2020-01-24&to=2020-02-16").json()
    assert street["area"]["name"] == "湛山街道"
    grids = Area.objects.get(name="湛山街道").get_descendants().filter(kind="grid").count()
    assert street["figures"]["grids.total"] == grids
    community = client.get("/api/reports/figures?area=仰口路社區&from=2020-01-24&to=2020-02-16").json()
    assert community["figures"]["grids.total"] < grids
    assert client.get("/api/reports/figures?area=珠海路街道").status_code == 404


def test_the_report_page_runs_a_constant_number_of_queries_whatever_the_grids(demo):
    client = client_of("district_admin")
    client.get(f"/reports/?{QUERY}")  # warm up caches (content types, sessions)

    def queries(area: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/reports/?area={quote(area)}&from=2020-01-24&to=2020-02-16").status_code == 200
        return len(ctx.captured_queries)

    # 751 grids, 78 grids, 1 grid: the same number of queries, apart from the per-site and per-street
    # groups, which are absent below the district (no station, no purchases there)
    district, grid = queries("370202"), queries("仰口路社區第01網格")
    street = queries("湛山街道")
    assert street == grid
    assert district <= street + 30
    assert district < 80


def test_the_page_defaults_to_the_top_node_and_the_span_of_the_records(demo):
    html = client_of("district_admin").get("/reports/").content.decode()
    assert 'value="2020-01-24"' in html and 'value="2020-02-16"' in html
    assert "市南區" in html
    assert re.search(r'data-code="grids.total">.*?<td class="num" data-value>751', html, re.S)


def test_export_needs_the_export_permission(demo):
    csv_body = client_of("district_admin").get(f"/reports/export.csv?{QUERY}")
    assert csv_body.status_code == 200
    text = csv_body.content.decode("utf-8-sig")
    assert "checkpoints.sites.青島火車站.person_times" in text and ",8674" in text
    xlsx = client_of("district_admin").get(f"/reports/export.xlsx?{QUERY}")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # every export is audited, with its format and period
    events = AuditEvent.objects.filter(verb="report.export").order_by("pk")
    assert [e.diff["format"] for e in events] == ["csv", "xlsx"]
    assert events[0].diff["from"] == "2020-01-24" and events[0].actor.username == "district_admin"
    # an auditor reads the report but may not export it, and is offered no export link
    auditor = client_of("auditor")
    assert auditor.get(f"/reports/?{QUERY}").status_code == 200
    assert "data-export" not in auditor.get(f"/reports/?{QUERY}").content.decode()
    assert auditor.get(f"/reports/export.csv?{QUERY}").status_code == 403
    assert auditor.get(f"/reports/export.xlsx?{QUERY}").status_code == 403


def test_the_command_runs_with_a_users_scope(demo):
    got = json.loads(cli("--user", "grid_secretary", "--from", "2020-01-24", "--to", "2020-02-16"))
    assert got["area"]["name"] == "仰口路社區第01網格"
    assert got["figures"]["grids.total"] == 1
    rows = cli("--area", "珠海路街道", "--from", "2020-01-24", "--to", "2020-02-16", "--format", "csv").splitlines()
    assert rows[0] == "code,label,value"
    assert any(r.startswith("supplies.streets.珠海路街道.recipients,") and r.endswith(",6") for r in rows)


@pytest.mark.parametrize("args", [
    ["--area", "仰口路社區第01網格"],
    ["--area", "370202", "--user", "volunteer"],
])
def test_the_command_answers_with_the_scope_it_runs_with(demo, args):
    if "--user" in args:
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="--area"):
            cli(*args)
    else:
        assert json.loads(cli(*args))["figures"]["grids.total"] == 1


def test_the_resolved_scope_of_a_user_is_never_widened(demo):
    scope = resolve_scope(User.objects.get(username="checkpoint"))
    report = report_build(scope=scope, **PERIOD)
    assert report.area.name == "青島火車站"
    assert report.figures["grids.total"] == 0
    assert report.figures["checkpoints.sites"]["青島火車站"]["entrances"] == 6


def test_an_organisation_node_reports_on_its_subtree(demo):
    # The district committee's report is the district's: every organisation and area hangs under it
    by_org = report_build(scope=system_scope(), org="市南區委", **PERIOD)
    assert by_org.as_dict()["organization"]["name"] == "市南區委"
    assert by_org.figures == report_build(scope=system_scope(), area="370202", **PERIOD).figures
    # a street's working committee covers that street's grids
    client = client_of("street_officer")
    street = client.get("/api/reports/figures?org=湛山街道黨工委&from=2020-01-24&to=2020-02-16").json()
    assert street["figures"]["grids.total"] == Area.objects.get(name="湛山街道").get_descendants().filter(
        kind="grid").count()
    # and another street's committee is not found for that officer
    assert client.get("/api/reports/figures?org=珠海路街道黨工委").status_code == 404
    assert client.get("/reports/?org=珠海路街道黨工委").status_code == 404


def test_every_figure_drills_down_in_a_bounded_number_of_queries(demo):
    # Given the report page's figure links
    client = client_of("district_admin")
    html = client.get(f"/reports/?{QUERY}").content.decode()
    codes = re.findall(r'data-code="([^"]+)"', html)
    assert len(codes) >= len(EXPECTED)
    # When each drill-down page is opened (50 rows a page), then none runs a query per row
    for code in codes:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/reports/figures/{quote(code)}/?{QUERY}")
        assert response.status_code == 200, code
        assert len(ctx.captured_queries) < 30, (code, len(ctx.captured_queries))


def test_a_street_reports_the_tranche_it_received_and_the_district_received_nothing_from_above(demo):
    # Given the demo's 300,000 yuan first tranche, split evenly over the ten streets
    streets = list(Area.objects.filter(kind="street").order_by("path"))
    assert len(streets) == 10
    # When the report is built for the district and for each street
    district = report_build(scope=system_scope(), area="370202", **PERIOD).figures
    received = {s.name: report_build(scope=system_scope(), area=str(s.pk), **PERIOD).figures["funds.received"]
                for s in streets}
    # Then the district received nothing from above and still allocated 300,000
    assert district["funds.received"] == "0.00"
    assert district["funds.allocated"] == "300000.00"
    # and each street received its share, the shares adding up to the tranche
    assert set(received.values()) == {"30000.00"}
    assert sum(Decimal(v) for v in received.values()) == Decimal("300000.00")


def test_a_street_officer_sees_what_their_street_received_and_the_allocations_behind_it(demo):
    # Given the officer of 湛山街道
    client = client_of("street_officer")
    # When they open their report and the records behind funds.received
    got = client.get("/api/reports/figures?from=2020-01-24&to=2020-02-16").json()
    report = report_build(scope=resolve_scope(User.objects.get(username="street_officer")), **PERIOD)
    _label, records = drill(report.ctx, "funds.received")
    page = client.get("/reports/figures/funds.received/?from=2020-01-24&to=2020-02-16")
    # Then the street's tranche is there, the allocations behind it add up to it, all posted by the district
    assert got["area"]["name"] == "湛山街道"
    assert got["figures"]["funds.received"] == "30000.00"
    rows = [records.cells(t) for t in records.rows]
    assert sum(Decimal(row[3]) for row in rows) == Decimal("30000.00")
    assert {row[1] for row in rows} == {"市南區委"}
    assert page.status_code == 200 and "10000.00" in page.content.decode()
