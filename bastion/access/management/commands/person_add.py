from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser

from bastion.access.management.commands._base import ServiceCommand
from bastion.access.scope import system_scope
from bastion.areas.models import Area
from bastion.people.models import PartyStatus
from bastion.people.services import person_create


class Command(ServiceCommand):
    help = "Add a person. ID number and phone are validated; the output never shows them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--area", type=int, required=True, help="id of the grid or community")
        parser.add_argument("--id-number", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--birth-date", default="", help="YYYY-MM-DD")
        parser.add_argument("--party-status", default=PartyStatus.NONE, choices=PartyStatus.values)
        parser.add_argument("--agency-cadre", default="", metavar="HOME_AGENCY")

    def run(self, **options: Any) -> str:
        area = Area.objects.filter(pk=options["area"]).first()
        if area is None:
            raise ValidationError({"area": f"no area with id {options['area']}"})
        birth = None
        if options["birth_date"]:
            try:
                birth = dt.date.fromisoformat(options["birth_date"])
            except ValueError as exc:
                raise ValidationError({"birth_date": "use the form YYYY-MM-DD"}) from exc
        person = person_create(
            scope=system_scope(),
            name=options["name"],
            area=area,
            id_number=options["id_number"],
            phone=options["phone"],
            birth_date=birth,
            party_status=options["party_status"],
            is_agency_cadre=bool(options["agency_cadre"]),
            home_agency=options["agency_cadre"],
        )
        for warning in getattr(person, "validation_warnings", []):
            self.stderr.write(f"warning: id_number: {warning}")
        return f"{person.pk}\t{person.name}"
