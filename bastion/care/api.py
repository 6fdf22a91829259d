"""Care over JSON: the policy, cases and their approval chain, payment, cadre checklists, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.care import selectors, services
from bastion.care.models import Case, CaseStatus, Measure, MeasureKind, MeasureRecord, Policy, Situation
from bastion.ledger.models import Account, AccountKind
from bastion.ledger.money import fmt
from bastion.orgs.models import Organization
from bastion.people.models import Person

router = Router(tags=["care"])


class SituationOut(Schema):
    id: int
    order: int
    name: str
    description: str
    max_amount: str | None

    @staticmethod
    def resolve_max_amount(obj: Any) -> str | None:
        return fmt(obj.max_amount) if obj.max_amount is not None else None


class MeasureOut(Schema):
    id: int
    order: int
    name: str
    kind: str


class PolicyOut(Schema):
    id: int
    name: str
    organization_id: int
    effective_from: dt.date | None
    situations: list[SituationOut]
    measures: list[MeasureOut]

    @staticmethod
    def resolve_situations(obj: Policy) -> list[Any]:
        return list(obj.situations.filter(active=True).order_by("order", "pk"))

    @staticmethod
    def resolve_measures(obj: Policy) -> list[Any]:
        return list(obj.measures.filter(active=True).order_by("order", "pk"))


class ApprovalOut(Schema):
    level: str
    organization_id: int
    approved: bool
    comment: str
    at: dt.datetime


class CaseOut(Schema):
    id: int
    situation_id: int
    situation: str
    person_id: int
    person: str
    organization_id: int
    facts: str
    amount: str
    status: CaseStatus
    payment_id: int | None
    approvals: list[ApprovalOut]

    @staticmethod
    def resolve_situation(obj: Case) -> str:
        return obj.situation.name

    @staticmethod
    def resolve_person(obj: Case) -> str:
        return obj.person.name

    @staticmethod
    def resolve_amount(obj: Case) -> str:
        return fmt(obj.amount)

    @staticmethod
    def resolve_approvals(obj: Case) -> list[Any]:
        return list(obj.approvals.all())


class CaseIn(Schema):
    situation_id: int
    person_id: int
    organization_id: int
    facts: str
    amount: str


class DecisionIn(Schema):
    approve: bool
    comment: str = ""


class PayIn(Schema):
    account_id: int
    date: dt.date


class ChecklistRowOut(Schema):
    measure_id: int
    measure: str
    kind: str
    last_done: dt.date | None
    due: bool


class MeasureRecordIn(Schema):
    measure_id: int
    done_on: dt.date
    note: str = ""


class MeasureRecordOut(Schema):
    id: int
    person_id: int
    measure_id: int
    done_on: dt.date
    note: str


class ReminderOut(Schema):
    person_id: int
    person: str
    site: str | None
    start: dt.datetime
    end: dt.datetime
    hours: str
    measure_id: int


class SituationIn(Schema):
    name: str
    description: str = ""
    order: int = 0
    max_amount: str | None = None


class MeasureIn(Schema):
    name: str
    order: int = 0
    kind: MeasureKind = MeasureKind.GENERAL


class FiguresOut(Schema):
    situations: int
    frontline_measures: int


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


@router.get("/policies", response=list[PolicyOut])
@scoped("care.view", api=True)
@paginate(LimitOffsetPagination)
def list_policies(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.policy_list(scope=_scope(request))


@router.get("/policies/{policy_id}", response=PolicyOut)
@scoped("care.view", api=True)
def get_policy(request: HttpRequest, policy_id: int) -> Policy:
    return selectors.policy_get(scope=_scope(request), pk=policy_id)


@router.post("/policies/{policy_id}/situations", response={201: SituationOut})
@scoped("care.change", api=True)
def add_situation(request: HttpRequest, policy_id: int, payload: SituationIn) -> Status[Situation]:
    """Configure the policy: a situation in which a subsidy is granted."""
    policy = selectors.policy_get(scope=_scope(request), pk=policy_id)
    return Status(201, services.situation_ensure(scope=_scope(request), policy=policy, name=payload.name,
                                                 description=payload.description, order=payload.order,
                                                 max_amount=payload.max_amount))


@router.post("/policies/{policy_id}/measures", response={201: MeasureOut})
@scoped("care.change", api=True)
def add_measure(request: HttpRequest, policy_id: int, payload: MeasureIn) -> Status[Measure]:
    """Configure the policy: a measure for frontline cadres (kind rest_after_duty is reminded after long duty)."""
    policy = selectors.policy_get(scope=_scope(request), pk=policy_id)
    return Status(201, services.measure_ensure(scope=_scope(request), policy=policy, name=payload.name,
                                               order=payload.order, kind=payload.kind))


@router.get("/cases", response=list[CaseOut])
@scoped("care.view", api=True)
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, status: CaseStatus | None = None):  # type: ignore[no-untyped-def]
    return selectors.case_list(scope=_scope(request), status=status).prefetch_related("approvals")


@router.get("/cases/{case_id}", response=CaseOut)
@scoped("care.view", api=True)
def get_case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get(scope=_scope(request), pk=case_id)


@router.post("/cases", response={201: CaseOut})
@scoped("care.change", api=True)
def create_case(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    scope = _scope(request)
    return Status(201, services.case_create(
        scope=scope,
        situation=get_object_or_404(selectors.situation_list(scope=scope), pk=payload.situation_id),
        person=get_object_or_404(Person.objects.filter(scope.person_visible_q("person.view")), pk=payload.person_id),
        organization=get_object_or_404(Organization.objects.filter(scope.org_visible_q("care.change")),
                                       pk=payload.organization_id),
        facts=payload.facts,
        amount=payload.amount,
    ))


@router.post("/cases/{case_id}/decision", response=CaseOut)
@scoped("care.approve", api=True)
def decide_case(request: HttpRequest, case_id: int, payload: DecisionIn) -> Case:
    scope = _scope(request)
    case = selectors.case_get(scope=scope, pk=case_id)
    return services.case_decide(scope=scope, case=case, approve=payload.approve, comment=payload.comment)


@router.post("/cases/{case_id}/payment", response=CaseOut)
@scoped("care.change", api=True)
def pay_case(request: HttpRequest, case_id: int, payload: PayIn) -> Case:
    scope = _scope(request)
    case = selectors.case_get(scope=scope, pk=case_id)
    account = get_object_or_404(Account, pk=payload.account_id, kind=AccountKind.FUND)
    return services.case_pay(scope=scope, case=case, account=account, date=payload.date)


class ReverseIn(Schema):
    date: dt.date
    reason: str


@router.post("/cases/{case_id}/payment/reverse", response=CaseOut)
@scoped("care.change", api=True)
def reverse_payment(request: HttpRequest, case_id: int, payload: ReverseIn) -> Case:
    """Reverse a case's payment: the money goes back and the case is approved and unpaid again."""
    scope = _scope(request)
    case = selectors.case_get(scope=scope, pk=case_id)
    return services.case_payment_reverse(scope=scope, case=case, date=payload.date, reason=payload.reason)


def _cadre(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(Person.objects.filter(_scope(request).person_visible_q("care.view")), pk=person_id)


@router.get("/cadres/{person_id}/checklist", response=list[ChecklistRowOut])
@scoped("care.view", api=True)
def cadre_checklist(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    rows = selectors.cadre_checklist(scope=_scope(request), person=_cadre(request, person_id))
    return [{"measure_id": r.measure.pk, "measure": r.measure.name, "kind": r.measure.kind,
             "last_done": r.last_done, "due": r.due} for r in rows]


@router.post("/cadres/{person_id}/measures", response={201: MeasureRecordOut})
@scoped("care.change", api=True)
def record_measure(request: HttpRequest, person_id: int, payload: MeasureRecordIn) -> Status[MeasureRecord]:
    scope = _scope(request)
    measure = get_object_or_404(Measure, pk=payload.measure_id)
    return Status(201, services.measure_record(scope=scope, person=_cadre(request, person_id), measure=measure,
                                               done_on=payload.done_on, note=payload.note))


@router.get("/reminders", response=list[ReminderOut])
@scoped("care.view", api=True)
@paginate(LimitOffsetPagination)
def list_reminders(request: HttpRequest, since: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    return [
        {"person_id": r.person.pk, "person": r.person.name, "site": getattr(r.site, "name", None), "start": r.start,
         "end": r.end, "hours": str(r.hours), "measure_id": r.measure.pk}
        for r in selectors.rest_reminders(scope=_scope(request), since=since)
    ]


@router.get("/figures", response=FiguresOut)
@scoped("care.view", api=True)
def figures(request: HttpRequest) -> dict[str, int]:
    return selectors.care_figures(scope=_scope(request))
