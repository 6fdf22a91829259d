"""Reversing a care payment puts the case back to approved; situations and measures configured from pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bastion.access.scope import system_scope
from bastion.care import services
from bastion.care.models import Case, Measure, Situation
from bastion.core.models import AuditEvent
from bastion.ledger import services as ledger
from bastion.ledger.models import Account, Transaction

D = dt.date(2020, 2, 10)


@pytest.fixture
def paid(care, make_user, scope_of):
    district = scope_of(make_user("district_admin", org=care.district))
    case = services.case_create(scope=system_scope(), situation=care.situation, person=care.person,
                                organization=care.community, facts="確診住院", amount="1500")
    for role, org in (("community_worker", care.community), ("street_officer", care.street)):
        case = services.case_decide(scope=scope_of(make_user(role, org=org)), case=case, approve=True)
    case = services.case_decide(scope=district, case=case, approve=True)
    return services.case_pay(scope=district, case=case, account=care.account, date=D), district


def test_reversing_a_payment_returns_the_money_and_the_case_is_approved_again(care, paid):
    case, district = paid
    payment = case.payment
    # when the district reverses the payment
    case = services.case_payment_reverse(scope=district, case=case, date=D, reason="帳戶選錯")
    # then the money is back, the case is approved and unpaid, and the record of it stays
    assert Account.objects.get(pk=care.account.pk).balance == Decimal("100000.00")
    case = Case.objects.get(pk=case.pk)
    assert case.status == "approved" and case.payment is None and case.account is None
    assert Transaction.objects.filter(reverses=payment).exists()
    assert AuditEvent.objects.filter(verb="care_case.payment_reverse").exists()
    assert case.history.filter(payment_id=payment.pk).exists()
    # and it can be paid again, once
    case = services.case_pay(scope=district, case=case, account=care.account, date=D)
    assert case.status == "paid"
    assert Account.objects.get(pk=care.account.pk).balance == Decimal("98500.00")


def test_an_unpaid_case_has_no_payment_to_reverse(care, paid):
    case, district = paid
    services.case_payment_reverse(scope=district, case=case, date=D, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.case_payment_reverse(scope=district, case=case, date=D, reason="x")
    assert "case" in exc.value.message_dict


def test_a_reversal_needs_a_reason_and_rights_over_the_paying_account(care, paid, make_user, scope_of):
    case, district = paid
    with pytest.raises(ValidationError) as exc:
        services.case_payment_reverse(scope=district, case=case, date=D, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.case_payment_reverse(scope=scope_of(make_user("community_worker", org=care.community)),
                                      case=case, date=D, reason="x")
    assert Case.objects.get(pk=case.pk).status == "paid"


def test_the_ledger_alone_refuses_to_reverse_a_care_payment(care, paid):
    case, district = paid
    with pytest.raises(ValidationError) as exc:
        ledger.transaction_reverse(scope=district, txn=case.payment, date=D, reason="x")
    assert "transaction" in exc.value.message_dict
    assert Case.objects.get(pk=case.pk).status == "paid"


def test_the_case_page_reverses_a_payment(care, paid, make_user, client_for):
    case, _district = paid
    client = client_for(make_user("district_admin", org=care.district))
    page = client.get(reverse("care:case", args=[case.pk])).content.decode()
    assert 'value="reverse_payment"' in page
    bad = client.post(reverse("care:case", args=[case.pk]), {"action": "reverse_payment", "date": "2020-02-11",
                                                            "reason": ""})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    ok = client.post(reverse("care:case", args=[case.pk]), {"action": "reverse_payment", "date": "2020-02-11",
                                                           "reason": "重複"})
    assert ok.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "approved"


def test_the_ledger_page_of_a_care_payment_points_to_the_case(care, paid, make_user, client_for):
    case, _district = paid
    client = client_for(make_user("district_admin", org=care.district))
    page = client.get(reverse("ledger:transaction", args=[case.payment_id])).content.decode()
    assert reverse("care:case", args=[case.pk]) in page
    assert 'name="reason"' not in page


def test_the_policy_page_adds_situations_and_measures(care, make_user, client_for):
    client = client_for(make_user("district_admin", org=care.district))
    url = reverse("care:policy", args=[care.policy.pk])
    response = client.post(url, {"form": "situation", "name": "因公殉職", "description": "家屬慰問",
                                 "max_amount": "50000", "order": "7"})
    assert response.status_code == 302
    s = Situation.objects.get(policy=care.policy, name="因公殉職")
    assert s.max_amount == Decimal("50000.00") and s.order == 7
    assert AuditEvent.objects.filter(verb="care_situation.create").exists()
    response = client.post(url, {"form": "measure", "name": "提供心理疏導", "kind": "general", "order": "3"})
    assert response.status_code == 302
    assert Measure.objects.filter(policy=care.policy, name="提供心理疏導").exists()
    assert "因公殉職" in client.get(url).content.decode()


@pytest.mark.parametrize(("data", "field_message"), [
    ({"form": "situation", "name": ""}, "Name the situation."),
    ({"form": "situation", "name": "確診"}, "The policy has this situation already."),
    ({"form": "situation", "name": "新情形", "max_amount": "abc"}, "Enter an amount in yuan"),
    ({"form": "situation", "name": "新情形", "order": "x"}, "Enter a whole number for the order."),
    ({"form": "measure", "name": "新措施", "kind": "nonsense"}, "Unknown kind of measure."),
])
def test_the_policy_forms_name_the_bad_field_and_write_nothing(care, make_user, client_for, data, field_message):
    client = client_for(make_user("district_admin", org=care.district))
    before = (Situation.objects.count(), Measure.objects.count())
    response = client.post(reverse("care:policy", args=[care.policy.pk]), {**data, "HTTP_ACCEPT_LANGUAGE": "en"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert (Situation.objects.count(), Measure.objects.count()) == before


def test_a_community_worker_cannot_configure_the_district_policy(care, make_user, client_for):
    client = client_for(make_user("community_worker", org=care.community))
    page = client.get(reverse("care:policy", args=[care.policy.pk])).content.decode()
    assert 'name="form"' not in page
    response = client.post(reverse("care:policy", args=[care.policy.pk]), {"form": "situation", "name": "新"})
    assert response.status_code == 403
    assert not Situation.objects.filter(name="新").exists()


def test_api_reverses_a_payment(care, paid, make_user, client_for):
    import json

    case, _district = paid
    client = client_for(make_user("district_admin", org=care.district))
    url = f"/api/care/cases/{case.pk}/payment/reverse"
    response = client.post(url, data=json.dumps({"date": "2020-02-11", "reason": "重複"}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["payment_id"] is None
    again = client.post(url, data=json.dumps({"date": "2020-02-11", "reason": "重複"}),
                        content_type="application/json")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "body.case"
    outsider = client_for(make_user("community_worker", org=care.other_community))
    assert outsider.post(url, data=json.dumps({"date": "2020-02-11", "reason": "x"}),
                         content_type="application/json").status_code == 404
