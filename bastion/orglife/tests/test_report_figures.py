"""The grid pioneer figures the district report reads: branches, grids covered, agency-cadre secretaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bastion.access.scope import resolve_scope, system_scope
from bastion.orglife import selectors
from bastion.people.services import membership_create, person_create

D = dt.date
PERIOD = {"period_start": D(2020, 1, 24), "period_end": D(2020, 2, 16)}


def _secretaries(district, cadres: int) -> None:
    s = system_scope()
    for i, branch in enumerate(district.pioneer_branches):
        person = person_create(scope=s, name=f"書記{i}", area=district.grids[i], is_agency_cadre=i < cadres,
                               home_agency="區財政局" if i < cadres else "")
        membership_create(scope=s, person=person, organization=branch, role="secretary", start=D(2020, 1, 25))


def test_pioneer_branches_cover_the_grids_and_the_share_of_cadre_secretaries_is_rounded(district):
    # Given 8 pioneer branches, each with a secretary, 5 of whom are agency cadres
    _secretaries(district, cadres=5)
    # When the figures are read for the period
    s = system_scope()
    # Then every grid is covered by one pioneer branch and 5/8 = 0.625 rounds to 0.63
    assert selectors.grid_pioneer_branch_list(scope=s, **PERIOD).count() == 8
    assert selectors.grids_covered_list(scope=s, **PERIOD).count() == 8
    assert selectors.grid_pioneer_secretary_list(scope=s, **PERIOD).count() == 8
    assert selectors.grid_pioneer_agency_cadre_secretary_share(scope=s, **PERIOD) == Decimal("0.63")


def test_a_dissolved_branch_no_longer_covers_its_grid(district):
    # Given one pioneer branch dissolved before the period
    branch = district.pioneer_branches[0]
    branch.dissolved = D(2020, 1, 1)
    branch.save(update_fields=["dissolved"])
    # Then its grid is not covered in the period, and no secretaries means no share
    s = system_scope()
    assert selectors.grids_covered_list(scope=s, **PERIOD).count() == 7
    assert selectors.grid_pioneer_agency_cadre_secretary_share(scope=s, **PERIOD) is None


def test_a_grid_secretary_counts_only_their_own_grid(district, make_user):
    # Given a grid secretary granted one grid
    _secretaries(district, cadres=1)
    user = make_user("grid_secretary", area=district.grids[0])
    scope = resolve_scope(user)
    # Then the figures cover that grid only
    assert list(selectors.grids_covered_list(scope=scope, **PERIOD)) == [district.grids[0]]
    assert selectors.grid_pioneer_agency_cadre_secretary_share(scope=scope, **PERIOD) == Decimal("1.00")
