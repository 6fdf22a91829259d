"""Thresholds come from settings.BASTION, then BASTION_* environment variables, then defaults."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.checkpoints import conf, selectors
from bastion.checkpoints.ingest import readings_ingest


def test_defaults(settings, monkeypatch):
    settings.BASTION = {}
    for name in ("FEVER_THRESHOLD", "DUTY_GAP_MINUTES", "LONG_DUTY_HOURS", "CLOCK_SKEW_SECONDS"):
        monkeypatch.delenv(f"BASTION_CHECKPOINT_{name}", raising=False)
    assert conf.fever_threshold() == Decimal("37.3")
    assert conf.duty_gap() == dt.timedelta(minutes=30)
    assert conf.long_duty() == dt.timedelta(hours=12)
    assert conf.clock_skew() == dt.timedelta(minutes=5)


def test_the_environment_and_then_the_settings_override_the_defaults(settings, monkeypatch):
    settings.BASTION = {}
    monkeypatch.setenv("BASTION_CHECKPOINT_LONG_DUTY_HOURS", "10")
    assert conf.long_duty() == dt.timedelta(hours=10)
    settings.BASTION = {"CHECKPOINT_LONG_DUTY_HOURS": 8}
    assert conf.long_duty() == dt.timedelta(hours=8)


def test_the_fever_threshold_is_read_when_counting_and_the_raw_value_is_kept(station, settings):
    when = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    rows = [{"uuid": str(uuid.uuid4()), "entrance": station.entrances[0].pk, "temperature": t, "measured_at": when}
            for t in ("37.3", "37.6", "38.0")]
    readings_ingest(scope=system_scope(), rows=rows)
    s = system_scope()
    settings.BASTION = {"CHECKPOINT_FEVER_THRESHOLD": "37.3"}
    assert selectors.site_figures(scope=s, site=station.site)["fevers"] == 3
    settings.BASTION = {"CHECKPOINT_FEVER_THRESHOLD": "37.5"}
    assert selectors.site_figures(scope=s, site=station.site)["fevers"] == 2
