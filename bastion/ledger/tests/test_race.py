"""Twenty payments race for the same fund: its balance never goes below zero and no yuan is lost."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections

from bastion.access.scope import system_scope
from bastion.ledger import services
from bastion.ledger.models import Account, Purpose, Transaction


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_payments_never_overdraw_a_fund(orgs, dues):
    # given a street holding 1,000 yuan of allocated (ring-fenced) dues
    s = system_scope()
    services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "1000.00")], date=dt.date(2020, 2, 1))
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    purpose = Purpose.objects.get(code="prevention_supplies")
    barrier = threading.Barrier(20)
    accepted: list[Decimal] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def pay() -> None:
        try:
            account = Account.objects.get(pk=street.pk)
            barrier.wait(timeout=30)
            for _attempt in range(200):
                try:
                    services.payment_post(scope=s, account=account, amount="150.00", purpose=purpose,
                                          date=dt.date(2020, 2, 3))
                except OperationalError:  # SQLite may report the lock busy; a client retries
                    time.sleep(0.02)
                    continue
                except ValidationError as exc:
                    with lock:
                        refused.append(str(exc))
                    return
                with lock:
                    accepted.append(Decimal("150.00"))
                return
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            with lock:
                unexpected.append(exc)
        finally:
            # every alias this thread opened, or the test database cannot be dropped at teardown
            connections.close_all()

    # when twenty threads, each on its own connection, try to pay 150 yuan at once
    threads = [threading.Thread(target=pay) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a racing thread hung and still holds its connection"

    # then six payments go through, the rest are refused, and the books balance
    assert not unexpected, unexpected
    street.refresh_from_db()
    assert len(accepted) == 6 and len(refused) == 14
    assert street.balance == Decimal("100.00")
    assert sum(accepted, Decimal(0)) + street.balance == Decimal("1000.00")
    assert Transaction.objects.filter(kind="payment").count() == 6
