"""Screening visits, isolations and their checks, referrals, release records, tasks, Today, self-report, over JSON.

Reads: `screening.view` over an area, or `screening.view_own` for the households and persons the caller
answers for. Writes: `screening.record` over an area, or `screening.record_own` likewise. Health data is
returned only to those; ID numbers are never returned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import login_scoped, public, scoped
from bastion.areas.selectors import area_get
from bastion.core.apiutil import fields_renamed, referenced
from bastion.coverage import selectors as coverage
from bastion.people.models import Person
from bastion.screening import selectors, services
from bastion.screening.models import (
    Channel,
    Contact,
    Isolation,
    IsolationKind,
    IsolationStatus,
    Outcome,
    Referral,
    ReferralOutcome,
    ScreeningTask,
    ScreeningVisit,
    Symptom,
    TaskStatus,
)

router = Router(tags=["screening"])

FIELDS = {"person": "person_id", "area": "area_id", "task": "task_id"}


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _require_any(scope: Any, *perms: str) -> None:
    if not any(scope.has(p) for p in perms):
        raise PermissionDenied


def _person(scope: Any, pk: int) -> Person:
    from django.shortcuts import get_object_or_404

    q = scope.person_visible_q("person.view")
    if scope.has("screening.record_own") or scope.has("screening.view_own"):
        q |= coverage.own_person_q(scope)
    return get_object_or_404(Person.objects.filter(q), pk=pk)


def _read(scope: Any) -> None:
    _require_any(scope, "screening.view", "screening.view_own")


def _write(scope: Any) -> None:
    _require_any(scope, "screening.record", "screening.record_own")


class VisitOut(Schema):
    id: int
    person_id: int
    person_name: str
    household_id: int | None
    grid_id: int
    channel: Channel
    at: dt.datetime
    member_id: int | None
    travelled: bool
    travel_origin: str
    return_date: dt.date | None
    contact: Contact
    symptoms: list[str]
    temperature: Decimal | None
    outcome: Outcome
    note: str
    task_id: int | None
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_person_name(obj: ScreeningVisit) -> str:
        return obj.person.name


class VisitIn(Schema):
    person_id: int
    channel: Channel = Channel.DOOR
    at: dt.datetime | None = Field(None, description="Defaults to now; a time in the future is refused.")
    travelled: bool = False
    travel_origin: str = Field("", max_length=100)
    return_date: dt.date | None = None
    contact: Contact = Contact.NONE
    symptoms: list[Symptom] = Field(default_factory=list)
    temperature: Decimal | None = Field(None, description="°C, 34.0 to 43.0")
    outcome: Outcome = Outcome.NO_RISK
    note: str = Field("", max_length=300)
    task_id: int | None = None
    id_number: str = Field("", max_length=30, description="Stored only if the person has none yet.")
    phone: str = Field("", max_length=30, description="Stored only if the person has none yet.")
    isolation_days: int | None = Field(None, description="Override of the default isolation period.")
    referral_destination: str = Field("", max_length=200)


class IsolationOut(Schema):
    id: int
    person_id: int
    person_name: str
    household_id: int | None
    grid_id: int
    kind: IsolationKind
    reason: str
    start: dt.date
    days: int
    planned_end: dt.date
    checks_per_day: int
    status: IsolationStatus
    end: dt.date | None

    @staticmethod
    def resolve_person_name(obj: Isolation) -> str:
        return obj.person.name


class IsolationIn(Schema):
    person_id: int
    reason: str = Field(..., min_length=1, max_length=200)
    start: dt.date | None = None
    days: int | None = None
    checks_per_day: int | None = None
    kind: IsolationKind = IsolationKind.HOME


class IsolationPatch(Schema):
    days: int


class CheckOut(Schema):
    id: int
    isolation_id: int
    at: dt.datetime
    channel: Channel
    temperature: Decimal | None
    symptoms: list[str]
    note: str
    member_id: int | None
    reviewed_at: dt.datetime | None


class CheckIn(Schema):
    at: dt.datetime | None = None
    temperature: Decimal | None = None
    symptoms: list[Symptom] = Field(default_factory=list)
    channel: Channel = Channel.DOOR
    note: str = Field("", max_length=300)


class ReleaseIn(Schema):
    end: dt.date | None = None


class ReleaseOut(Schema):
    id: int
    number: str
    isolation_id: int
    community_id: int
    issued_on: dt.date


class ReferralOut(Schema):
    id: int
    person_id: int
    grid_id: int
    at: dt.datetime
    destination: str
    reason: str
    isolation_id: int | None
    visit_id: int | None
    outcome: ReferralOutcome
    outcome_at: dt.datetime | None


class ReferralIn(Schema):
    person_id: int
    destination: str = Field(..., min_length=1, max_length=200)
    at: dt.datetime | None = None
    reason: str = Field("", max_length=200)


class ReferralOutcomeIn(Schema):
    outcome: ReferralOutcome
    at: dt.datetime | None = None


class TaskOut(Schema):
    id: int
    area_id: int
    household_id: int | None
    person_id: int | None
    name: str
    reason: str
    source: str
    due: dt.date
    status: TaskStatus
    address: str


class TaskIn(Schema):
    area_id: int
    name: str = Field(..., min_length=1, max_length=100)
    reason: str = Field(..., min_length=1, max_length=300)
    due: dt.date
    source: str = Field(..., min_length=1, max_length=200)
    phone: str = Field("", max_length=30)
    id_number: str = Field("", max_length=30)
    address: str = Field("", max_length=300)


class TodayOut(Schema):
    kind: str = Field(..., description="check | release | task | self_report")
    due: dt.datetime
    overdue: bool
    title: str
    detail: str
    object_type: str
    object_id: int


class LinkOut(Schema):
    token: str
    url: str


class SelfReportIn(Schema):
    person_id: int
    temperature: Decimal
    symptoms: list[Symptom] = Field(default_factory=list)
    note: str = Field("", max_length=300)


class SelfReportOut(Schema):
    received: bool


# -- visits -------------------------------------------------------------------------------------------------------


@router.get("/visits", response=list[VisitOut])
@login_scoped
@paginate(LimitOffsetPagination)
def list_visits(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    person_id: int | None = None,
    household_id: int | None = None,
    area_id: int | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
):
    scope = _scope(request)
    _read(scope)
    qs = selectors.screening_visit_list(
        scope=scope,
        period_start=period_start,
        period_end=period_end,
        household_id=household_id,
        area=area_get(scope=scope, pk=area_id) if area_id else None,
    )
    return qs.filter(person_id=person_id) if person_id else qs


@router.get("/visits/{visit_id}", response=VisitOut)
@login_scoped
def get_visit(request: HttpRequest, visit_id: int) -> ScreeningVisit:
    _read(_scope(request))
    return selectors.screening_visit_get(scope=_scope(request), pk=visit_id)


@router.post("/visits", response={201: VisitOut})
@login_scoped
def record_visit(request: HttpRequest, payload: VisitIn) -> Status:
    """Record a screening; `home_isolation` starts an isolation and `referral` a referral in the same write."""
    scope = _scope(request)
    _write(scope)
    person = referenced("person_id", payload.person_id, lambda pk: _person(scope, pk))
    task = referenced("task_id", payload.task_id, lambda pk: selectors.task_get(scope=scope, pk=pk))
    data = payload.dict(exclude={"person_id", "task_id"})
    with fields_renamed(FIELDS):
        visit = services.visit_record(scope=scope, person=person, task=task, **data)  # type: ignore[arg-type]
    return Status(201, visit)


# -- isolations ---------------------------------------------------------------------------------------------------


@router.get("/isolations", response=list[IsolationOut])
@login_scoped
@paginate(LimitOffsetPagination)
def list_isolations(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    status: IsolationStatus | None = None,
    person_id: int | None = None,
    area_id: int | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
):
    scope = _scope(request)
    _read(scope)
    qs = selectors.isolation_list(
        scope=scope,
        status=status,
        period_start=period_start,
        period_end=period_end,
        area=area_get(scope=scope, pk=area_id) if area_id else None,
    )
    return qs.filter(person_id=person_id) if person_id else qs


@router.get("/isolations/{isolation_id}", response=IsolationOut)
@login_scoped
def get_isolation(request: HttpRequest, isolation_id: int) -> Isolation:
    _read(_scope(request))
    return selectors.isolation_get(scope=_scope(request), pk=isolation_id)


@router.post("/isolations", response={201: IsolationOut})
@login_scoped
def start_isolation(request: HttpRequest, payload: IsolationIn) -> Status:
    scope = _scope(request)
    _write(scope)
    person = referenced("person_id", payload.person_id, lambda pk: _person(scope, pk))
    with fields_renamed(FIELDS):
        return Status(201, services.isolation_start(scope=scope, person=person, **payload.dict(exclude={"person_id"})))  # type: ignore[arg-type]


@router.patch("/isolations/{isolation_id}", response=IsolationOut)
@login_scoped
def set_isolation_period(request: HttpRequest, isolation_id: int, payload: IsolationPatch) -> Isolation:
    """Per-case override of the isolation period."""
    scope = _scope(request)
    _write(scope)
    iso = selectors.isolation_get(scope=scope, pk=isolation_id)
    return services.isolation_set_period(scope=scope, isolation=iso, days=payload.days)


@router.get("/isolations/{isolation_id}/checks", response=list[CheckOut])
@login_scoped
@paginate(LimitOffsetPagination)
def list_checks(request: HttpRequest, isolation_id: int):  # type: ignore[no-untyped-def]
    _read(_scope(request))
    return selectors.isolation_check_list(isolation=selectors.isolation_get(scope=_scope(request), pk=isolation_id))


@router.post("/isolations/{isolation_id}/checks", response={201: CheckOut})
@login_scoped
def record_check(request: HttpRequest, isolation_id: int, payload: CheckIn) -> Status:
    scope = _scope(request)
    _write(scope)
    iso = selectors.isolation_get(scope=scope, pk=isolation_id)
    return Status(201, services.isolation_check_record(scope=scope, isolation=iso, **payload.dict()))


@router.post("/isolations/{isolation_id}/release", response={201: ReleaseOut})
@login_scoped
def release_isolation(request: HttpRequest, isolation_id: int, payload: ReleaseIn) -> Status:
    """End the isolation and issue the community's release record."""
    scope = _scope(request)
    _write(scope)
    iso = selectors.isolation_get(scope=scope, pk=isolation_id)
    return Status(201, services.isolation_release(scope=scope, isolation=iso, end=payload.end))


@router.get("/release-records", response=list[ReleaseOut])
@login_scoped
@paginate(LimitOffsetPagination)
def list_release_records(request: HttpRequest):  # type: ignore[no-untyped-def]
    _read(_scope(request))
    return selectors.release_record_list(scope=_scope(request)).order_by("-issued_on", "-pk")


# -- referrals ----------------------------------------------------------------------------------------------------


@router.get("/referrals", response=list[ReferralOut])
@login_scoped
@paginate(LimitOffsetPagination)
def list_referrals(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    pending: bool = False,
):
    _read(_scope(request))
    return selectors.referral_list(
        scope=_scope(request), period_start=period_start, period_end=period_end, pending=pending
    )


@router.post("/referrals", response={201: ReferralOut})
@login_scoped
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status:
    scope = _scope(request)
    _write(scope)
    person = referenced("person_id", payload.person_id, lambda pk: _person(scope, pk))
    with fields_renamed(FIELDS):
        return Status(201, services.referral_create(scope=scope, person=person, **payload.dict(exclude={"person_id"})))  # type: ignore[arg-type]


@router.post("/referrals/{referral_id}/outcome", response=ReferralOut)
@login_scoped
def set_referral_outcome(request: HttpRequest, referral_id: int, payload: ReferralOutcomeIn) -> Referral:
    scope = _scope(request)
    _write(scope)
    referral = selectors.referral_get(scope=scope, pk=referral_id)
    return services.referral_set_outcome(scope=scope, referral=referral, outcome=payload.outcome, at=payload.at)


# -- tasks --------------------------------------------------------------------------------------------------------


@router.get("/tasks", response=list[TaskOut])
@login_scoped
@paginate(LimitOffsetPagination)
def list_tasks(request: HttpRequest, status: TaskStatus | None = TaskStatus.OPEN):  # type: ignore[no-untyped-def]
    _read(_scope(request))
    return selectors.task_list(scope=_scope(request), status=status)


@router.post("/tasks", response={201: TaskOut})
@scoped("screening.task_create", api=True)
def create_task(request: HttpRequest, payload: TaskIn) -> Status:
    """Hand a person over to a community or grid for screening (e.g. a checkpoint's fever referral).

    The destination need not be in the caller's area; the task lands on the Today page of whoever answers
    for the person's household there, or of the community's workers."""
    from django.shortcuts import get_object_or_404

    from bastion.areas.models import Area

    scope = _scope(request)
    area = referenced("area_id", payload.area_id, lambda pk: get_object_or_404(Area, pk=pk))
    with fields_renamed(FIELDS):
        return Status(201, services.screening_task_create(scope=scope, area=area, **payload.dict(exclude={"area_id"})))  # type: ignore[arg-type]


@router.post("/tasks/{task_id}/cancel", response=TaskOut)
@scoped("screening.record", api=True)
def cancel_task(request: HttpRequest, task_id: int) -> ScreeningTask:
    scope = _scope(request)
    return services.screening_task_cancel(scope=scope, task=selectors.task_get(scope=scope, pk=task_id))


# -- Today --------------------------------------------------------------------------------------------------------


@router.get("/today", response=list[TodayOut])
@login_scoped
@paginate(LimitOffsetPagination)
def today(request: HttpRequest):  # type: ignore[no-untyped-def]
    """What the caller must visit or check today, overdue first."""
    return [
        {
            "kind": i.kind,
            "due": i.due,
            "overdue": i.overdue,
            "title": i.title,
            "detail": i.detail,
            "object_type": i.obj._meta.model_name,
            "object_id": i.obj.pk,
        }
        for i in selectors.today_items(scope=_scope(request))
    ]


@router.post("/today/{object_type}/{object_id}/seen", response={204: None})
@login_scoped
def mark_seen(request: HttpRequest, object_type: str, object_id: int) -> Status:
    """Mark a self-report (object_type `screeningvisit` or `isolationcheck`) as seen."""
    scope = _scope(request)
    _write(scope)
    services.today_review(scope=scope, kind="visit" if object_type == "screeningvisit" else "check", pk=object_id)
    return Status(204, None)


# -- self-report --------------------------------------------------------------------------------------------------


@router.post("/households/{household_id}/self-report-link", response=LinkOut)
@scoped("screening.self_report", api=True)
def self_report_link(request: HttpRequest, household_id: int) -> dict[str, str]:
    scope = _scope(request)
    household = coverage.household_get(scope=scope, pk=household_id)
    token = services.self_report_token(scope=scope, household=household)
    return {"token": token, "url": request.build_absolute_uri(reverse("screening:self_report", args=[token]))}


@router.delete("/households/{household_id}/self-report-link", response={204: None})
@scoped("screening.self_report", api=True)
def revoke_self_report_link(request: HttpRequest, household_id: int) -> Status:
    scope = _scope(request)
    services.self_report_revoke(scope=scope, household=coverage.household_get(scope=scope, pk=household_id))
    return Status(204, None)


class RateLimitedOut(Schema):
    detail: str
    errors: list[dict[str, str]]


@router.post("/self-report/{token}", response={201: SelfReportOut, 429: RateLimitedOut}, auth=None)
@public("a resident's own daily check through the household's signed, expiring, revocable link; rate-limited")
def submit_self_report(request: HttpRequest, token: str, payload: SelfReportIn) -> Status:
    """No account: the token is the household's signed link. Too many reports from one link and address: 429."""
    try:
        services.self_report_submit(
            token=token, client_ip=request.META.get("REMOTE_ADDR", "") or "unknown", **payload.dict()
        )
    except ValidationError as exc:
        token_errors = getattr(exc, "error_dict", {}).get("token") or []
        if token_errors and token_errors[0].code == "rate_limited":
            message = token_errors[0].messages[0]
            return Status(429, {"detail": message, "errors": [{"field": "path.token", "message": message}]})
        raise
    return Status(201, {"received": True})
