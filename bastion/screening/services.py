"""Writes: screening visits, isolations and their checks, referrals, release records, tasks, self-reports.

Health data (temperatures, symptoms, findings) is never logged; audit diffs of health records name the
fields changed, not their values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.personal import parse_phone, parse_resident_id
from bastion.coverage import selectors as coverage
from bastion.coverage.models import Household, Resident
from bastion.coverage.services import acting
from bastion.people.models import Person
from bastion.people.services import person_update
from bastion.screening import conf, selectors
from bastion.screening.models import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    Channel,
    Contact,
    Isolation,
    IsolationCheck,
    IsolationKind,
    IsolationStatus,
    Outcome,
    Referral,
    ReferralOutcome,
    ReleaseRecord,
    ScreeningTask,
    ScreeningVisit,
    Symptom,
    TaskStatus,
)

# Clock skew allowed between a phone and the server before a time counts as "in the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
SELF_REPORT_SALT = "bastion.screening.self-report"


# -- validation helpers ----------------------------------------------------------------------------------------


def clean_temperature(value: Any, field: str = "temperature") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        temp = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("A temperature is a number such as 36.5.")}) from exc
    if not TEMPERATURE_MIN <= temp <= TEMPERATURE_MAX:
        raise ValidationError(
            {
                field: _("A body temperature must be between %(min)s and %(max)s °C; check the reading.")
                % {"min": TEMPERATURE_MIN, "max": TEMPERATURE_MAX}
            }
        )
    return temp


def clean_time(value: dt.datetime | None, field: str = "at") -> dt.datetime:
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + FUTURE_TOLERANCE:
        raise ValidationError({field: _("This time is in the future.")})
    return value


def clean_symptoms(values: Iterable[str] | None) -> list[str]:
    out = []
    for value in values or []:
        if value not in Symptom.values:
            raise ValidationError({"symptoms": _("Unknown symptom “%(value)s”.") % {"value": value}})
        if value not in out:
            out.append(value)
    return out


def _grid_of(person: Person, household: Household | None) -> Area:
    if household is not None:
        return household.grid
    if person.area is None:
        raise ValidationError({"person": _("This person has no household or area; register them first.")})
    return person.area


def _home(person: Person, household: Household | None) -> Household | None:
    return household if household is not None else coverage.current_household_of(person)


def require_record(scope: Scope, *, person: Person, household: Household | None, grid: Area) -> None:
    """screening.record over the grid, or screening.record_own for a household or person the user answers for."""
    if scope.unrestricted:
        return
    if scope.has("screening.record") and any(grid.path.startswith(p) for p in scope.area_paths("screening.record")):
        return
    if scope.has("screening.record_own"):
        t = coverage.scope_targets(scope)
        if person.pk in t.person_ids or any(grid.path.startswith(p) for p in t.area_paths):
            return
        if household is not None and (household.pk in t.household_ids or household.building_id in t.building_ids):
            return
    scope.deny(_("You may record screenings only for the households and persons you are responsible for."))


def _member_of(scope: Scope) -> Person | None:
    return getattr(scope.user, "person", None) if scope.user is not None else None


def _health_audit(scope: Scope, verb: str, obj: Any, fields: list[str]) -> None:
    audit.record(scope.user, verb, obj, {"fields": fields})


def _collect_identity(scope: Scope, person: Person, id_number: str, phone: str) -> None:
    """Store an ID number or phone only when the person has none yet: nobody is asked twice."""
    changes: dict[str, Any] = {}
    if id_number and id_number.strip():
        try:
            number = parse_resident_id(id_number).number
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
        if person.id_number and person.id_number != number:
            raise ValidationError({"id_number": _("This person already has a different ID number on record.")})
        if not person.id_number:
            changes["id_number"] = number
    if phone and phone.strip():
        try:
            parsed = parse_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
        if not person.phone:
            changes["phone"] = parsed
    if changes:
        person_update(scope=acting(scope), person=person, **changes)
        person.refresh_from_db()


# -- screening visits --------------------------------------------------------------------------------------------


def visit_record(
    *,
    scope: Scope,
    person: Person,
    channel: str,
    at: dt.datetime | None = None,
    household: Household | None = None,
    member: Person | None = None,
    travelled: bool = False,
    travel_origin: str = "",
    return_date: dt.date | None = None,
    contact: str = Contact.NONE,
    symptoms: Iterable[str] | None = None,
    temperature: Any = None,
    outcome: str = Outcome.NO_RISK,
    note: str = "",
    task: ScreeningTask | None = None,
    id_number: str = "",
    phone: str = "",
    isolation_days: int | None = None,
    isolation_reason: str = "",
    referral_destination: str = "",
) -> ScreeningVisit:
    """Record one screening. Home isolation or referral outcomes start the isolation / referral in the same
    transaction; a task it answers is closed."""
    household = _home(person, household)
    grid = _grid_of(person, household)
    if channel not in (Channel.DOOR, Channel.PHONE):
        raise ValidationError({"channel": _("Choose door visit or phone.")})
    require_record(scope, person=person, household=household, grid=grid)
    at = clean_time(at)
    temp = clean_temperature(temperature)
    symptom_list = clean_symptoms(symptoms)
    if contact not in Contact.values:
        raise ValidationError({"contact": _("Unknown contact “%(value)s”.") % {"value": contact}})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome “%(value)s”.") % {"value": outcome}})
    travel_origin = (travel_origin or "").strip()
    if not travelled:
        travel_origin, return_date = "", None
    elif not travel_origin:
        raise ValidationError({"travel_origin": _("Where did the person travel from?")})
    if return_date is not None:
        if return_date > timezone.localdate():
            raise ValidationError({"return_date": _("The return date is in the future.")})
        if return_date < timezone.localdate(at) - dt.timedelta(days=conf.travel_days()):
            travelled, travel_origin, return_date = False, "", None
    if outcome == Outcome.REFERRAL and not (referral_destination or "").strip():
        raise ValidationError({"referral_destination": _("Name the fever clinic the person is referred to.")})
    if task is not None and task.status != TaskStatus.OPEN:
        raise ValidationError({"task": _("This task is already closed.")})
    with transaction.atomic():
        _collect_identity(scope, person, id_number, phone)
        visit = ScreeningVisit.objects.create(
            person=person,
            household=household,
            grid=grid,
            channel=channel,
            at=at,
            member=member or _member_of(scope),
            recorded_by=scope.user if scope.user else None,
            travelled=travelled,
            travel_origin=travel_origin,
            return_date=return_date,
            contact=contact,
            symptoms=symptom_list,
            temperature=temp,
            outcome=outcome,
            note=(note or "").strip()[:300],
            task=task,
        )
        _health_audit(scope, "screening_visit.record", visit, ["channel", "outcome"])
        if outcome == Outcome.HOME_ISOLATION:
            isolation_start(
                scope=scope,
                person=person,
                household=household,
                reason=isolation_reason or _reason_of(visit),
                start=timezone.localdate(at),
                days=isolation_days,
                visit=visit,
            )
        elif outcome == Outcome.REFERRAL:
            referral_create(
                scope=scope,
                person=person,
                destination=referral_destination,
                at=at,
                reason=_reason_of(visit),
                visit=visit,
            )
        if task is not None:
            _task_close(scope, task, TaskStatus.DONE)
    return visit


def _reason_of(visit: ScreeningVisit) -> str:
    parts = []
    if visit.travelled:
        parts.append(_("travelled from %(origin)s") % {"origin": visit.travel_origin})
    if visit.contact != Contact.NONE:
        parts.append(str(Contact(visit.contact).label))
    if visit.symptoms or (visit.temperature and visit.temperature >= Decimal("37.3")):
        parts.append(_("symptoms"))
    return "; ".join(parts) or _("screening")


def visit_review(*, scope: Scope, visit: ScreeningVisit) -> ScreeningVisit:
    """Mark a self-report as seen by the responsible member."""
    require_record(scope, person=visit.person, household=visit.household, grid=visit.grid)
    if visit.reviewed_at is None:
        visit.reviewed_at = timezone.now()
        visit.reviewed_by = scope.user if scope.user else None
        visit.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
        audit.record(scope.user, "screening_visit.review", visit, {})
    return visit


# -- isolations --------------------------------------------------------------------------------------------------


def isolation_start(
    *,
    scope: Scope,
    person: Person,
    reason: str,
    start: dt.date | None = None,
    days: int | None = None,
    checks_per_day: int | None = None,
    kind: str = IsolationKind.HOME,
    household: Household | None = None,
    visit: ScreeningVisit | None = None,
) -> Isolation:
    household = _home(person, household)
    grid = _grid_of(person, household)
    require_record(scope, person=person, household=household, grid=grid)
    start = start or timezone.localdate()
    if start > timezone.localdate():
        raise ValidationError({"start": _("An isolation cannot start in the future.")})
    days = conf.isolation_days() if days in (None, "") else int(days)  # type: ignore[arg-type]
    if not 1 <= days <= 60:
        raise ValidationError({"days": _("An isolation period is between 1 and 60 days.")})
    checks = conf.checks_per_day() if checks_per_day in (None, "") else int(checks_per_day)  # type: ignore[arg-type]
    if not 1 <= checks <= 6:
        raise ValidationError({"checks_per_day": _("Between 1 and 6 checks a day.")})
    if kind not in IsolationKind.values:
        raise ValidationError({"kind": _("Unknown kind of isolation.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the isolation.")})
    if Isolation.objects.filter(person=person, status=IsolationStatus.ACTIVE).exists():
        raise ValidationError({"person": _("%(name)s is already under isolation.") % {"name": person}})
    with transaction.atomic():
        try:
            with transaction.atomic():
                iso = Isolation.objects.create(
                    person=person,
                    household=household,
                    grid=grid,
                    kind=kind,
                    reason=reason[:200],
                    start=start,
                    days=days,
                    checks_per_day=checks,
                    visit=visit,
                )
        except IntegrityError as exc:
            raise ValidationError({"person": _("%(name)s is already under isolation.") % {"name": person}}) from exc
        _health_audit(scope, "isolation.start", iso, ["start", "days", "kind"])
    return iso


def isolation_set_period(*, scope: Scope, isolation: Isolation, days: int) -> Isolation:
    """Per-case override of the isolation period (the national rules changed it during the epidemic)."""
    require_record(scope, person=isolation.person, household=isolation.household, grid=isolation.grid)
    if isolation.status != IsolationStatus.ACTIVE:
        raise ValidationError({"days": _("This isolation has ended; its period can no longer change.")})
    if not 1 <= int(days) <= 60:
        raise ValidationError({"days": _("An isolation period is between 1 and 60 days.")})
    with transaction.atomic():
        before = audit.snapshot(isolation, ["days"])
        isolation.days = int(days)
        isolation.save(update_fields=["days", "updated_at"])
        audit.record(
            scope.user, "isolation.set_period", isolation, audit.diff(before, audit.snapshot(isolation, ["days"]))
        )
    return isolation


def isolation_check_record(
    *,
    scope: Scope | None,
    isolation: Isolation,
    at: dt.datetime | None = None,
    temperature: Any = None,
    symptoms: Iterable[str] | None = None,
    channel: str = Channel.DOOR,
    note: str = "",
    member: Person | None = None,
) -> IsolationCheck:
    """One daily check. scope=None only for a self-report, whose token the caller has verified."""
    if scope is not None:
        require_record(scope, person=isolation.person, household=isolation.household, grid=isolation.grid)
        if channel == Channel.SELF_REPORT:
            raise ValidationError({"channel": _("A self-report comes through the household's link.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    at = clean_time(at)
    temp = clean_temperature(temperature)
    if temp is None and scope is None:
        raise ValidationError({"temperature": _("Give your temperature.")})
    symptom_list = clean_symptoms(symptoms)
    with transaction.atomic():
        iso = Isolation.objects.select_for_update().get(pk=isolation.pk)
        if iso.status != IsolationStatus.ACTIVE:
            raise ValidationError(
                {
                    "isolation": _("This isolation has ended (%(status)s); no more checks are recorded.")
                    % {"status": IsolationStatus(iso.status).label}
                }
            )
        if timezone.localdate(at) < iso.start:
            raise ValidationError({"at": _("This time is before the isolation started.")})
        check = IsolationCheck.objects.create(
            isolation=iso,
            at=at,
            channel=channel,
            temperature=temp,
            symptoms=symptom_list,
            note=(note or "").strip()[:300],
            member=(member or _member_of(scope)) if scope is not None else None,
            recorded_by=scope.user if scope is not None and scope.user else None,
        )
        audit.record(scope.user if scope else None, "isolation_check.record", check, {"fields": ["at", "channel"]})
    return check


def isolation_check_review(*, scope: Scope, check: IsolationCheck) -> IsolationCheck:
    iso = check.isolation
    require_record(scope, person=iso.person, household=iso.household, grid=iso.grid)
    if check.reviewed_at is None:
        check.reviewed_at = timezone.now()
        check.save(update_fields=["reviewed_at", "updated_at"])
        audit.record(scope.user, "isolation_check.review", check, {})
    return check


def _community_of(area: Area) -> Area:
    if area.kind == AreaKind.COMMUNITY:
        return area
    for ancestor in reversed(list(area.get_ancestors())):
        if ancestor.kind == AreaKind.COMMUNITY:
            return ancestor
    return area


def isolation_release(*, scope: Scope, isolation: Isolation, end: dt.date | None = None) -> ReleaseRecord:
    """End an isolation and issue the community's release record."""
    require_record(scope, person=isolation.person, household=isolation.household, grid=isolation.grid)
    end = end or timezone.localdate()
    if end > timezone.localdate():
        raise ValidationError({"end": _("A release cannot be dated in the future.")})
    with transaction.atomic():
        iso = Isolation.objects.select_for_update().get(pk=isolation.pk)
        if iso.status != IsolationStatus.ACTIVE:
            raise ValidationError({"isolation": _("This isolation has already ended.")})
        if end < iso.start:
            raise ValidationError(
                {"end": _("An isolation cannot end before it starts (%(start)s).") % {"start": iso.start.isoformat()}}
            )
        iso.status = IsolationStatus.RELEASED
        iso.end = end
        iso.save(update_fields=["status", "end", "updated_at"])
        community = _community_of(iso.grid)
        seq = ReleaseRecord.objects.filter(community=community, issued_on__year=end.year).count() + 1
        record = ReleaseRecord.objects.create(
            isolation=iso,
            community=community,
            issued_on=end,
            issued_by=scope.user if scope.user else None,
            number=f"{community.code or community.pk}-{end.year}-{seq:05d}",
        )
        audit.record(scope.user, "isolation.release", iso, {"status": ["active", "released"], "end": [None, str(end)]})
    isolation.refresh_from_db()
    return record


# -- referrals ---------------------------------------------------------------------------------------------------


def referral_create(
    *,
    scope: Scope,
    person: Person,
    destination: str,
    at: dt.datetime | None = None,
    reason: str = "",
    visit: ScreeningVisit | None = None,
    household: Household | None = None,
) -> Referral:
    """Refer a person to a fever clinic. An active isolation of the person ends as referred."""
    household = _home(person, household)
    grid = _grid_of(person, household)
    require_record(scope, person=person, household=household, grid=grid)
    destination = (destination or "").strip()
    if not destination:
        raise ValidationError({"destination": _("Name the fever clinic the person is referred to.")})
    at = clean_time(at)
    with transaction.atomic():
        iso = Isolation.objects.select_for_update().filter(person=person, status=IsolationStatus.ACTIVE).first()
        if iso is not None:
            end = max(timezone.localdate(at), iso.start)
            iso.status, iso.end = IsolationStatus.REFERRED, end
            iso.save(update_fields=["status", "end", "updated_at"])
            audit.record(scope.user, "isolation.refer", iso, {"status": ["active", "referred"]})
        referral = Referral.objects.create(
            person=person,
            household=household,
            grid=grid,
            at=at,
            destination=destination[:200],
            reason=(reason or "").strip()[:200],
            visit=visit,
            isolation=iso,
        )
        _health_audit(scope, "referral.create", referral, ["destination"])
    return referral


def referral_set_outcome(*, scope: Scope, referral: Referral, outcome: str, at: dt.datetime | None = None) -> Referral:
    require_record(scope, person=referral.person, household=referral.household, grid=referral.grid)
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome of the referral.")})
    at = clean_time(at)
    if at < referral.at:
        raise ValidationError({"at": _("The outcome cannot come before the referral.")})
    with transaction.atomic():
        referral.outcome, referral.outcome_at = outcome, at
        referral.save(update_fields=["outcome", "outcome_at", "updated_at"])
        _health_audit(scope, "referral.outcome", referral, ["outcome"])
    return referral


# -- tasks -------------------------------------------------------------------------------------------------------


def screening_task_create(
    *,
    scope: Scope,
    area: Area,
    name: str,
    reason: str,
    due: dt.date,
    source: str,
    person: Person | None = None,
    phone: str = "",
    id_number: str = "",
    address: str = "",
) -> ScreeningTask:
    """Hand a person over to a community (or one of its grids) for screening.

    Called e.g. by a checkpoint when a fever referral's destination is in the district: the caller needs
    screening.task_create anywhere, not a grant over the destination. A known person (by ID number or phone)
    is linked, with their household, so the task lands on the Today page of whoever answers for them; else on
    that of the community's workers.
    """
    if not scope.has("screening.task_create"):
        scope.deny()
    if area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
        raise ValidationError({"area": _("A screening task goes to a community or a grid.")})
    name = (name or "").strip()
    if not name and person is None:
        raise ValidationError({"name": _("Give the name of the person to screen.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the screening.")})
    if not (source or "").strip():
        raise ValidationError({"source": _("Say where the task comes from.")})
    number = ""
    if id_number and id_number.strip():
        try:
            number = parse_resident_id(id_number).number
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
    e164 = ""
    if phone and phone.strip():
        try:
            e164 = parse_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    if person is None and number:
        person = Person.objects.filter(id_number=number).first()
    if person is None and e164:
        person = Person.objects.filter(phone=e164, name=name).first()
    household = coverage.current_household_of(person) if person is not None else None
    if household is not None and not household.grid.path.startswith(area.path):
        household = None
    with transaction.atomic():
        task = ScreeningTask.objects.create(
            area=household.grid if household else area,
            household=household,
            person=person,
            name=name or (person.name if person else ""),
            phone=e164,
            id_number=number,
            address=(address or "").strip()[:300],
            reason=reason.strip()[:300],
            source=source.strip()[:200],
            due=due,
            created_by=scope.user if scope.user else None,
        )
        audit.record(scope.user, "screening_task.create", task, {"fields": ["area", "due", "source"]})
    return task


def _task_close(scope: Scope, task: ScreeningTask, status: str) -> ScreeningTask:
    task.status, task.done_at = status, timezone.now()
    task.save(update_fields=["status", "done_at", "updated_at"])
    audit.record(scope.user, f"screening_task.{status}", task, {"status": ["open", status]})
    return task


def screening_task_cancel(*, scope: Scope, task: ScreeningTask) -> ScreeningTask:
    scope.require("screening.record", area=task.area)
    if task.status != TaskStatus.OPEN:
        raise ValidationError({"task": _("This task is already closed.")})
    with transaction.atomic():
        return _task_close(scope, task, TaskStatus.CANCELLED)


def task_attach_person(*, scope: Scope, task: ScreeningTask, person: Person) -> ScreeningTask:
    """Link a handed-over task to the registered person it concerns."""
    household = coverage.current_household_of(person)
    require_record(scope, person=person, household=household, grid=_grid_of(person, household))
    with transaction.atomic():
        task.person, task.household = person, household
        task.save(update_fields=["person", "household", "updated_at"])
        audit.record(scope.user, "screening_task.attach", task, {"person": [None, person.pk]})
    return task


# -- self-report ---------------------------------------------------------------------------------------------------


def _require_self_report(scope: Scope, household: Household) -> None:
    if not scope.has("screening.self_report"):
        scope.deny()
    if scope.unrestricted:
        return
    if any(household.grid.path.startswith(p) for p in scope.area_paths("screening.self_report")) and scope.has(
        "screening.record"
    ):
        return
    if not Household.objects.filter(coverage.scope_targets(scope).household_q(), pk=household.pk).exists():
        scope.deny(_("You may hand out links only for the households you are responsible for."))


def self_report_token(*, scope: Scope, household: Household) -> str:
    """The household's signed self-report token (activates the link; the same token until revoked)."""
    _require_self_report(scope, household)
    if not household.self_report_enabled:
        with transaction.atomic():
            household.self_report_enabled = True
            household.save(update_fields=["self_report_enabled", "updated_at"])
            audit.record(scope.user, "household.self_report_enable", household, {})
    return _sign(household)


def _sign(household: Household) -> str:
    return signing.dumps({"h": household.pk, "v": household.self_report_version}, salt=SELF_REPORT_SALT, compress=True)


def self_report_revoke(*, scope: Scope, household: Household) -> Household:
    """Revoke every link handed out so far; a new one can be printed afterwards."""
    _require_self_report(scope, household)
    with transaction.atomic():
        Household.objects.filter(pk=household.pk).update(
            self_report_version=F("self_report_version") + 1, self_report_enabled=False
        )
        household.refresh_from_db()
        audit.record(scope.user, "household.self_report_revoke", household, {})
    return household


def self_report_household(token: str) -> Household:
    """The household a token opens, or a ValidationError for an expired, forged or revoked token."""
    max_age = dt.timedelta(days=conf.self_report_max_age_days())
    try:
        data = signing.loads(token, salt=SELF_REPORT_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            {"token": _("This link has expired; ask your building head or grid for a new one.")}
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError({"token": _("This link is not valid.")}) from exc
    household = Household.objects.filter(pk=data.get("h")).select_related("building", "grid").first()
    if household is None or household.self_report_version != data.get("v") or not household.self_report_enabled:
        raise ValidationError(
            {"token": _("This link has been withdrawn; ask your building head or grid for a new one.")}
        )
    return household


def self_report_rate_check(token: str, client_ip: str) -> None:
    """At most N submissions per hour per link and address (Django's cache; per process with locmem)."""
    digest = hashlib.sha256(f"{token}|{client_ip}".encode()).hexdigest()[:32]
    key = f"bastion:selfreport:{digest}"
    limit = conf.self_report_rate_per_hour()
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise ValidationError(
            {
                "token": ValidationError(
                    _("Too many reports from this link; please try again in an hour."), code="rate_limited"
                )
            }
        )


def self_report_submit(
    *,
    token: str,
    client_ip: str,
    person_id: int,
    temperature: Any,
    symptoms: Iterable[str] | None = None,
    note: str = "",
) -> ScreeningVisit | IsolationCheck:
    """A resident reports their own daily check through the household's link, without an account.

    Under isolation it is a check of the isolation; otherwise a self-report screening. Either lands on the
    responsible member's Today page until they mark it seen.
    """
    household = self_report_household(token)
    self_report_rate_check(token, client_ip)
    resident = (
        Resident.objects.filter(household=household, person_id=person_id, moved_out__isnull=True)
        .select_related("person")
        .first()
    )
    if resident is None:
        raise ValidationError({"person": _("Choose who is reporting.")})
    temp = clean_temperature(temperature)
    if temp is None:
        raise ValidationError({"temperature": _("Give your temperature.")})
    person = resident.person
    iso = Isolation.objects.filter(person=person, status=IsolationStatus.ACTIVE).first()
    if iso is not None:
        return isolation_check_record(
            scope=None, isolation=iso, temperature=temp, symptoms=symptoms, channel=Channel.SELF_REPORT, note=note
        )
    symptom_list = clean_symptoms(symptoms)
    with transaction.atomic():
        visit = ScreeningVisit.objects.create(
            person=person,
            household=household,
            grid=household.grid,
            channel=Channel.SELF_REPORT,
            at=timezone.now(),
            temperature=temp,
            symptoms=symptom_list,
            note=(note or "").strip()[:300],
            outcome=Outcome.NO_RISK,
        )
        audit.record(None, "screening_visit.self_report", visit, {"fields": ["temperature"]})
    return visit


def today_review(*, scope: Scope, kind: str, pk: int) -> None:
    """Mark a self-report (a visit or an isolation check) as seen."""
    if kind == "visit":
        visit = selectors.screening_visit_get(scope=scope, pk=pk)
        visit_review(scope=scope, visit=visit)
    else:
        check = IsolationCheck.objects.select_related("isolation__person", "isolation__household", "isolation__grid")
        item = check.filter(isolation__in=selectors.isolation_list(scope=scope)).filter(pk=pk).first()
        if item is None:
            raise ValidationError({"check": _("No such self-report.")})
        isolation_check_review(scope=scope, check=item)
