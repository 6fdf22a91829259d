"""Writes for care: policy configuration, cases and their approval chain, payment, measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.care.models import (
    Approval,
    Case,
    CaseStatus,
    Level,
    Measure,
    MeasureKind,
    MeasureRecord,
    Policy,
    Situation,
)
from bastion.core import audit
from bastion.ledger.models import Account, Purpose, TransactionKind
from bastion.ledger.money import to_money
from bastion.ledger.services import payment_post, transaction_reverse
from bastion.orgs.models import Organization, OrgKind
from bastion.people.models import Person

# status before a decision → (level deciding, status after approval)
CHAIN: dict[str, tuple[str, str]] = {
    CaseStatus.SUBMITTED: (Level.COMMUNITY, CaseStatus.COMMUNITY_APPROVED),
    CaseStatus.COMMUNITY_APPROVED: (Level.STREET, CaseStatus.STREET_APPROVED),
    CaseStatus.STREET_APPROVED: (Level.DISTRICT, CaseStatus.APPROVED),
}
LEVEL_KIND = {
    Level.COMMUNITY: OrgKind.COMMUNITY_COMMITTEE,
    Level.STREET: OrgKind.STREET_COMMITTEE,
    Level.DISTRICT: OrgKind.DISTRICT_COMMITTEE,
}


def level_organization(case: Case, level: str) -> Organization:
    """The committee that decides a case at a level: the case's community, its street, its district."""
    chain = [case.organization, *reversed(list(case.organization.get_ancestors()))]
    for org in chain:
        if org.kind == LEVEL_KIND[Level(level)]:
            return org
    raise ValidationError({"organization": _("No %(level)s committee above %(org)s.")
                           % {"level": Level(level).label, "org": case.organization.name}})


def _name(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def policy_ensure(*, scope: Scope, organization: Organization, name: str,
                  effective_from: dt.date | None = None) -> Policy:
    scope.require("care.change", org=organization)
    name = _name(name, "name", _("Give the policy a name."))
    policy = Policy.objects.filter(organization=organization, name=name).first()
    if policy is not None:
        return policy
    with transaction.atomic():
        policy = Policy.objects.create(organization=organization, name=name, effective_from=effective_from)
        audit.record(scope.user, "care_policy.create", policy, audit.diff({}, audit.snapshot(policy)))
    return policy


def situation_ensure(*, scope: Scope, policy: Policy, name: str, description: str = "", order: int = 0,
                     max_amount: Any = None, purpose: Purpose | None = None) -> Situation:
    scope.require("care.change", org=policy.organization)
    name = _name(name, "name", _("Name the situation."))
    existing = Situation.objects.filter(policy=policy, name=name).first()
    if existing is not None:
        return existing
    limit = to_money(max_amount, field="max_amount") if max_amount not in (None, "") else None
    with transaction.atomic():
        situation = Situation.objects.create(policy=policy, name=name, description=description, order=order,
                                             max_amount=limit, purpose=purpose)
        audit.record(scope.user, "care_situation.create", situation, audit.diff({}, audit.snapshot(situation)))
    return situation


def measure_ensure(*, scope: Scope, policy: Policy, name: str, order: int = 0,
                   kind: str = MeasureKind.GENERAL) -> Measure:
    scope.require("care.change", org=policy.organization)
    name = _name(name, "name", _("Name the measure."))
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": _("Unknown kind of measure.")})
    existing = Measure.objects.filter(policy=policy, name=name).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        measure = Measure.objects.create(policy=policy, name=name, order=order, kind=kind)
        audit.record(scope.user, "care_measure.create", measure, audit.diff({}, audit.snapshot(measure)))
    return measure


def situation_create(*, scope: Scope, policy: Policy, name: str, description: str = "", order: int = 0,
                     max_amount: Any = None, purpose: Purpose | None = None) -> Situation:
    """Add a situation to a policy (a name the policy has already is refused, unlike situation_ensure)."""
    scope.require("care.change", org=policy.organization)
    name = _name(name, "name", _("Name the situation."))
    if len(name) > 200:
        raise ValidationError({"name": _("A name has at most 200 characters.")})
    if Situation.objects.filter(policy=policy, name=name).exists():
        raise ValidationError({"name": _("The policy has this situation already.")})
    return situation_ensure(scope=scope, policy=policy, name=name, description=description, order=order,
                            max_amount=max_amount, purpose=purpose)


def measure_create(*, scope: Scope, policy: Policy, name: str, order: int = 0,
                   kind: str = MeasureKind.GENERAL) -> Measure:
    """Add a frontline measure to a policy (a name the policy has already is refused)."""
    scope.require("care.change", org=policy.organization)
    name = _name(name, "name", _("Name the measure."))
    if len(name) > 200:
        raise ValidationError({"name": _("A name has at most 200 characters.")})
    if Measure.objects.filter(policy=policy, name=name).exists():
        raise ValidationError({"name": _("The policy has this measure already.")})
    return measure_ensure(scope=scope, policy=policy, name=name, order=order, kind=kind)


def case_create(*, scope: Scope, situation: Situation, person: Person, organization: Organization, facts: str,
                amount: Any) -> Case:
    """File a case in a community; it then goes to the community, the street and the district."""
    scope.require("care.change", org=organization)
    value = to_money(amount)
    facts = _name(facts, "facts", _("Describe the facts of the case."))
    if organization.kind != OrgKind.COMMUNITY_COMMITTEE:
        raise ValidationError({"organization": _("A case is filed with a community committee.")})
    if not situation.active:
        raise ValidationError({"situation": _("This situation is no longer in the policy.")})
    if situation.max_amount is not None and value > situation.max_amount:
        raise ValidationError({"amount": _("This situation allows at most %(max)s yuan.")
                               % {"max": situation.max_amount}})
    with transaction.atomic():
        case = Case.objects.create(
            policy=situation.policy, situation=situation, person=person, organization=organization, facts=facts,
            amount=value, created_by=scope.user if getattr(scope.user, "is_authenticated", False) else None,
        )
        audit.record(scope.user, "care_case.create", case,
                     audit.diff({}, audit.snapshot(case, ["situation_id", "person_id", "organization_id", "amount"])))
    return case


def _is_own(scope: Scope, case: Case) -> bool:
    user = scope.user
    if not getattr(user, "is_authenticated", False):
        return False
    return case.created_by_id == user.pk or (user.person_id is not None and user.person_id == case.person_id)


def case_decide(*, scope: Scope, case: Case, approve: bool, comment: str = "") -> Case:
    """The next level in the chain approves or rejects, with a comment."""
    if not scope.has("care.approve"):
        scope.deny()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        if case.status not in CHAIN:
            raise ValidationError({"status": _("This case is %(status)s; there is nothing to decide.")
                                   % {"status": case.get_status_display()}})
        level, next_status = CHAIN[case.status]
        org = level_organization(case, level)
        scope.require("care.approve", org=org)
        if _is_own(scope, case):
            raise ValidationError({"case": _("You cannot decide a case you filed or that concerns you.")})
        user = scope.user if getattr(scope.user, "is_authenticated", False) else None
        if user is not None and case.approvals.filter(by=user).exists():
            raise ValidationError({"case": _("Another person must decide at the next level.")})
        comment = (comment or "").strip()
        if not approve and not comment:
            raise ValidationError({"comment": _("Say why the case is rejected.")})
        Approval.objects.create(case=case, level=level, organization=org, approved=approve, comment=comment, by=user)
        before = case.status
        case.status = next_status if approve else CaseStatus.REJECTED
        case.save(update_fields=["status", "updated_at"])
        audit.record(scope.user, "care_case.approve" if approve else "care_case.reject", case,
                     {"status": [before, case.status], "level": [None, level], "comment": [None, comment]})
    return case


def case_pay(*, scope: Scope, case: Case, account: Account, date: dt.date) -> Case:
    """Pay an approved case from a ledger account: posts a transaction; a case is paid once."""
    scope.require("care.change", org=account.organization)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("situation", "person").get(pk=case.pk)
        if case.payment_id is not None or case.status == CaseStatus.PAID:
            raise ValidationError({"case": _("This case has already been paid.")})
        if case.status != CaseStatus.APPROVED:
            raise ValidationError({"case": _("Only a case approved by the district can be paid.")})
        if not case.organization.path.startswith(account.organization.path):
            raise ValidationError({"account": _("Pay from an account of the case's community, street or district.")})
        purpose = case.situation.purpose or Purpose.objects.filter(code="hardship_aid").first()
        payment = payment_post(
            scope=scope, account=account, amount=case.amount, purpose=purpose, date=date,
            kind=TransactionKind.PAYMENT,
            memo=_("Care case #%(pk)s: %(situation)s") % {"pk": case.pk, "situation": case.situation.name},
        )
        case.payment = payment
        case.account = account
        case.status = CaseStatus.PAID
        case.save(update_fields=["payment", "account", "status", "updated_at"])
        audit.record(scope.user, "care_case.pay", case,
                     {"status": [CaseStatus.APPROVED, CaseStatus.PAID], "payment": [None, payment.pk]})
    return case


def case_payment_reverse(*, scope: Scope, case: Case, date: dt.date, reason: str) -> Case:
    """Undo a case's payment: the money goes back to the fund and the case is approved and unpaid again.

    The approvals still stand, so approved is the honest state; the reversed payment stays in the
    ledger and in the case's history.
    """
    with transaction.atomic():
        # The case first, then (inside the ledger) the transaction and the accounts: the order case_pay uses.
        case = Case.objects.select_for_update(of=("self",)).select_related("account__organization", "payment").get(
            pk=case.pk
        )
        if case.status != CaseStatus.PAID or case.payment is None or case.account is None:
            raise ValidationError({"case": _("This case has not been paid; there is no payment to reverse.")})
        scope.require("care.change", org=case.account.organization)
        payment = case.payment
        reversal = transaction_reverse(scope=scope, txn=payment, date=date, reason=reason, via=case)
        case.payment = None
        case.account = None
        case.status = CaseStatus.APPROVED
        case.save(update_fields=["payment", "account", "status", "updated_at"])
        audit.record(scope.user, "care_case.payment_reverse", case,
                     {"status": [CaseStatus.PAID, CaseStatus.APPROVED], "payment": [payment.pk, None],
                      "reversal": [None, reversal.pk]})
    return case


def measure_record(
    *, scope: Scope, person: Person, measure: Measure, done_on: dt.date, note: str = ""
) -> MeasureRecord:
    """Record that a measure was carried out for a cadre (e.g. rest after a long duty)."""
    if not scope.has("care.change"):
        scope.deny()
    scope.require("care.change", person=person)
    if not isinstance(done_on, dt.date):
        raise ValidationError({"done_on": _("Give the date.")})
    with transaction.atomic():
        record = MeasureRecord.objects.create(
            person=person, measure=measure, done_on=done_on, note=(note or "").strip()[:300],
            recorded_by=scope.user if getattr(scope.user, "is_authenticated", False) else None,
        )
        audit.record(scope.user, "care_measure.record", record, audit.diff({}, audit.snapshot(record)))
    return record
