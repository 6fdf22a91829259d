"""Screening settings: each can be set in Django settings or as a BASTION_* environment variable."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return int(value)


def isolation_days() -> int:
    """The default isolation period; each case may override it (the national rules changed it later)."""
    return _int("BASTION_ISOLATION_DAYS", 14)


def checks_per_day() -> int:
    return _int("BASTION_ISOLATION_CHECKS_PER_DAY", 2)


def recent_days() -> int:
    """A screening within this many days is shown and pre-filled instead of asked again (collect once)."""
    return _int("BASTION_SCREENING_RECENT_DAYS", 14)


def travel_days() -> int:
    """Travel in the last N days is what a screening asks about."""
    return _int("BASTION_SCREENING_TRAVEL_DAYS", 14)


def self_report_max_age_days() -> int:
    return _int("BASTION_SELF_REPORT_MAX_AGE_DAYS", 30)


def self_report_rate_per_hour() -> int:
    return _int("BASTION_SELF_REPORT_RATE_PER_HOUR", 12)
