from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.ledger import selectors, services
from bastion.ledger.models import Account, DuesReceipt, Entry, Purpose, Transaction

FEB1 = dt.date(2020, 2, 1)


def test_allocation_moves_money_down_ring_fenced_and_counts_as_allocated(orgs, dues):
    # given the district's dues fund with 500,000 yuan
    s = system_scope()
    # when it allocates the first 300,000 yuan tranche to two streets
    txn = services.allocation_post(
        scope=s, source=dues, targets=[(orgs["street"], "180000"), (orgs["other_street"], "120000.00")],
        date=FEB1, memo="first tranche",
    )
    # then the entries sum to zero, the streets hold ring-fenced money and the figure is 300000.00
    assert sum(e.amount for e in txn.entries.all()) == 0
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    assert street.balance == Decimal("180000.00")
    assert set(street.allowed_purposes.values_list("code", flat=True)) == {
        "prevention_supplies", "frontline_visits", "hardship_aid"
    }
    dues.refresh_from_db()
    assert dues.balance == Decimal("200000.00")
    assert str(selectors.funds_allocated(scope=s, start=dt.date(2020, 1, 24), end=dt.date(2020, 2, 16))) == "300000.00"
    assert AuditEvent.objects.filter(verb="transaction.allocation", object_id=str(txn.pk)).exists()


def test_overspending_is_refused_and_nothing_is_written(orgs, dues):
    s = system_scope()
    before = (Transaction.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationError) as err:
        services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "500000.01")], date=FEB1)
    assert "amount" in err.value.message_dict
    assert (Transaction.objects.count(), Entry.objects.count()) == before
    dues.refresh_from_db()
    assert dues.balance == Decimal("500000.00")


def test_database_refuses_a_negative_fund_balance(orgs, dues):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=dues.pk).update(balance=Decimal("-0.01"))


def test_allocation_only_goes_down_the_tree(orgs, dues):
    s = system_scope()
    street_fund = services.account_ensure(scope=s, organization=orgs["street"], fund_source="donation")
    services.receipt_post(scope=s, account=street_fund, amount="10", date=FEB1)
    with pytest.raises(ValidationError) as err:
        services.allocation_post(scope=s, source=street_fund, targets=[(orgs["other_community"], "5")], date=FEB1)
    assert "targets.0.organization" in err.value.message_dict


def test_ring_fenced_money_is_spent_only_on_an_allowed_purpose(orgs, dues):
    # given a street holding allocated dues
    s = system_scope()
    services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "1000")], date=FEB1)
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    banquet = Purpose.objects.create(code="banquet", name="Banquet")
    # when it spends on a purpose the fence does not allow, or on none
    for purpose in (banquet, None):
        with pytest.raises(ValidationError) as err:
            services.payment_post(scope=s, account=street, amount="100", purpose=purpose, date=FEB1)
        assert "purpose" in err.value.message_dict
    # then nothing left; an allowed purpose goes through
    services.payment_post(
        scope=s, account=street, amount="100", purpose=Purpose.objects.get(code="prevention_supplies"), date=FEB1
    )
    street.refresh_from_db()
    assert street.balance == Decimal("900.00")


def test_ring_fenced_money_may_be_passed_further_down_still_fenced(orgs, dues):
    s = system_scope()
    services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "1000")], date=FEB1)
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    services.account_set_purposes(scope=s, account=street, purposes=Purpose.objects.filter(code="hardship_aid"))
    services.allocation_post(scope=s, source=street, targets=[(orgs["community"], "400")], date=FEB1)
    community = Account.objects.get(organization=orgs["community"], ring_fenced=True)
    assert community.balance == Decimal("400.00")
    assert list(community.allowed_purposes.values_list("code", flat=True)) == ["hardship_aid"]


def test_amounts_must_be_positive_and_in_fen(orgs, dues):
    s = system_scope()
    for bad in ("0", "-5", "1.005", "abc", None):
        with pytest.raises(ValidationError):
            services.receipt_post(scope=s, account=dues, amount=bad, date=FEB1)


def test_a_correction_is_a_reversal_and_only_one(orgs, dues):
    s = system_scope()
    txn = services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "1000")], date=FEB1)
    reversal = services.transaction_reverse(scope=s, txn=txn, date=dt.date(2020, 2, 2), reason="wrong street")
    dues.refresh_from_db()
    assert dues.balance == Decimal("500000.00")
    assert reversal.reverses == txn
    assert Entry.objects.filter(transaction=txn).count() == 2  # the original is untouched
    assert selectors.funds_allocated(scope=s) == Decimal("0.00")
    with pytest.raises(ValidationError):
        services.transaction_reverse(scope=s, txn=txn, date=dt.date(2020, 2, 2), reason="again")
    with pytest.raises(ValidationError):
        services.transaction_reverse(scope=s, txn=reversal, date=dt.date(2020, 2, 2), reason="undo")


def test_reversal_cannot_take_back_money_already_spent(orgs, dues):
    s = system_scope()
    txn = services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "1000")], date=FEB1)
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    services.payment_post(
        scope=s, account=street, amount="600", purpose=Purpose.objects.get(code="prevention_supplies"), date=FEB1
    )
    with pytest.raises(ValidationError):
        services.transaction_reverse(scope=s, txn=txn, date=FEB1, reason="too late")


def test_special_dues_get_a_receipt_per_payer_in_their_own_fund(orgs):
    s = system_scope()
    first = services.special_dues_receive(
        scope=s, organization=orgs["community"], payer_name="王嵩", amount="1000", date=dt.date(2020, 2, 3)
    )
    second = services.special_dues_receive(
        scope=s, organization=orgs["community"], payer_name="董彰", amount="500.50", date=dt.date(2020, 2, 4)
    )
    assert first.number != second.number
    assert DuesReceipt.objects.filter(organization=orgs["community"]).count() == 2
    fund = Account.objects.get(organization=orgs["community"], fund_source="special_dues", kind="fund")
    assert fund.balance == Decimal("1500.50")
    assert not fund.ring_fenced
    with pytest.raises(ValidationError) as err:
        services.special_dues_receive(scope=s, organization=orgs["community"], payer_name=" ", amount="1", date=FEB1)
    assert "payer_name" in err.value.message_dict


def test_statement_balances_to_the_fen(orgs, dues):
    # given receipts and spending across two months
    s = system_scope()
    services.allocation_post(scope=s, source=dues, targets=[(orgs["street"], "1000.10")], date=FEB1)
    street = Account.objects.get(organization=orgs["street"], ring_fenced=True)
    supplies = Purpose.objects.get(code="prevention_supplies")
    services.payment_post(scope=s, account=street, amount="0.07", purpose=supplies, date=dt.date(2020, 2, 5))
    services.payment_post(scope=s, account=street, amount="333.33", purpose=supplies, date=dt.date(2020, 3, 2))
    # when a statement for February is drawn
    st = selectors.account_statement(scope=s, account=street, start=FEB1, end=dt.date(2020, 2, 29))
    # then opening + in - out = closing, and March continues from February's closing
    assert (st.opening, st.total_in, st.total_out, st.closing) == (
        Decimal("0"), Decimal("1000.10"), Decimal("0.07"), Decimal("1000.03")
    )
    assert st.lines[-1].balance == st.closing
    march = selectors.account_statement(scope=s, account=street, start=dt.date(2020, 3, 1), end=dt.date(2020, 3, 31))
    assert march.opening == st.closing
    street.refresh_from_db()
    assert march.closing == street.balance == Decimal("666.70")


def test_a_community_sees_its_own_accounts_not_its_neighbours(orgs, dues, make_user, scope_of):
    s = system_scope()
    services.allocation_post(
        scope=s, source=dues, targets=[(orgs["community"], "10"), (orgs["other_community"], "20")], date=FEB1
    )
    scope = scope_of(make_user("community_worker", org=orgs["community"]))
    assert [a.organization for a in selectors.account_list(scope=scope)] == [orgs["community"]]
    assert str(selectors.funds_allocated(scope=scope)) == "0.00"
    with pytest.raises(PermissionDenied):
        services.allocation_post(scope=scope, source=dues, targets=[(orgs["community"], "1")], date=FEB1)


def test_auditor_reads_but_cannot_post(orgs, dues, make_user, scope_of):
    scope = scope_of(make_user("auditor", org=orgs["district"]))
    assert dues in selectors.account_list(scope=scope)
    with pytest.raises(PermissionDenied):
        services.receipt_post(scope=scope, account=dues, amount="1", date=FEB1)


def test_a_posted_transaction_cannot_be_edited_or_deleted(orgs, dues):
    txn = Transaction.objects.filter(kind="receipt").first()
    txn.memo = "changed"
    with pytest.raises(PermissionDenied):
        txn.save()
    with pytest.raises(PermissionDenied):
        txn.entries.first().delete()
    with pytest.raises(PermissionDenied):
        txn.delete()
    assert Transaction.objects.get(pk=txn.pk).memo == "dues"
