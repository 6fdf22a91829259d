"""Twenty distributions race for the same stock: it never goes below zero and none is lost."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections

from bastion.access.scope import system_scope
from bastion.ledger.models import Transaction
from bastion.supplies import services
from bastion.supplies.models import Distribution, Purchase, ReceivedLot, Stock


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
            # every alias this thread opened, or the test database cannot be dropped at teardown
            connections.close_all()

    # when twenty threads, each on its own connection, ask for 3 barrels (6 kg) at once
    threads = [threading.Thread(target=take, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a racing thread hung and still holds its connection"

    # then six are served, fourteen refused, the stock is 4 kg and nothing is lost
    assert not unexpected, unexpected
    assert len(accepted) + len(refused) == 20
    final = Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity
    assert final >= 0
    assert sum(accepted, Decimal(0)) + final == initial
    assert len(accepted) == 6 and final == Decimal("4.000")
    assert Distribution.objects.count() == 6
    assert Purchase.objects.get(pk=purchase.pk).remaining == final


def _race(n: int, work) -> tuple[list, list, list]:
    """Run work(i) in n threads started together, each on its own connection; retry SQLite's busy lock."""
    barrier = threading.Barrier(n)
    accepted: list = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for _attempt in range(200):
                try:
                    result = work(i)
                except OperationalError:
                    time.sleep(0.02)
                    continue
                except ValidationError as exc:
                    with lock:
                        refused.append(str(exc))
                    return
                with lock:
                    accepted.append(result)
                return
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            with lock:
                unexpected.append(exc)
        finally:
            # every alias this thread opened, or the test database cannot be dropped at teardown
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a racing thread hung and still holds its connection"
    return accepted, refused, unexpected


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_onward_distributions_never_overdraw_a_received_lot(setup, buy, district):
    # given a community that signed for 20 barrels (40 kg) into its store room
    store = services.location_ensure(scope=system_scope(), organization=setup.communities[0], name="物資室")
    first = services.distribution_create(
        scope=system_scope(), purchase=buy(containers=100), recipient=setup.communities[0], containers=20,
        method="dedicated_vehicle", use="residential_compounds", date=dt.date(2020, 2, 4), signer_name="甲",
    )
    lot = ReceivedLot.objects.get(distribution=first)
    grids = district.pioneer_branches[:2]

    # when twenty threads each give 3 barrels (6 kg) on to a grid at once
    def give(i: int) -> Decimal:
        d = services.distribution_create(
            scope=system_scope(), lot=ReceivedLot.objects.get(pk=lot.pk), recipient=grids[i % 2], containers=3,
            method="central_pickup", use="residential_compounds", date=dt.date(2020, 2, 5),
        )
        return d.quantity

    accepted, refused, unexpected = _race(20, give)

    # then six are served, fourteen refused, and the store and the lot agree at 4 kg
    assert not unexpected, unexpected
    assert len(accepted) == 6 and len(refused) == 14
    assert Stock.objects.get(item=setup.alcohol, location=store).quantity == Decimal("4.000")
    assert ReceivedLot.objects.get(pk=lot.pk).remaining == Decimal("4.000")
    assert Distribution.objects.filter(source=lot).count() == 6
    # and the street's warehouse was not touched by the onward hop
    assert Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity == Decimal("160.000")


@pytest.mark.django_db(transaction=True)
def test_a_reversal_racing_distributions_never_leaves_money_and_stock_apart(setup, buy):
    # given an untouched purchase of 10 barrels (20 kg)
    purchase = buy(containers=10, amount="600")

    # when one thread reverses it while five others each give a barrel away
    def act(i: int) -> str:
        lot = Purchase.objects.get(pk=purchase.pk)
        if i == 0:
            services.purchase_reverse(scope=system_scope(), purchase=lot, date=dt.date(2020, 2, 5), reason="錯錄")
            return "reversed"
        services.distribution_create(scope=system_scope(), purchase=lot, recipient=setup.police, containers=1,
                                     method="central_pickup", use="checkpoints", date=dt.date(2020, 2, 5))
        return "given"

    accepted, _refused, unexpected = _race(6, act)

    # then either the reversal won and nothing was given, or it was refused and the money stayed spent
    assert not unexpected, unexpected
    stock = Stock.objects.get(item=setup.alcohol, location=setup.warehouse).quantity
    given = Distribution.objects.filter(purchase=purchase).count()
    reversed_ = Transaction.objects.filter(reverses=purchase.payment).exists()
    if "reversed" in accepted:
        assert given == 0 and stock == 0 and reversed_
    else:
        assert not reversed_ and stock == Decimal("20.000") - 2 * given
        assert given == accepted.count("given")
    assert Purchase.objects.get(pk=purchase.pk).remaining == stock
