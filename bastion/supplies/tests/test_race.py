"""Twenty distributions race for the same stock: it never goes below zero and none is lost."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from bastion.access.scope import system_scope
from bastion.supplies import services
from bastion.supplies.models import Distribution, Purchase, Stock


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_distributions_never_overdraw_the_stock(setup, buy):
    # given 20 barrels (40 kg) of alcohol in the warehouse
    purchase = buy(containers=20)
    initial = Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity
    assert initial == Decimal("40.000")
    recipients = [*setup.communities, setup.police]
    barrier = threading.Barrier(20)
    accepted: list[Decimal] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def take(i: int) -> None:
        try:
            lot = Purchase.objects.get(pk=purchase.pk)
            barrier.wait(timeout=30)
            for _attempt in range(200):
                try:
                    d = services.distribution_create(
                        scope=system_scope(), purchase=lot, recipient=recipients[i % 3], containers=3,
                        method="central_pickup", use="residential_compounds", date=dt.date(2020, 2, 5),
                    )
                except OperationalError:  # SQLite may report the lock busy; a client retries
                    time.sleep(0.02)
                    continue
                except ValidationError as exc:
                    with lock:
                        refused.append(str(exc))
                    return
                with lock:
                    accepted.append(d.quantity)
                return
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            with lock:
                unexpected.append(exc)
        finally:
            connection.close()

    # when twenty threads, each on its own connection, ask for 3 barrels (6 kg) at once
    threads = [threading.Thread(target=take, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # then six are served, fourteen refused, the stock is 4 kg and nothing is lost
    assert not unexpected, unexpected
    assert len(accepted) + len(refused) == 20
    final = Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity
    assert final >= 0
    assert sum(accepted, Decimal(0)) + final == initial
    assert len(accepted) == 6 and final == Decimal("4.000")
    assert Distribution.objects.count() == 6
    assert Purchase.objects.get(pk=purchase.pk).remaining == final
