"""Limits of an upload, from settings (BASTION_IMPORT_MAX_ROWS, BASTION_IMPORT_MAX_BYTES)."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def max_rows() -> int:
    """Data rows one web upload may hold: about 1 ms a row (bench/imports.py), so a whole community's registry
    is checked or confirmed well inside gunicorn's 30 s request timeout."""
    return _int("BASTION_IMPORT_MAX_ROWS", 10000)


def max_bytes() -> int:
    return _int("BASTION_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
