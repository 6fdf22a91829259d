"""`bastion demo --load-only`: every app's loader, the printed accounts, and a second run changing nothing."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from bastion.access.models import User
from bastion.access.scope import resolve_scope
from bastion.areas.models import Area
from bastion.care.models import Case
from bastion.care.services import CHAIN, level_organization
from bastion.demo.accounts import DEMO_PASSWORD
from bastion.demo.loader import loader_module
from bastion.demo.tests.state import database_state


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--load-only", stdout=out)
    return out.getvalue()


def care_cases_to_decide(user: User) -> list[Case]:
    scope = resolve_scope(user)
    waiting = []
    for case in Case.objects.filter(status__in=list(CHAIN)).select_related("organization"):
        try:
            scope.require("care.approve", org=level_organization(case, CHAIN[case.status][0]))
        except PermissionDenied:
            continue
        waiting.append(case)
    return waiting


def test_load_only_loads_prints_the_accounts_and_is_idempotent(db):
    # Given an empty database, when the demo is loaded
    first = run_demo()
    # then the district is there and every account is printed with the password
    assert Area.objects.filter(kind="grid").count() == 751
    assert DEMO_PASSWORD in first
    for username in ["district_admin", "street_officer", "community_worker", "grid_secretary", "volunteer",
                     "checkpoint", "auditor"]:
        assert username in first
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    # and the community, street and district accounts each find a care case waiting for their decision
    for username in ["community_worker", "street_officer", "district_admin"]:
        assert care_cases_to_decide(User.objects.get(username=username)), username
    # and when it is loaded again, with every app's loader, nothing changes
    before = database_state()
    run_demo()
    assert database_state() == before


def test_the_demo_refuses_a_production_configuration(db, monkeypatch):
    monkeypatch.setenv("BASTION_SECRET_KEY", "a-real-production-secret")
    with pytest.raises(CommandError, match="BASTION_SECRET_KEY"):
        call_command("demo", "--load-only", stdout=io.StringIO())
    assert not User.objects.exists()


def test_the_spine_loader_is_found_and_missing_loaders_are_skipped():
    assert loader_module("demo").__name__ == "bastion.demo.demo"
    assert loader_module("no_such_app") is None
