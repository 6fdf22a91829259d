"""Shared plumbing for Bastion's CLI commands: system scope, field-named errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bastion.core.errors import field_errors


class ServiceCommand(BaseCommand):
    """Runs one service; a ValidationError becomes `field: message` lines and exit code 1."""

    def handle(self, *args: Any, **options: Any) -> str | None:
        try:
            return self.run(**options)
        except ValidationError as exc:
            lines = [f"{e['field']}: {e['message']}" for e in field_errors(exc)]
            raise CommandError("\n".join(lines)) from exc
        except (PermissionDenied, ObjectDoesNotExist) as exc:
            raise CommandError(str(exc)) from exc

    def run(self, **options: Any) -> str | None:
        raise CommandError("subclasses implement run()")
