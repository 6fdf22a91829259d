"""`bastion demo`: migrate, load the demo district, create the demo accounts, serve."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from bastion.demo.accounts import DEMO_PASSWORD
from bastion.demo.loader import load_all


def pending_migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = (
        "Load the demo district (市南區, February 2020) and one account per role, then serve it. "
        "Running it again leaves the database as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--load-only", action="store_true", help="Load the demo data and exit; do not serve.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("BASTION_SECRET_KEY"):
            raise CommandError(
                "BASTION_SECRET_KEY is set: this looks like a production configuration. The demo creates "
                "accounts with a published password, so it only runs on a development database "
                "(unset BASTION_SECRET_KEY and set BASTION_INSECURE_DEV=1)."
            )
        if pending_migrations():
            self.stdout.write("Migrating the database…")
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the demo district…")
        accounts = load_all(log=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for account in accounts:
            self.stdout.write(f"  {account.username:<17} {account.role:<18} {account.person} @ {account.where}")
        if options["load_only"]:
            return
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("BASTION_DEBUG is off: run `bastion collectstatic` first."))
        self.stdout.write(f"Serving http://{options['addr']}/ — stop with Ctrl-C.")
        call_command("runserver", options["addr"], use_reloader=False)
