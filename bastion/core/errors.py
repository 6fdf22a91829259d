"""Errors raised by services and shown to users with the field they concern."""

from __future__ import annotations

from django.core.exceptions import ValidationError

__all__ = ["ValidationError", "PermissionDenied", "field_errors"]

from django.core.exceptions import PermissionDenied


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Flatten a ValidationError into [{"field": ..., "message": ...}]."""
    if hasattr(exc, "error_dict"):
        out = []
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    out.append({"field": field, "message": str(message)})
        return out
    return [{"field": "__all__", "message": str(m)} for m in exc.messages]
