from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser

from bastion.access.management.commands._base import ServiceCommand
from bastion.access.scope import system_scope
from bastion.areas.models import Area, AreaKind
from bastion.areas.services import area_create


class Command(ServiceCommand):
    help = "Add an area (district, street, community, grid or site) to the area tree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=AreaKind.values)
        parser.add_argument("--parent", type=int, help="id of the parent area")
        parser.add_argument("--code", default="")
        parser.add_argument("--code-year", type=int)
        parser.add_argument("--site-type", default="")

    def run(self, **options: Any) -> str:
        parent = None
        if options["parent"] is not None:
            parent = Area.objects.filter(pk=options["parent"]).first()
            if parent is None:
                raise ValidationError({"parent": f"no area with id {options['parent']}"})
        area = area_create(
            scope=system_scope(),
            name=options["name"],
            kind=options["kind"],
            parent=parent,
            code=options["code"],
            code_year=options["code_year"],
            site_type=options["site_type"],
        )
        return f"{area.pk}\t{area.name}"
