"""What every app's demo loader receives.

Each app may provide `bastion/<app>/demo.py` with `def load(ctx: DemoContext) -> None`.
Loaders run in DEMO_APPS order, inside one transaction, with the system scope. A loader
must be idempotent: run twice, the database is the same (look records up by natural keys
before creating them).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from bastion.access.scope import Scope, system_scope

# The period of the seed report.
PERIOD_START = dt.date(2020, 1, 24)
PERIOD_END = dt.date(2020, 2, 16)

DEMO_APPS = ["demo", "coverage", "screening", "checkpoints", "orglife", "ledger", "supplies", "care"]


@dataclass
class DemoContext:
    scope: Scope = field(default_factory=system_scope)
    # Seeded so that two runs make the same choices.
    rng: random.Random = field(default_factory=lambda: random.Random(370202))  # noqa: S311 - not crypto
    period_start: dt.date = PERIOD_START
    period_end: dt.date = PERIOD_END
    log: Any = print

    def area(self, name: str) -> Any:
        from bastion.areas.models import Area

        return Area.objects.get(name=name)

    def org(self, name: str) -> Any:
        from bastion.orgs.models import Organization

        return Organization.objects.get(name=name)

    def person(self, name: str) -> Any:
        from bastion.people.models import Person

        return Person.objects.get(name=name)
