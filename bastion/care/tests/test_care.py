from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.care import selectors, services
from bastion.care.models import Approval, Case
from bastion.ledger.models import Transaction

D = dt.date(2020, 2, 10)


@pytest.fixture
def approvers(care, make_user, scope_of):
    return {
        "community": scope_of(make_user("community_worker", org=care.community)),
        "street": scope_of(make_user("street_officer", org=care.street)),
        "district": scope_of(make_user("district_admin", org=care.district)),
    }


def file_case(care, scope=None, amount="1500"):
    return services.case_create(scope=scope or system_scope(), situation=care.situation, person=care.person,
                                organization=care.community, facts="確診住院", amount=amount)


def test_a_case_climbs_community_street_district_and_is_paid_once(care, approvers):
    # given a case filed in a community
    case = file_case(care)
    # when community, street and district each approve with a comment
    for level in ("community", "street", "district"):
        case = services.case_decide(scope=approvers[level], case=case, approve=True, comment=f"{level} ok")
    assert case.status == "approved"
    assert list(Approval.objects.filter(case=case).values_list("level", "comment")) == [
        ("community", "community ok"), ("street", "street ok"), ("district", "district ok")
    ]
    # then the district pays it from the ledger
    case = services.case_pay(scope=approvers["district"], case=case, account=care.account, date=D)
    assert case.status == "paid"
    assert case.payment.kind == "payment"
    assert case.payment.purpose.code == "hardship_aid"
    care.account.refresh_from_db()
    assert care.account.balance == Decimal("98500.00")
    # and a second payment is refused, with nothing written
    count = Transaction.objects.count()
    with pytest.raises(ValidationError) as err:
        services.case_pay(scope=approvers["district"], case=case, account=care.account, date=D)
    assert "case" in err.value.message_dict
    assert Transaction.objects.count() == count


def test_a_community_cannot_decide_at_street_level(care, approvers):
    case = services.case_decide(scope=approvers["community"], case=file_case(care), approve=True)
    with pytest.raises(PermissionDenied):
        services.case_decide(scope=approvers["community"], case=case, approve=True)
    assert Case.objects.get(pk=case.pk).status == "community_approved"


def test_nobody_approves_their_own_case(care, make_user, scope_of):
    user = make_user("community_worker", org=care.community)
    scope = scope_of(user)
    case = file_case(care, scope=scope)
    with pytest.raises(ValidationError) as err:
        services.case_decide(scope=scope, case=case, approve=True)
    assert "case" in err.value.message_dict
    assert not Approval.objects.exists()


def test_the_person_concerned_cannot_approve_their_case(care, make_user, scope_of):
    scope = scope_of(make_user("street_officer", org=care.street, person=care.person))
    case = services.case_decide(scope=system_scope(), case=file_case(care), approve=True)
    with pytest.raises(ValidationError):
        services.case_decide(scope=scope, case=case, approve=True)


def test_a_rejection_needs_a_reason_and_ends_the_case(care, approvers):
    case = file_case(care)
    with pytest.raises(ValidationError) as err:
        services.case_decide(scope=approvers["community"], case=case, approve=False)
    assert "comment" in err.value.message_dict
    case = services.case_decide(scope=approvers["community"], case=case, approve=False, comment="不符合條件")
    assert case.status == "rejected"
    with pytest.raises(ValidationError):
        services.case_pay(scope=approvers["district"], case=case, account=care.account, date=D)
    with pytest.raises(ValidationError):
        services.case_decide(scope=approvers["street"], case=case, approve=True)


def test_unpaid_and_over_limit_cases_are_refused(care, approvers):
    with pytest.raises(ValidationError) as err:
        file_case(care, amount="2000.01")
    assert "amount" in err.value.message_dict
    with pytest.raises(ValidationError):
        file_case(care, amount="0")
    case = file_case(care)
    with pytest.raises(ValidationError):
        services.case_pay(scope=approvers["district"], case=case, account=care.account, date=D)


def test_a_community_sees_its_own_cases_only(care, approvers, make_user, scope_of):
    mine = file_case(care)
    services.case_create(scope=system_scope(), situation=care.situation, person=care.person,
                         organization=care.other_community, facts="x", amount="10")
    assert list(selectors.case_list(scope=approvers["community"])) == [mine]
    assert selectors.case_list(scope=approvers["street"]).count() == 1
    assert selectors.case_list(scope=approvers["district"]).count() == 2


def test_figures_count_the_policy_situations_and_measures(care):
    assert selectors.care_figures(scope=system_scope()) == {"situations": 2, "frontline_measures": 2}


def test_rest_after_long_duty_is_reminded_from_checkpoint_warnings(care, monkeypatch):
    # given the checkpoint app warns that the cadre worked 19 hours in a row, ending on 10 Feb
    end = dt.datetime(2020, 2, 10, 8, 0, tzinfo=timezone.get_current_timezone())
    warning = SimpleNamespace(person=care.person, site=None, start=end - dt.timedelta(hours=19), end=end,
                              hours=Decimal("19.0"))
    monkeypatch.setattr("bastion.checkpoints.selectors.duty_warning_list", lambda *, scope, since=None: [warning])
    s = system_scope()
    # then the rest measure is due on the checklist and reminded
    reminders = selectors.rest_reminders(scope=s)
    assert [(r.person, r.hours) for r in reminders] == [(care.person, Decimal("19.0"))]
    rows = {r.measure.name: r.due for r in selectors.cadre_checklist(scope=s, person=care.person)}
    assert rows["長時間連續值守後安排輪休"] is True
    # when rest is recorded the day after
    services.measure_record(scope=s, person=care.person, measure=care.rest, done_on=dt.date(2020, 2, 11))
    # then the reminder is gone
    assert selectors.rest_reminders(scope=s) == []
    rows = {r.measure.name: r.due for r in selectors.cadre_checklist(scope=s, person=care.person)}
    assert rows["長時間連續值守後安排輪休"] is False


def test_real_checkpoint_warnings_drive_the_rest_reminder(care):
    # given a duty warning stored by the checkpoints app for the cadre
    from bastion.areas.models import Area
    from bastion.areas.services import area_create
    from bastion.checkpoints.models import DutyWarning

    site = area_create(scope=system_scope(), name="青島火車站", kind="site", site_type="station",
                       parent=Area.objects.get(name="市南區"))
    end = dt.datetime(2020, 1, 29, 3, 0, tzinfo=timezone.get_current_timezone())
    DutyWarning.objects.create(person=care.person, site=site, start=end - dt.timedelta(hours=19), end=end,
                               hours=Decimal("19.0"))
    s = system_scope()
    # then the cadre is reminded, and the checklist shows rest as due
    assert [r.person for r in selectors.rest_reminders(scope=s)] == [care.person]
    due = {r.measure.pk: r.due for r in selectors.cadre_checklist(scope=s, person=care.person)}
    assert due[care.rest.pk] is True
