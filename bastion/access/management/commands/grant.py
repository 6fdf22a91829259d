from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.db import transaction

from bastion.access.management.commands._base import ServiceCommand
from bastion.access.models import Role, User
from bastion.access.scope import system_scope
from bastion.access.services import grant_create, user_create
from bastion.areas.models import Area
from bastion.orgs.models import Organization
from bastion.people.models import Person


class Command(ServiceCommand):
    help = "Give a user a role over an area subtree or an organisation subtree (creating the user if asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--area", type=int, help="id of the area")
        target.add_argument("--org", type=int, help="id of the organisation")
        parser.add_argument("--create", action="store_true", help="create the user (unusable password) if missing")
        parser.add_argument(
            "--person", type=int,
            help="with --create: id of the person the account belongs to (a generated password is printed once)",
        )

    def run(self, **options: Any) -> str:
        with transaction.atomic():
            user = User.objects.filter(username=options["username"]).first()
            password = None
            if options["person"] is not None and (user is not None or not options["create"]):
                raise ValidationError({"person": "--person links a new account only (with --create)"})
            if user is None:
                if not options["create"]:
                    raise ValidationError({"username": "no such user (add --create to create it)"})
                if options["person"] is None:
                    user = User.objects.create_user(username=options["username"])
                else:
                    # The same service as the accounts page: one account per person, password
                    # validators, an audit event.
                    person = Person.objects.filter(pk=options["person"]).first()
                    if person is None:
                        raise ValidationError({"person": f"no person with id {options['person']}"})
                    user, password = user_create(
                        scope=system_scope(), actor=None, person=person, username=options["username"]
                    )
            area = org = None
            if options["area"] is not None:
                area = Area.objects.filter(pk=options["area"]).first()
                if area is None:
                    raise ValidationError({"area": f"no area with id {options['area']}"})
            else:
                org = Organization.objects.filter(pk=options["org"]).first()
                if org is None:
                    raise ValidationError({"org": f"no organisation with id {options['org']}"})
            grant = grant_create(actor=None, user=user, role=options["role"], area=area, organization=org)
        if password:
            note = "initial password (shown once; change it with `bastion changepassword`)"
            return f"{grant.pk}\t{grant}\n{note}: {password}"
        return f"{grant.pk}\t{grant}"
