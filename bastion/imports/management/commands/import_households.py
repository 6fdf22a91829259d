"""`bastion import_households FILE --user NAME [--dry-run]`: the web import from a terminal.

Prints every problem as `row N, column: message` (the same as the preview page) and the counts.
Without --dry-run a file without problems is kept as an import batch and imported in one
transaction; with problems nothing is written and the exit code is 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bastion.access.models import User
from bastion.access.scope import resolve_scope
from bastion.core.errors import field_errors
from bastion.imports import services
from bastion.imports.models import BatchStatus


class Command(BaseCommand):
    help = "Import a household registry (.xlsx or .csv) as the given user; --dry-run only checks it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="user name whose grants decide which grids may be written")
        parser.add_argument("--dry-run", action="store_true", help="check the file and print the result; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"file: {exc.strerror}: {path}") from exc
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"user: no active user named {options['user']!r}")
        scope = resolve_scope(user)
        try:
            if options["dry_run"]:
                outcome = services.households_check(scope=scope, file_name=path.name, content=content)
                issues = [i.as_dict() for i in outcome.issues]
                warnings = [i.as_dict() for i in outcome.warnings]
                counts = outcome.counts
                status = "checked"
            else:
                batch = services.batch_upload(scope=scope, file_name=path.name, content=content)
                if batch.status == BatchStatus.READY:
                    batch = services.batch_confirm(scope=scope, batch=batch)
                issues, warnings, status = batch.errors, batch.warnings, batch.status
                counts = {k: getattr(batch, k) for k in services.Outcome().counts}
        except ValidationError as exc:
            raise CommandError("\n".join(f"{e['field']}: {e['message']}" for e in field_errors(exc))) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "permission denied") from exc
        for w in warnings:
            self.stderr.write(f"warning: row {w['row']}, {w['column']}: {w['message']}")
        for e in issues:
            self.stderr.write(f"row {e['row']}, {e['column']}: {e['message']}")
        self.stdout.write(status + " " + " ".join(f"{k}={v}" for k, v in counts.items()))
        if issues:
            raise CommandError(f"{len(issues)} problem(s); nothing was imported")
