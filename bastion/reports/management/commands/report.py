"""`bastion report`: the district report's figures for an area node and a period, as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from bastion.access.models import User
from bastion.access.scope import resolve_scope, system_scope
from bastion.reports.figures import report_build
from bastion.reports.selectors import ReportInputError


class Command(BaseCommand):
    help = (
        "Print the report's figures, computed from the records, for an area (code or name) and a period. "
        "Runs with the system scope unless --user is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="Area code (e.g. 370202) or name (e.g. 湛山街道); default: the top node.")
        parser.add_argument("--org", help="Report on an organisation node instead (id or name, e.g. 湛山街道黨工委).")
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD (default: the span of the records).")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD (default: the span of the records).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--user", help="Compute with this user's scope instead of the system's.")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = system_scope()
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"--user: there is no active user “{options['user']}”.")
            scope = resolve_scope(user)
            if not scope.has("reports.view"):
                raise CommandError(f"--user: “{user.username}” may not read the report.")
        try:
            report = report_build(scope=scope, area=options["area"], org=options["org"], start=options["start"],
                                  end=options["end"])
        except ReportInputError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}") from None
        except Http404:
            if options["org"]:
                raise CommandError(f"--org: there is no organisation “{options['org']}” in this scope.") from None
            raise CommandError(f"--area: there is no area “{options['area']}” in this scope.") from None
        if options["format"] == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["code", "label", "value"])
            for row in report.rows():
                writer.writerow([row.code, row.label, row.text])
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
