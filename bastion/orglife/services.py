"""Writes of organisational life. Each service checks the scope, validates, writes in one
transaction and records an audit event; a bad input raises ValidationError naming the field
and leaves nothing half-written."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area
from bastion.core import audit
from bastion.orglife.models import (
    COMPLIANCE_EVERY_MONTHS,
    MAX_UPLOAD_BYTES,
    Activity,
    ActivityAttachment,
    ActivityKind,
    ActivityMode,
    Application,
    Attendance,
    BranchCharter,
    Brand,
    ComplianceRule,
    Pledge,
    PledgeKind,
    Stage,
    Story,
    WorkingRules,
)
from bastion.orgs.models import BRANCHES, COMMITTEES, Organization, OrgKind, TemporaryPurpose
from bastion.orgs.services import org_create, org_dissolve
from bastion.people.models import Membership, MembershipRole, PartyStatus, Person
from bastion.people.services import membership_create, membership_end, person_update

CHANGE = "orglife.change"
RECORD = "orglife.record"

# Organisations that hold meetings: branches, their party groups and the committees.
MEETING_KINDS = {*BRANCHES, *COMMITTEES, OrgKind.PARTY_GROUP}

# What may be attached: documents and photos, recognised by their first bytes, not only their name.
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "webp": ("image/webp", (b"RIFF",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "txt": ("text/plain", ()),
}
PHOTO_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k in {"jpg", "jpeg", "png", "webp"}}


def _snap(obj: Any) -> dict[str, Any]:
    """audit.snapshot, with files reduced to their stored names."""
    return {k: (v.name if isinstance(v, FieldFile) else v) for k, v in audit.snapshot(obj).items()}


def today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _not_future(day: dt.date, field: str) -> None:
    if day > today():
        raise ValidationError({field: _("This date is in the future.")})


# -- uploads -------------------------------------------------------------------------------


def validate_upload(upload: UploadedFile, *, field: str = "file", types: dict[str, Any] | None = None) -> str:
    """Check an uploaded file's size and type (by name and by content). Returns its content type."""
    allowed = types or DOCUMENT_TYPES
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        raise ValidationError(
            {field: _("Files of this type cannot be attached. Allowed: %(types)s.") % {"types": ", ".join(allowed)}}
        )
    size = upload.size or 0
    if size <= 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {field: _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}}
        )
    content_type, signatures = allowed[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError({field: _("The file's content does not match its name (.%(ext)s).") % {"ext": extension}})
    if not signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character may be cut at 2048 bytes: only reject a clear binary.
            if b"\x00" in head or exc.start < len(head) - 4:
                raise ValidationError({field: _("A text file must be UTF-8 text.")}) from exc
    return content_type


# -- membership helpers --------------------------------------------------------------------


def current_q(day: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": day})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def member_ids_on(organization: Organization, day: dt.date) -> set[int]:
    """Persons holding a membership in the organisation or one of its party groups on that day."""
    return set(
        Membership.objects.filter(current_q(day), organization__path__startswith=organization.path).values_list(
            "person_id", flat=True
        )
    )


# -- temporary branches --------------------------------------------------------------------


def temporary_branch_establish(
    *,
    scope: Scope,
    name: str,
    parent: Organization,
    purpose: str,
    decided_by: str,
    decided_on: dt.date,
    established: dt.date | None = None,
    area: Area | None = None,
    covered_areas: Iterable[Area] = (),
    secretary: Person | None = None,
) -> Organization:
    """Set up a temporary branch: who decided and when, what it covers, and its secretary.

    Members keep their home branch: a temporary-branch membership is added, nothing ended.
    """
    scope.require(CHANGE, org=parent)
    decided_by = (decided_by or "").strip()
    if not decided_by:
        raise ValidationError({"decided_by": _("Say who decided to set up the branch.")})
    if purpose not in TemporaryPurpose.values:
        raise ValidationError({"purpose": _("Choose the purpose of the temporary branch.")})
    _not_future(decided_on, "decided_on")
    established = established or decided_on
    if established < decided_on:
        raise ValidationError({"established": _("A branch cannot be established before it was decided.")})
    with transaction.atomic():
        org = org_create(
            scope=scope,
            name=name,
            kind=OrgKind.TEMPORARY_BRANCH,
            parent=parent,
            purpose=purpose,
            area=area or parent.area,
            covered_areas=covered_areas,
            established=established,
        )
        membership = None
        if secretary is not None:
            membership = membership_create(
                scope=scope, person=secretary, organization=org, role=MembershipRole.SECRETARY, start=established
            )
        charter = BranchCharter.objects.create(
            organization=org, decided_by=decided_by, decided_on=decided_on, secretary=membership
        )
        audit.record(scope.user, "branch_charter.create", charter, audit.diff({}, audit.snapshot(charter)))
    return org


def temporary_branch_dissolve(*, scope: Scope, org: Organization, on: dt.date) -> Organization:
    """Dissolve a temporary branch and end its memberships; home-branch memberships stay."""
    scope.require(CHANGE, org=org)
    if org.kind != OrgKind.TEMPORARY_BRANCH:
        raise ValidationError({"organization": _("Only a temporary branch is dissolved here.")})
    if org.established and on < org.established:
        raise ValidationError({"dissolved": _("A branch cannot be dissolved before it was established.")})
    with transaction.atomic():
        for membership in Membership.objects.filter(organization=org, end__isnull=True).select_related(
            "organization"
        ):
            end = max(on, membership.start) if membership.start else on
            membership_end(scope=scope, membership=membership, end=end)
        org = org_dissolve(scope=scope, org=org, on=on)
    return org


def temporary_branch_add_member(
    *, scope: Scope, org: Organization, person: Person, start: dt.date, role: str = MembershipRole.MEMBER
) -> Membership:
    """Send a member to a temporary branch; their home-branch membership continues."""
    scope.require(RECORD, org=org)
    if org.kind != OrgKind.TEMPORARY_BRANCH:
        raise ValidationError({"organization": _("This is not a temporary branch.")})
    return membership_create(scope=scope, person=person, organization=org, role=role, start=start)


# -- online branch rules -------------------------------------------------------------------


def working_rules_set(
    *,
    scope: Scope,
    organization: Organization,
    title: str,
    text: str = "",
    document: UploadedFile | None = None,
) -> WorkingRules:
    """The rules an online branch works by, set on the branch or on a committee for all below it."""
    scope.require(CHANGE, org=organization)
    if organization.kind not in (OrgKind.ONLINE_BRANCH, *COMMITTEES):
        raise ValidationError(
            {"organization": _("Rules are set on an online branch or on a committee for the branches below it.")}
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the rules a title.")})
    if document is not None:
        validate_upload(document, field="document")
    with transaction.atomic():
        rules = WorkingRules.objects.select_for_update().filter(organization=organization).first()
        before = _snap(rules) if rules else {}
        if rules is None:
            rules = WorkingRules(organization=organization)
        rules.title, rules.text = title, (text or "").strip()
        if document is not None:
            rules.document.save(document.name or "rules", document, save=False)
        if not rules.text and not rules.document:
            raise ValidationError({"text": _("Write the rules or attach a document.")})
        rules.save()
        audit.record(scope.user, "working_rules.set", rules, audit.diff(before, _snap(rules)))
    return rules


# -- activities ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    person: Person
    present: bool = True
    absence_reason: str = ""


def _attendance_rows(
    activity: Activity, organization: Organization, entries: Sequence[AttendanceEntry]
) -> list[Attendance]:
    members = member_ids_on(organization, activity.date)
    seen: set[int] = set()
    rows = []
    for index, entry in enumerate(entries):
        field = f"attendance.{index}"
        if entry.person.pk in seen:
            raise ValidationError({field: _("%(name)s is listed twice.") % {"name": entry.person.name}})
        seen.add(entry.person.pk)
        if entry.person.pk not in members:
            raise ValidationError(
                {
                    field: _("%(name)s is not a member of %(org)s on %(date)s.")
                    % {"name": entry.person.name, "org": organization.name, "date": activity.date.isoformat()}
                }
            )
        reason = (entry.absence_reason or "").strip()
        if not entry.present and not reason:
            raise ValidationError({field: _("Give the reason %(name)s was absent.") % {"name": entry.person.name}})
        rows.append(
            Attendance(
                activity=activity, person=entry.person, present=entry.present, absence_reason="" if entry.present
                else reason
            )
        )
    return rows


def _check_activity(
    *, organization: Organization, kind: str, mode: str, date: dt.date, topic: str
) -> None:
    if organization.kind not in MEETING_KINDS:
        raise ValidationError({"organization": _("Only branches, party groups and committees hold these activities.")})
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose the kind of activity.")})
    if mode not in ActivityMode.values:
        raise ValidationError({"mode": _("Say whether it was held online or in person.")})
    if not topic:
        raise ValidationError({"topic": _("Give the topic.")})
    _not_future(date, "date")
    if organization.established and date < organization.established:
        raise ValidationError(
            {
                "date": _("%(org)s was established on %(established)s; an activity cannot be earlier.")
                % {"org": organization.name, "established": organization.established.isoformat()}
            }
        )
    if organization.dissolved and date > organization.dissolved:
        raise ValidationError(
            {
                "date": _("%(org)s was dissolved on %(dissolved)s.")
                % {"org": organization.name, "dissolved": organization.dissolved.isoformat()}
            }
        )


def activity_create(
    *,
    scope: Scope,
    organization: Organization,
    kind: str,
    date: dt.date,
    topic: str,
    mode: str = ActivityMode.OFFLINE,
    host: Person | None = None,
    place: str = "",
    minutes: str = "",
    attendance: Sequence[AttendanceEntry] = (),
    attachments: Sequence[UploadedFile] = (),
) -> Activity:
    """Record a meeting, lecture, theme party day or oath with its attendance and attachments."""
    scope.require(RECORD, org=organization)
    topic = (topic or "").strip()
    _check_activity(organization=organization, kind=kind, mode=mode, date=date, topic=topic)
    types = [validate_upload(f, field=f"attachments.{i}") for i, f in enumerate(attachments)]
    if not place and mode == ActivityMode.ONLINE:
        place = organization.channel
    activity = Activity(
        organization=organization,
        kind=kind,
        mode=mode,
        date=date,
        topic=topic,
        host=host,
        place=(place or "").strip(),
        minutes=(minutes or "").strip(),
        recorded_by=scope.user if getattr(scope.user, "is_authenticated", False) else None,
    )
    rows = _attendance_rows(activity, organization, attendance)
    with transaction.atomic():
        activity.save()
        Attendance.objects.bulk_create(rows)
        for upload, content_type in zip(attachments, types, strict=True):
            _save_attachment(activity, upload, content_type)
        if kind == ActivityKind.OATH:
            BranchCharter.objects.filter(organization=organization, oath__isnull=True).update(oath=activity)
        changes = audit.diff({}, audit.snapshot(activity))
        present = sum(r.present for r in rows)
        changes["attendance"] = [None, {"present": present, "absent": len(rows) - present}]
        audit.record(scope.user, "activity.create", activity, changes)
    return activity


def activity_update(
    *,
    scope: Scope,
    activity: Activity,
    topic: str | None = None,
    date: dt.date | None = None,
    kind: str | None = None,
    mode: str | None = None,
    place: str | None = None,
    minutes: str | None = None,
) -> Activity:
    scope.require(RECORD, org=activity.organization)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().select_related("organization").get(pk=activity.pk)
        before = audit.snapshot(activity)
        if topic is not None:
            activity.topic = topic.strip()
        if date is not None:
            activity.date = date
        if kind is not None:
            activity.kind = kind
        if mode is not None:
            activity.mode = mode
        if place is not None:
            activity.place = place.strip()
        if minutes is not None:
            activity.minutes = minutes.strip()
        _check_activity(
            organization=activity.organization, kind=activity.kind, mode=activity.mode, date=activity.date,
            topic=activity.topic,
        )
        if date is not None:
            members = member_ids_on(activity.organization, activity.date)
            outside = activity.attendances.exclude(person_id__in=members).select_related("person").first()
            if outside is not None:
                raise ValidationError(
                    {"date": _("%(name)s was not a member on that date.") % {"name": outside.person.name}}
                )
        activity.save()
        audit.record(scope.user, "activity.update", activity, audit.diff(before, audit.snapshot(activity)))
    return activity


def activity_set_attendance(
    *, scope: Scope, activity: Activity, attendance: Sequence[AttendanceEntry]
) -> list[Attendance]:
    """Replace the attendance of an activity with the given list."""
    scope.require(RECORD, org=activity.organization)
    rows = _attendance_rows(activity, activity.organization, attendance)
    with transaction.atomic():
        before = sorted(activity.attendances.values_list("person_id", "present"))
        activity.attendances.all().delete()
        Attendance.objects.bulk_create(rows)
        after = sorted((r.person_id, r.present) for r in rows)
        audit.record(scope.user, "activity.attendance", activity, {"attendance": [before, after]})
    return rows


def _save_attachment(activity: Activity, upload: UploadedFile, content_type: str) -> ActivityAttachment:
    attachment = ActivityAttachment(
        activity=activity,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size or 0,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    return attachment


def attachment_add(*, scope: Scope, activity: Activity, upload: UploadedFile) -> ActivityAttachment:
    scope.require(RECORD, org=activity.organization)
    content_type = validate_upload(upload)
    with transaction.atomic():
        attachment = _save_attachment(activity, upload, content_type)
        audit.record(
            scope.user, "activity.attach", activity,
            {"attachment": [None, {"name": attachment.original_name, "size": attachment.size}]},
        )
    return attachment


# -- compliance rules ----------------------------------------------------------------------


def compliance_rule_set(
    *, scope: Scope, activity_kind: str, every_months: int, organization: Organization | None = None
) -> ComplianceRule:
    """Require an activity kind every N months, everywhere (no organisation) or below one organisation."""
    if organization is None:
        scope.require_global(CHANGE)
    else:
        scope.require(CHANGE, org=organization)
    if activity_kind not in ActivityKind.values:
        raise ValidationError({"activity_kind": _("Choose the kind of activity.")})
    if every_months not in COMPLIANCE_EVERY_MONTHS:
        raise ValidationError(
            {"every_months": _("Choose one of %(values)s months (0 = not required).")
             % {"values": ", ".join(str(v) for v in COMPLIANCE_EVERY_MONTHS)}}
        )
    with transaction.atomic():
        rule = ComplianceRule.objects.select_for_update().filter(
            organization=organization, activity_kind=activity_kind
        ).first()
        before = audit.snapshot(rule) if rule else {}
        if rule is None:
            rule = ComplianceRule(organization=organization, activity_kind=activity_kind, every_months=every_months)
        rule.every_months = every_months
        rule.save()
        audit.record(scope.user, "compliance_rule.set", rule, audit.diff(before, audit.snapshot(rule)))
    return rule


# -- pledges -------------------------------------------------------------------------------


def pledge_create(
    *, scope: Scope, person: Person, organization: Organization, kind: str, date: dt.date, text: str
) -> Pledge:
    scope.require(RECORD, org=organization)
    if kind not in PledgeKind.values:
        raise ValidationError({"kind": _("Choose a letter of guarantee or a request to serve.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the text of the pledge.")})
    _not_future(date, "date")
    with transaction.atomic():
        pledge = Pledge.objects.create(person=person, organization=organization, kind=kind, date=date, text=text)
        audit.record(scope.user, "pledge.create", pledge, audit.diff({}, audit.snapshot(pledge)))
    return pledge


# -- applications to join ------------------------------------------------------------------

MIN_AGE = 18
TALK_WITHIN_MONTHS = 1
ACTIVIST_MONTHS = 12
PROBATION_MONTHS = 12


def application_create(*, scope: Scope, person: Person, branch: Organization, applied_on: dt.date) -> Application:
    """A person applies to join a branch: at least 18 years old on the day of the application."""
    scope.require(CHANGE, org=branch)
    if branch.kind not in BRANCHES:
        raise ValidationError({"branch": _("An application is made to a branch.")})
    _not_future(applied_on, "applied_on")
    if branch.established and applied_on < branch.established:
        raise ValidationError(
            {"applied_on": _("%(org)s was established on %(date)s, after this date.")
             % {"org": branch.name, "date": branch.established.isoformat()}}
        )
    if person.party_status != PartyStatus.NONE:
        raise ValidationError(
            {"person": _("%(name)s is already %(status)s.") % {"name": person.name,
                                                               "status": person.get_party_status_display()}}
        )
    if Application.objects.filter(person=person).exclude(stage=Stage.FULL).exists():
        raise ValidationError({"person": _("%(name)s already has an open application.") % {"name": person.name}})
    if person.birth_date is None:
        raise ValidationError({"person": _("Record %(name)s's birth date first: an applicant must be 18.")
                               % {"name": person.name}})
    if age_on(person.birth_date, applied_on) < MIN_AGE:
        raise ValidationError(
            {"applied_on": _("%(name)s was %(age)d on %(date)s; an applicant must be at least 18.")
             % {"name": person.name, "age": age_on(person.birth_date, applied_on), "date": applied_on.isoformat()}}
        )
    with transaction.atomic():
        application = Application.objects.create(person=person, branch=branch, applied_on=applied_on)
        person_update(scope=scope, person=person, party_status=PartyStatus.APPLICANT)
        audit.record(scope.user, "application.create", application, audit.diff({}, audit.snapshot(application)))
    return application


def _advance(
    *, scope: Scope, application: Application, expected: str, verb: str, check: Any, apply: Any
) -> Application:
    scope.require(CHANGE, org=application.branch)
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("person", "branch").get(
            pk=application.pk
        )
        if application.stage != expected:
            raise ValidationError(
                {"stage": _("This step needs an application at stage “%(expected)s”; it is at “%(stage)s”.")
                 % {"expected": Stage(expected).label, "stage": application.get_stage_display()}}
            )
        check(application)
        before = audit.snapshot(application)
        apply(application)
        application.save()
        if application.person.party_status != application.stage:
            person_update(scope=scope, person=application.person, party_status=application.stage)
        audit.record(scope.user, verb, application, audit.diff(before, audit.snapshot(application)))
    return application


def application_record_talk(*, scope: Scope, application: Application, on: dt.date) -> Application:
    """The branch talks with the applicant within one month of the application."""

    def check(app: Application) -> None:
        if app.talk_on is not None:
            raise ValidationError({"talk_on": _("The talk has already been recorded.")})
        _not_future(on, "talk_on")
        if on < app.applied_on:
            raise ValidationError({"talk_on": _("The talk cannot be before the application.")})
        deadline = add_months(app.applied_on, TALK_WITHIN_MONTHS)
        if on > deadline:
            raise ValidationError(
                {"talk_on": _("The talk had to be held within one month of the application, by %(date)s.")
                 % {"date": deadline.isoformat()}}
            )

    def apply(app: Application) -> None:
        app.talk_on = on

    return _advance(scope=scope, application=application, expected=Stage.APPLICANT, verb="application.talk",
                    check=check, apply=apply)


def application_make_activist(*, scope: Scope, application: Application, on: dt.date) -> Application:
    def check(app: Application) -> None:
        if app.talk_on is None:
            raise ValidationError({"talk_on": _("Hold and record the talk with the applicant first.")})
        _not_future(on, "activist_on")
        if on < app.talk_on:
            raise ValidationError({"activist_on": _("An applicant becomes an activist after the talk.")})

    def apply(app: Application) -> None:
        app.stage, app.activist_on = Stage.ACTIVIST, on

    return _advance(scope=scope, application=application, expected=Stage.APPLICANT, verb="application.activist",
                    check=check, apply=apply)


def application_make_target(*, scope: Scope, application: Application, on: dt.date) -> Application:
    def check(app: Application) -> None:
        _not_future(on, "target_on")
        assert app.activist_on is not None  # noqa: S101 - set when the stage became activist
        earliest = add_months(app.activist_on, ACTIVIST_MONTHS)
        if on < earliest:
            raise ValidationError(
                {"target_on": _("An activist since %(since)s can become a development target after one year of "
                                "education, from %(date)s.")
                 % {"since": app.activist_on.isoformat(), "date": earliest.isoformat()}}
            )

    def apply(app: Application) -> None:
        app.stage, app.target_on = Stage.DEVELOPMENT_TARGET, on

    return _advance(scope=scope, application=application, expected=Stage.ACTIVIST, verb="application.target",
                    check=check, apply=apply)


def application_admit(
    *, scope: Scope, application: Application, on: dt.date, introducers: Sequence[Person]
) -> Application:
    """Admit a development target as a probationary member, with two full members as introducers."""

    def check(app: Application) -> None:
        _not_future(on, "admitted_on")
        assert app.target_on is not None  # noqa: S101 - set when the stage became development target
        if on < app.target_on:
            raise ValidationError({"admitted_on": _("Admission cannot be before becoming a development target.")})
        if len(introducers) != 2 or introducers[0].pk == introducers[1].pk:
            raise ValidationError({"introducers": _("Name two different introducers.")})
        for index, person in enumerate(introducers):
            person.refresh_from_db(fields=["party_status"])
            if person.pk == app.person_id:
                raise ValidationError({f"introducers.{index}": _("Applicants cannot introduce themselves.")})
            if person.party_status != PartyStatus.FULL:
                raise ValidationError(
                    {f"introducers.{index}": _("%(name)s is not a full member and cannot introduce.")
                     % {"name": person.name}}
                )

    def apply(app: Application) -> None:
        app.stage, app.admitted_on = Stage.PROBATIONARY, on
        app.introducer_1, app.introducer_2 = introducers[0], introducers[1]
        app.probation_end = add_months(on, PROBATION_MONTHS)

    return _advance(scope=scope, application=application, expected=Stage.DEVELOPMENT_TARGET, verb="application.admit",
                    check=check, apply=apply)


def application_extend_probation(*, scope: Scope, application: Application, months: int) -> Application:
    """Extend a probation once, by 6 to 12 months."""

    def check(app: Application) -> None:
        if app.extension_months:
            raise ValidationError({"months": _("The probation has already been extended once.")})
        if not 6 <= months <= 12:
            raise ValidationError({"months": _("A probation is extended by 6 to 12 months.")})

    def apply(app: Application) -> None:
        assert app.admitted_on is not None  # noqa: S101 - set on admission
        app.extension_months = months
        app.probation_end = add_months(app.admitted_on, PROBATION_MONTHS + months)

    return _advance(scope=scope, application=application, expected=Stage.PROBATIONARY, verb="application.extend",
                    check=check, apply=apply)


def application_confirm(*, scope: Scope, application: Application, on: dt.date) -> Application:
    """A probationary member becomes a full member when the probation has ended."""

    def check(app: Application) -> None:
        _not_future(on, "full_on")
        assert app.probation_end is not None  # noqa: S101 - set on admission
        if on < app.probation_end:
            raise ValidationError(
                {"full_on": _("The probation ends on %(date)s.") % {"date": app.probation_end.isoformat()}}
            )

    def apply(app: Application) -> None:
        app.stage, app.full_on = Stage.FULL, on

    return _advance(scope=scope, application=application, expected=Stage.PROBATIONARY, verb="application.confirm",
                    check=check, apply=apply)


# -- brands and stories --------------------------------------------------------------------


def brand_create(*, scope: Scope, name: str, organization: Organization, description: str = "") -> Brand:
    scope.require(CHANGE, org=organization)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the brand a name.")})
    if Brand.objects.filter(organization=organization, name=name).exists():
        raise ValidationError({"name": _("%(org)s already has a brand with this name.") % {"org": organization.name}})
    with transaction.atomic():
        brand = Brand.objects.create(name=name, organization=organization, description=(description or "").strip())
        audit.record(scope.user, "brand.create", brand, audit.diff({}, audit.snapshot(brand)))
    return brand


def story_create(
    *,
    scope: Scope,
    title: str,
    organization: Organization,
    date: dt.date,
    text: str,
    people: Iterable[Person] = (),
    brand: Brand | None = None,
    photo: UploadedFile | None = None,
) -> Story:
    scope.require(RECORD, org=organization)
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the story a title.")})
    if not text:
        raise ValidationError({"text": _("Write the story.")})
    _not_future(date, "date")
    if photo is not None:
        validate_upload(photo, field="photo", types=PHOTO_TYPES)
    persons = list(people)
    with transaction.atomic():
        story = Story(title=title, organization=organization, date=date, text=text, brand=brand)
        if photo is not None:
            story.photo.save(photo.name or "photo", photo, save=False)
        story.save()
        if persons:
            story.people.set(persons)
        changes = audit.diff({}, _snap(story))
        changes["people"] = [[], [p.pk for p in persons]]
        audit.record(scope.user, "story.create", story, changes)
    return story
