"""Coverage settings: each can be set in Django settings or as a BASTION_* environment variable."""

from __future__ import annotations

import os

from django.conf import settings


def max_households() -> int:
    """A member responsible for more households than this is flagged on the coverage page."""
    value = getattr(settings, "BASTION_COVERAGE_MAX_HOUSEHOLDS", None)
    if value is None:
        value = os.environ.get("BASTION_COVERAGE_MAX_HOUSEHOLDS") or 50
    return int(value)
