"""Checkpoint thresholds: `settings.BASTION[name]`, else the `BASTION_<name>` environment variable, else the default."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

from django.conf import settings

# Hard limits of a plausible body temperature reading (°C); outside them a reading is rejected.
TEMPERATURE_MIN = Decimal("30.0")
TEMPERATURE_MAX = Decimal("45.0")
# The most readings one batch request may carry.
BATCH_LIMIT = 10_000
# The largest request body a batch may have (10,000 pretty-printed readings take about 3 MB).
MAX_BODY = 16_000_000


def _value(name: str, default: Any) -> Any:
    configured = getattr(settings, "BASTION", {}) or {}
    if name in configured:
        return configured[name]
    return os.environ.get(f"BASTION_{name}", default)


def fever_threshold() -> Decimal:
    """A reading at or above this temperature is a fever (default 37.3 °C)."""
    return Decimal(str(_value("CHECKPOINT_FEVER_THRESHOLD", "37.3")))


def duty_gap() -> dt.timedelta:
    """Shifts separated by less than this are one continuous duty (default 30 minutes)."""
    return dt.timedelta(minutes=float(_value("CHECKPOINT_DUTY_GAP_MINUTES", 30)))


def long_duty() -> dt.timedelta:
    """A continuous duty longer than this raises a warning (default 12 hours)."""
    return dt.timedelta(hours=float(_value("CHECKPOINT_LONG_DUTY_HOURS", 12)))


def clock_skew() -> dt.timedelta:
    """How far in the future a device clock may be before a reading is rejected (default 5 minutes)."""
    return dt.timedelta(seconds=float(_value("CHECKPOINT_CLOCK_SKEW_SECONDS", 300)))
