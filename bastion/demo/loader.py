"""Runs every app's demo loader, in DEMO_APPS order, inside one transaction."""

from __future__ import annotations

import time
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.db import transaction

from bastion.demo.accounts import DEMO_PASSWORD, DemoAccount, ensure_accounts
from bastion.demo.context import DEMO_APPS, DemoContext


def loader_module(app: str) -> ModuleType | None:
    """bastion/demo/demo.py for the spine, bastion/<app>/demo.py for the others, if present."""
    name = f"bastion.{app}.demo"
    if find_spec(f"bastion.{app}") is None or find_spec(name) is None:
        return None
    return import_module(name)


def load_all(*, log: Any = print, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    ctx = DemoContext(log=log)
    with transaction.atomic():
        for app in DEMO_APPS:
            module = loader_module(app)
            if module is None:
                continue
            started = time.monotonic()
            module.load(ctx)
            log(f"{app}: loaded in {time.monotonic() - started:.1f} s")
        return ensure_accounts(ctx, password=password)
