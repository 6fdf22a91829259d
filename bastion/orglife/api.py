"""Organisational life over JSON: branches, activities and attendance, compliance, pledges,
applications, brands and stories, participation and figures. Every operation is scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.areas.models import Area
from bastion.areas.selectors import area_get
from bastion.core.apiutil import fields_renamed, referenced, referenced_many
from bastion.orglife import selectors, services
from bastion.orglife.models import (
    Activity,
    ActivityAttachment,
    ActivityKind,
    ActivityMode,
    Application,
    BranchCharter,
    Brand,
    ComplianceRule,
    Pledge,
    PledgeKind,
    Stage,
    Story,
    WorkingRules,
)
from bastion.orgs.models import Organization, OrgKind, TemporaryPurpose
from bastion.people.models import Membership, MembershipRole, Person
from bastion.people.selectors import person_get

router = Router(tags=["orglife"])

VIEW, RECORD, CHANGE = "orglife.view", "orglife.record", "orglife.change"


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _org(request: HttpRequest, field: str, pk: int | None) -> Organization | None:
    return referenced(field, pk, lambda p: selectors.branch_get(scope=_scope(request), pk=p))


def _org_required(request: HttpRequest, field: str, pk: int) -> Organization:
    org = _org(request, field, pk)
    assert org is not None  # noqa: S101 - pk is not None
    return org


def _person(request: HttpRequest, field: str, pk: int | None) -> Person | None:
    return referenced(field, pk, lambda p: person_get(scope=_scope(request), pk=p))


def _area(request: HttpRequest, field: str, pk: int | None) -> Area | None:
    return referenced(field, pk, lambda p: area_get(scope=_scope(request), pk=p))


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=30)
    if start > end:
        raise ValidationError({"query.period_start": _("The period starts after it ends.")})
    return start, end


# -- schemas -------------------------------------------------------------------------------


class BranchOut(Schema):
    id: int
    name: str
    kind: OrgKind
    purpose: str
    channel: str
    area_id: int | None
    established: dt.date | None
    dissolved: dt.date | None


class CharterOut(Schema):
    decided_by: str
    decided_on: dt.date
    secretary_person_id: int | None = Field(None)
    oath_id: int | None

    @staticmethod
    def resolve_secretary_person_id(obj: BranchCharter) -> int | None:
        return obj.secretary.person_id if obj.secretary else None


class BranchDetailOut(BranchOut):
    covered_area_ids: list[int] = Field(default_factory=list)
    charter: CharterOut | None = None

    @staticmethod
    def resolve_covered_area_ids(obj: Organization) -> list[int]:
        return sorted(a.pk for a in obj.covered_areas.all())

    @staticmethod
    def resolve_charter(obj: Organization) -> BranchCharter | None:
        return selectors.charter_for(obj)


class TemporaryBranchIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    parent_id: int
    purpose: TemporaryPurpose
    decided_by: str = Field(..., max_length=200)
    decided_on: dt.date
    established: dt.date | None = None
    area_id: int | None = None
    covered_area_ids: list[int] = Field(default_factory=list)
    secretary_id: int | None = Field(None, description="The person who will be the secretary.")


class DissolveIn(Schema):
    on: dt.date


class MemberIn(Schema):
    person_id: int
    start: dt.date
    role: MembershipRole = MembershipRole.MEMBER


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    organization_id: int
    role: str
    start: dt.date | None
    end: dt.date | None


class RulesIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1)


class RulesOut(Schema):
    organization_id: int
    title: str
    text: str
    has_document: bool = Field(False)

    @staticmethod
    def resolve_has_document(obj: WorkingRules) -> bool:
        return bool(obj.document)


class AttendanceIn(Schema):
    person_id: int
    present: bool = True
    absence_reason: str = Field("", max_length=200)


class AttendanceOut(Schema):
    person_id: int
    person_name: str = Field(..., alias="person.name")
    present: bool
    absence_reason: str


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class ActivityIn(Schema):
    organization_id: int
    kind: ActivityKind
    mode: ActivityMode = ActivityMode.OFFLINE
    date: dt.date
    topic: str = Field(..., min_length=1, max_length=200)
    host_id: int | None = None
    place: str = Field("", max_length=200)
    minutes: str = ""
    attendance: list[AttendanceIn] = Field(default_factory=list)


class ActivityOut(Schema):
    id: int
    organization_id: int
    kind: ActivityKind
    mode: ActivityMode
    date: dt.date
    topic: str
    host_id: int | None
    place: str
    present_count: int = Field(0)

    @staticmethod
    def resolve_present_count(obj: Activity) -> int:
        if hasattr(obj, "present_count"):
            return int(obj.present_count)
        return obj.attendances.filter(present=True).count()


class ActivityDetailOut(ActivityOut):
    minutes: str
    attendance: list[AttendanceOut] = Field(default_factory=list)
    attachments: list[AttachmentOut] = Field(default_factory=list)

    @staticmethod
    def resolve_attendance(obj: Activity) -> list[Any]:
        return list(obj.attendances.select_related("person").order_by("person__name", "pk"))

    @staticmethod
    def resolve_attachments(obj: Activity) -> list[ActivityAttachment]:
        return list(obj.attachments.order_by("pk"))


class GapOut(Schema):
    kind: ActivityKind
    start: dt.date
    end: dt.date
    late: bool


class ComplianceOut(Schema):
    branch_id: int = Field(..., alias="branch.pk")
    branch_name: str = Field(..., alias="branch.name")
    gaps: list[GapOut]


class RuleIn(Schema):
    organization_id: int | None = Field(None, description="Empty: the rule applies everywhere.")
    activity_kind: ActivityKind
    every_months: int = Field(..., description="1 = monthly, 3 = quarterly, 0 = not required")


class RuleOut(Schema):
    id: int
    organization_id: int | None
    activity_kind: ActivityKind
    every_months: int


class PledgeIn(Schema):
    person_id: int
    organization_id: int
    kind: PledgeKind
    date: dt.date
    text: str = Field(..., min_length=1)


class PledgeOut(Schema):
    id: int
    person_id: int
    organization_id: int
    kind: PledgeKind
    date: dt.date
    text: str


class ApplicationIn(Schema):
    person_id: int
    branch_id: int
    applied_on: dt.date


class ApplicationOut(Schema):
    id: int
    person_id: int
    branch_id: int
    stage: Stage
    applied_on: dt.date
    talk_on: dt.date | None
    activist_on: dt.date | None
    target_on: dt.date | None
    admitted_on: dt.date | None
    introducer_1_id: int | None
    introducer_2_id: int | None
    probation_end: dt.date | None
    extension_months: int
    full_on: dt.date | None


class StepIn(Schema):
    step: str = Field(..., description="talk | activist | target | admit | extend | confirm")
    on: dt.date | None = None
    introducer_ids: list[int] = Field(default_factory=list, description="Two full members, for admit.")
    months: int | None = Field(None, description="6 to 12, for extend.")


class PipelineOut(Schema):
    application: ApplicationOut
    next_step: str
    due: dt.date | None
    late: bool


class BrandIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    organization_id: int
    description: str = ""


class BrandOut(Schema):
    id: int
    name: str
    organization_id: int
    description: str


class StoryIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    organization_id: int
    brand_id: int | None = None
    date: dt.date
    text: str = Field(..., min_length=1)
    person_ids: list[int] = Field(default_factory=list)


class StoryOut(Schema):
    id: int
    title: str
    organization_id: int
    brand_id: int | None
    date: dt.date
    text: str
    person_ids: list[int] = Field(default_factory=list)
    has_photo: bool = Field(False)

    @staticmethod
    def resolve_person_ids(obj: Story) -> list[int]:
        return sorted(p.pk for p in obj.people.all())

    @staticmethod
    def resolve_has_photo(obj: Story) -> bool:
        return bool(obj.photo)


class ParticipationOut(Schema):
    period_start: dt.date
    period_end: dt.date
    count: int
    by_source: dict[str, int]


# -- figures and participation -------------------------------------------------------------


@router.get("/figures", response=dict[str, Any])
@scoped(VIEW, api=True)
def figures(request: HttpRequest, period_start: dt.date | None = None, period_end: dt.date | None = None) -> Any:
    start, end = _period(period_start, period_end)
    return selectors.figures(scope=_scope(request), period_start=start, period_end=end)


@router.get("/participation", response=ParticipationOut)
@scoped(VIEW, api=True)
def participation(request: HttpRequest, period_start: dt.date | None = None,
                  period_end: dt.date | None = None) -> Any:
    start, end = _period(period_start, period_end)
    scope = _scope(request)
    return {
        "period_start": start, "period_end": end,
        "count": selectors.participating_count(scope=scope, period_start=start, period_end=end),
        "by_source": selectors.participation_by_source(scope=scope, period_start=start, period_end=end),
    }


# -- branches ------------------------------------------------------------------------------


@router.get("/branches", response=list[BranchOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_branches(request: HttpRequest, kind: OrgKind | None = None, purpose: TemporaryPurpose | None = None,
                  q: str = "") -> Any:
    return selectors.branch_list(scope=_scope(request), kind=kind, purpose=purpose, query=q)


@router.get("/branches/{branch_id}", response=BranchDetailOut)
@scoped(VIEW, api=True)
def get_branch(request: HttpRequest, branch_id: int) -> Any:
    return selectors.branch_get(scope=_scope(request), pk=branch_id)


@router.get("/branches/{branch_id}/members", response=list[MembershipOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_members(request: HttpRequest, branch_id: int, on: dt.date | None = None) -> Any:
    branch = selectors.branch_get(scope=_scope(request), pk=branch_id)
    return selectors.member_list(scope=_scope(request), org=branch, on=on)


@router.post("/temporary-branches", response={201: BranchDetailOut})
@scoped(CHANGE, api=True)
def establish_temporary_branch(request: HttpRequest, payload: TemporaryBranchIn) -> Any:
    with fields_renamed({"parent": "parent_id", "area": "area_id", "covered_areas": "covered_area_ids",
                         "secretary": "secretary_id"}):
        org = services.temporary_branch_establish(
            scope=_scope(request),
            name=payload.name,
            parent=_org_required(request, "parent_id", payload.parent_id),
            purpose=payload.purpose,
            decided_by=payload.decided_by,
            decided_on=payload.decided_on,
            established=payload.established,
            area=_area(request, "area_id", payload.area_id),
            covered_areas=referenced_many("covered_area_ids", payload.covered_area_ids,
                                          lambda p: area_get(scope=_scope(request), pk=p)),
            secretary=_person(request, "secretary_id", payload.secretary_id),
        )
    return Status(201, selectors.branch_get(scope=_scope(request), pk=org.pk))


@router.post("/temporary-branches/{branch_id}/dissolve", response=BranchDetailOut)
@scoped(CHANGE, api=True)
def dissolve_temporary_branch(request: HttpRequest, branch_id: int, payload: DissolveIn) -> Any:
    branch = selectors.branch_get(scope=_scope(request), pk=branch_id)
    services.temporary_branch_dissolve(scope=_scope(request), org=branch, on=payload.on)
    return selectors.branch_get(scope=_scope(request), pk=branch_id)


@router.post("/temporary-branches/{branch_id}/members", response={201: MembershipOut})
@scoped(RECORD, api=True)
def add_member(request: HttpRequest, branch_id: int, payload: MemberIn) -> Any:
    branch = selectors.branch_get(scope=_scope(request), pk=branch_id)
    person = _person(request, "person_id", payload.person_id)
    assert person is not None  # noqa: S101 - the id is required
    membership: Membership = services.temporary_branch_add_member(
        scope=_scope(request), org=branch, person=person, start=payload.start, role=payload.role
    )
    return Status(201, membership)


@router.get("/organizations/{org_id}/rules", response=RulesOut)
@scoped(VIEW, api=True)
def get_rules(request: HttpRequest, org_id: int) -> Any:
    from django.http import Http404

    rules = selectors.working_rules_for(selectors.branch_get(scope=_scope(request), pk=org_id))
    if rules is None:
        raise Http404
    return rules


@router.put("/organizations/{org_id}/rules", response=RulesOut)
@scoped(CHANGE, api=True)
def set_rules(request: HttpRequest, org_id: int, payload: RulesIn) -> Any:
    org = selectors.branch_get(scope=_scope(request), pk=org_id)
    return services.working_rules_set(scope=_scope(request), organization=org, title=payload.title,
                                      text=payload.text)


# -- activities ----------------------------------------------------------------------------


def _entries(request: HttpRequest, rows: list[AttendanceIn]) -> list[services.AttendanceEntry]:
    people = referenced_many("attendance", [r.person_id for r in rows],
                             lambda p: person_get(scope=_scope(request), pk=p))
    return [services.AttendanceEntry(person, r.present, r.absence_reason) for person, r in zip(people, rows,
                                                                                                strict=True)]


@router.get("/activities", response=list[ActivityOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_activities(
    request: HttpRequest, branch_id: int | None = None, kind: ActivityKind | None = None,
    mode: ActivityMode | None = None, period_start: dt.date | None = None, period_end: dt.date | None = None,
) -> Any:
    return selectors.activity_list(
        scope=_scope(request), organization=_org(request, "query.branch_id", branch_id), kind=kind, mode=mode,
        period_start=period_start, period_end=period_end,
    )


@router.post("/activities", response={201: ActivityDetailOut})
@scoped(RECORD, api=True)
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    with fields_renamed({"organization": "organization_id", "host": "host_id"}):
        activity = services.activity_create(
            scope=_scope(request),
            organization=_org_required(request, "organization_id", payload.organization_id),
            kind=payload.kind, mode=payload.mode, date=payload.date, topic=payload.topic,
            host=_person(request, "host_id", payload.host_id), place=payload.place, minutes=payload.minutes,
            attendance=_entries(request, payload.attendance),
        )
    return Status(201, activity)


@router.get("/activities/{activity_id}", response=ActivityDetailOut)
@scoped(VIEW, api=True)
def get_activity(request: HttpRequest, activity_id: int) -> Any:
    return selectors.activity_get(scope=_scope(request), pk=activity_id)


@router.put("/activities/{activity_id}/attendance", response=ActivityDetailOut)
@scoped(RECORD, api=True)
def set_attendance(request: HttpRequest, activity_id: int, payload: list[AttendanceIn]) -> Any:
    activity = selectors.activity_get(scope=_scope(request), pk=activity_id)
    services.activity_set_attendance(scope=_scope(request), activity=activity,
                                     attendance=_entries(request, payload))
    return selectors.activity_get(scope=_scope(request), pk=activity_id)


@router.post("/activities/{activity_id}/attachments", response={201: AttachmentOut})
@scoped(RECORD, api=True)
def add_attachment(request: HttpRequest, activity_id: int, file: File[UploadedFile]) -> Any:
    activity = selectors.activity_get(scope=_scope(request), pk=activity_id)
    return Status(201, services.attachment_add(scope=_scope(request), activity=activity, upload=file))


# -- compliance ----------------------------------------------------------------------------


@router.get("/compliance", response=list[ComplianceOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_compliance(request: HttpRequest, period_start: dt.date | None = None, period_end: dt.date | None = None,
                    under_id: int | None = None, behind_only: bool = True) -> Any:
    start, end = _period(period_start, period_end)
    under = _org(request, "query.under_id", under_id)
    rows = selectors.compliance(scope=_scope(request), period_start=start, period_end=end, under=under)
    return [r for r in rows if r.late] if behind_only else rows


@router.get("/compliance/rules", response=list[RuleOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_rules(request: HttpRequest) -> Any:
    return ComplianceRule.objects.order_by("organization_id", "activity_kind", "pk")


@router.put("/compliance/rules", response=RuleOut)
@scoped(CHANGE, api=True)
def set_rule(request: HttpRequest, payload: RuleIn) -> Any:
    with fields_renamed({"organization": "organization_id"}):
        return services.compliance_rule_set(
            scope=_scope(request), organization=_org(request, "organization_id", payload.organization_id),
            activity_kind=payload.activity_kind, every_months=payload.every_months,
        )


# -- pledges -------------------------------------------------------------------------------


@router.get("/pledges", response=list[PledgeOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_pledges(request: HttpRequest, person_id: int | None = None, period_start: dt.date | None = None,
                 period_end: dt.date | None = None) -> Any:
    return selectors.pledge_list(scope=_scope(request), person=_person(request, "query.person_id", person_id),
                                 period_start=period_start, period_end=period_end)


@router.post("/pledges", response={201: PledgeOut})
@scoped(RECORD, api=True)
def create_pledge(request: HttpRequest, payload: PledgeIn) -> Any:
    person = _person(request, "person_id", payload.person_id)
    assert person is not None  # noqa: S101 - the id is required
    pledge: Pledge = services.pledge_create(
        scope=_scope(request), person=person,
        organization=_org_required(request, "organization_id", payload.organization_id),
        kind=payload.kind, date=payload.date, text=payload.text,
    )
    return Status(201, pledge)


# -- applications --------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, branch_id: int | None = None, stage: Stage | None = None,
                      period_start: dt.date | None = None, period_end: dt.date | None = None) -> Any:
    return selectors.application_list(scope=_scope(request), branch=_org(request, "query.branch_id", branch_id),
                                      stage=stage, period_start=period_start, period_end=period_end)


@router.post("/applications", response={201: ApplicationOut})
@scoped(CHANGE, api=True)
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    person = _person(request, "person_id", payload.person_id)
    assert person is not None  # noqa: S101 - the id is required
    with fields_renamed({"person": "person_id", "branch": "branch_id"}):
        application: Application = services.application_create(
            scope=_scope(request), person=person, branch=_org_required(request, "branch_id", payload.branch_id),
            applied_on=payload.applied_on,
        )
    return Status(201, application)


@router.get("/applications/{application_id}", response=ApplicationOut)
@scoped(VIEW, api=True)
def get_application(request: HttpRequest, application_id: int) -> Any:
    return selectors.application_get(scope=_scope(request), pk=application_id)


@router.post("/applications/{application_id}/steps", response=ApplicationOut)
@scoped(CHANGE, api=True)
def application_step(request: HttpRequest, application_id: int, payload: StepIn) -> Any:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, pk=application_id)
    if payload.step != "extend" and payload.on is None:
        raise ValidationError({"on": _("Give the date.")})
    on: dt.date = payload.on or timezone.localdate()
    # The date the caller sent is `on`: the service names it after the step it records.
    date_field = {"talk": "talk_on", "activist": "activist_on", "target": "target_on", "admit": "admitted_on",
                  "confirm": "full_on"}.get(payload.step, "")
    with fields_renamed({date_field: "on", "introducers": "introducer_ids"}):
        if payload.step == "talk":
            return services.application_record_talk(scope=scope, application=application, on=on)
        if payload.step == "activist":
            return services.application_make_activist(scope=scope, application=application, on=on)
        if payload.step == "target":
            return services.application_make_target(scope=scope, application=application, on=on)
        if payload.step == "admit":
            introducers = referenced_many("introducer_ids", payload.introducer_ids,
                                          lambda p: person_get(scope=scope, pk=p))
            return services.application_admit(scope=scope, application=application, on=on, introducers=introducers)
        if payload.step == "extend":
            return services.application_extend_probation(scope=scope, application=application,
                                                         months=payload.months or 0)
        if payload.step == "confirm":
            return services.application_confirm(scope=scope, application=application, on=on)
    raise ValidationError({"step": _("Unknown step; use talk, activist, target, admit, extend or confirm.")})


@router.get("/pipeline", response=list[PipelineOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_pipeline(request: HttpRequest, branch_id: int | None = None) -> Any:
    return selectors.pipeline(scope=_scope(request), branch=_org(request, "query.branch_id", branch_id))


# -- brands and stories --------------------------------------------------------------------


@router.get("/brands", response=list[BrandOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_brands(request: HttpRequest) -> Any:
    return selectors.brand_list(scope=_scope(request))


@router.post("/brands", response={201: BrandOut})
@scoped(CHANGE, api=True)
def create_brand(request: HttpRequest, payload: BrandIn) -> Any:
    brand: Brand = services.brand_create(
        scope=_scope(request), name=payload.name, description=payload.description,
        organization=_org_required(request, "organization_id", payload.organization_id),
    )
    return Status(201, brand)


@router.get("/stories", response=list[StoryOut])
@scoped(VIEW, api=True)
@paginate(LimitOffsetPagination)
def list_stories(request: HttpRequest, brand_id: int | None = None, person_id: int | None = None) -> Any:
    scope = _scope(request)
    brand = referenced("query.brand_id", brand_id, lambda p: _brand(scope, p))
    return selectors.story_list(scope=scope, brand=brand, person=_person(request, "query.person_id", person_id))


def _brand(scope: Any, pk: int) -> Brand:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(selectors.brand_list(scope=scope), pk=pk)


@router.post("/stories", response={201: StoryOut})
@scoped(RECORD, api=True)
def create_story(request: HttpRequest, payload: StoryIn) -> Any:
    scope = _scope(request)
    story = services.story_create(
        scope=scope, title=payload.title, date=payload.date, text=payload.text,
        organization=_org_required(request, "organization_id", payload.organization_id),
        brand=referenced("brand_id", payload.brand_id, lambda p: _brand(scope, p)),
        people=referenced_many("person_ids", payload.person_ids, lambda p: person_get(scope=scope, pk=p)),
    )
    return Status(201, story)
