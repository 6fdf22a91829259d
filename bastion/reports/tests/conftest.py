"""The demo district, loaded once for a test module and rolled back at its end (about half a minute)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from bastion.demo.loader import load_all


@pytest.fixture(scope="module")
def demo_once(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_all(log=lambda _message: None)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_once: Any, db: Any) -> None:
    """Each test runs in a savepoint inside the loaded module transaction, so it may change records."""
