"""Writes for checkpoints: entrances, device tokens, shifts (and their duty warnings), referrals.

Readings and tallies arrive in batches through `bastion.checkpoints.ingest`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid as uuidlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.scope import Scope, ScopeGrant
from bastion.areas.models import Area, AreaKind
from bastion.checkpoints import conf
from bastion.checkpoints.duty import merge
from bastion.checkpoints.models import DeviceToken, DutyWarning, Entrance, IdKind, Outcome, Referral, Shift
from bastion.checkpoints.permissions import MANAGE, RECORD
from bastion.core import audit
from bastion.core.personal import parse_phone, parse_resident_id
from bastion.people.models import Person

DEVICE_TOKEN_PREFIX = "bcd_"  # noqa: S105 - a marker, not a secret


def _snapshot(obj: Any) -> dict[str, Any]:
    """audit.snapshot, with UUIDs as text so the diff is JSON."""
    return {k: str(v) if isinstance(v, uuidlib.UUID) else v for k, v in audit.snapshot(obj).items()}


# -- entrances ------------------------------------------------------------------------------
def entrance_create(*, scope: Scope, site: Area, name: str) -> Entrance:
    scope.require(MANAGE, area=site)
    name = (name or "").strip()
    if site.kind != AreaKind.SITE:
        raise ValidationError({"site": _("Entrances belong to a site (a station, an airport, a gate).")})
    if not name:
        raise ValidationError({"name": _("Give the entrance a name.")})
    if Entrance.objects.filter(site=site, name=name).exists():
        raise ValidationError({"name": _("This site already has an entrance called “%(name)s”.") % {"name": name}})
    with transaction.atomic():
        entrance = Entrance.objects.create(site=site, name=name[:100])
        audit.record(scope.user, "entrance.create", entrance, {"site": [None, site.pk], "name": [None, entrance.name]})
    return entrance


# -- device tokens --------------------------------------------------------------------------
def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def device_token_create(*, scope: Scope, site: Area, name: str) -> tuple[DeviceToken, str]:
    """A token for one reading device at one site. The raw token is returned once and never stored."""
    scope.require(MANAGE, area=site)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token after the device that will use it.")})
    raw = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = DeviceToken.objects.create(
            site=site, name=name[:100], prefix=raw[:12], token_hash=_hash(raw), created_by=scope.user
        )
        audit.record(scope.user, "device_token.create", token, {"name": [None, token.name], "site": [None, site.pk]})
    return token, raw


def device_token_revoke(*, scope: Scope, token: DeviceToken) -> DeviceToken:
    scope.require(MANAGE, area=token.site)
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(scope.user, "device_token.revoke", token, {"revoked_at": [None, token.revoked_at.isoformat()]})
    return token


def device_token_authenticate(raw: str) -> DeviceToken | None:
    """The active device token for a raw bearer token, or None."""
    if not raw or not raw.startswith(DEVICE_TOKEN_PREFIX):
        return None
    token = DeviceToken.objects.select_related("site").filter(token_hash=_hash(raw), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def device_scope(token: DeviceToken) -> Scope:
    """A device acts as a checkpoint member over its own site, and nowhere else."""
    return Scope(user=None, grants=(ScopeGrant(role="checkpoint_member", area_path=token.site.path),))


# -- shifts and continuous duty ---------------------------------------------------------------
def _check_shift_times(start: dt.datetime, end: dt.datetime | None) -> None:
    if timezone.is_naive(start) or (end is not None and timezone.is_naive(end)):
        raise ValidationError({"start": _("Give times with their time zone.")})
    if end is not None and end <= start:
        raise ValidationError({"end": _("A shift must end after it starts.")})
    if start > timezone.now() + conf.clock_skew():
        raise ValidationError({"start": _("A shift cannot start in the future.")})


def sync_duty_warnings(*, person: Person, site: Area, now: dt.datetime | None = None) -> list[DutyWarning]:
    """Bring the person's warnings at the site in step with their shifts there.

    A continuous duty longer than the long-duty setting has exactly one warning; an
    existing warning that overlaps it is updated (so its id stays), others are removed.
    """
    now = now or timezone.now()
    rows = Shift.objects.filter(person=person, entrance__site=site).values_list("person_id", "start", "end")
    long_duties = [d for d in merge(rows, gap=conf.duty_gap(), now=now) if d.end - d.start > conf.long_duty()]
    existing = list(DutyWarning.objects.filter(person=person, site=site).order_by("start", "pk"))
    kept: list[DutyWarning] = []
    used: set[int] = set()
    for duty in long_duties:
        match = next(
            (w for w in existing if w.pk not in used and w.start < duty.end and w.end > duty.start), None
        )
        if match is None:
            match = DutyWarning(person=person, site=site)
        else:
            used.add(match.pk)
        if (match.start, match.end, match.hours) != (duty.start, duty.end, duty.hours):
            match.start, match.end, match.hours = duty.start, duty.end, duty.hours
            # A warning whose start moved may collide with a stale one starting there.
            DutyWarning.objects.filter(person=person, site=site, start=duty.start).exclude(pk=match.pk).delete()
            match.save()
        kept.append(match)
    stale = [w.pk for w in existing if w.pk not in used]
    if stale:
        DutyWarning.objects.filter(pk__in=stale).delete()
    return kept


def shift_create(
    *, scope: Scope, person: Person, entrance: Entrance, start: dt.datetime, end: dt.datetime | None = None
) -> Shift:
    scope.require(RECORD, area=entrance.site)
    _check_shift_times(start, end)
    overlapping = Shift.objects.filter(person=person, entrance=entrance).exclude(end__isnull=False, end__lte=start)
    if end is not None:
        overlapping = overlapping.filter(start__lt=end)
    if overlapping.exists():
        raise ValidationError({"start": _("This person already has a shift at this entrance then.")})
    with transaction.atomic():
        shift = Shift.objects.create(person=person, entrance=entrance, start=start, end=end)
        audit.record(scope.user, "shift.create", shift, audit.diff({}, audit.snapshot(shift)))
        sync_duty_warnings(person=person, site=entrance.site)
    return shift


def shift_end(*, scope: Scope, shift: Shift, end: dt.datetime) -> Shift:
    scope.require(RECORD, area=shift.entrance.site)
    if shift.end is not None:
        raise ValidationError({"end": _("This shift has already ended.")})
    _check_shift_times(shift.start, end)
    with transaction.atomic():
        before = audit.snapshot(shift)
        shift.end = end
        shift.save(update_fields=["end", "updated_at"])
        audit.record(scope.user, "shift.end", shift, audit.diff(before, audit.snapshot(shift)))
        sync_duty_warnings(person=shift.person, site=shift.entrance.site)
    return shift


def shift_delete(*, scope: Scope, shift: Shift) -> None:
    scope.require(RECORD, area=shift.entrance.site)
    with transaction.atomic():
        audit.record(scope.user, "shift.delete", shift, audit.diff(audit.snapshot(shift), {}))
        person, site = shift.person, shift.entrance.site
        shift.delete()
        sync_duty_warnings(person=person, site=site)


# -- referrals --------------------------------------------------------------------------------
def _district_of(area: Area) -> Area | None:
    if area.kind == AreaKind.DISTRICT:
        return area
    return area.get_ancestors().filter(kind=AreaKind.DISTRICT).first()


def referral_create(
    *,
    scope: Scope,
    entrance: Entrance,
    temperature: Decimal,
    traveller_name: str,
    reading_uuid: Any = None,
    id_kind: str = IdKind.RESIDENT_ID,
    id_number: str = "",
    phone: str = "",
    travel_number: str = "",
    destination_address: str = "",
    destination_area: Area | None = None,
    referred_at: dt.datetime | None = None,
) -> Referral:
    """Open a referral for a confirmed fever.

    When the destination is a community or grid in the site's district, a screening task
    is created there (bastion.screening.services.screening_task_create) so the community
    follows the traveller up.
    """
    scope.require(RECORD, area=entrance.site)
    traveller_name = (traveller_name or "").strip()
    if not traveller_name:
        raise ValidationError({"traveller_name": _("Give the traveller's name.")})
    if temperature is None or not conf.TEMPERATURE_MIN <= temperature <= conf.TEMPERATURE_MAX:
        raise ValidationError({"temperature": _("A temperature is between 30.0 and 45.0 °C.")})
    if temperature < conf.fever_threshold():
        raise ValidationError(
            {"temperature": _("%(t)s °C is below the fever threshold of %(limit)s °C.")
             % {"t": temperature, "limit": conf.fever_threshold()}}
        )
    if id_kind not in IdKind.values:
        raise ValidationError({"id_kind": _("Unknown document kind.")})
    id_number = (id_number or "").strip().upper()
    if id_number and id_kind == IdKind.RESIDENT_ID:
        try:
            id_number = parse_resident_id(id_number).number
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
    if phone and phone.strip():
        try:
            phone = parse_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    else:
        phone = ""
    if destination_area is not None:
        district = _district_of(entrance.site)
        if destination_area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID) or district is None or not (
            destination_area.path.startswith(district.path)
        ):
            raise ValidationError(
                {"destination_area": _("Choose a community or grid in the district of this site, or leave it empty.")}
            )
    referred_at = referred_at or timezone.now()
    if referred_at > timezone.now() + conf.clock_skew():
        raise ValidationError({"referred_at": _("A referral cannot be in the future.")})
    if reading_uuid and Referral.objects.filter(reading_uuid=reading_uuid).exists():
        raise ValidationError({"reading_uuid": _("This reading already has a referral.")})
    referral = Referral(
        entrance=entrance,
        reading_uuid=reading_uuid or None,
        referred_at=referred_at,
        temperature=temperature,
        traveller_name=traveller_name[:100],
        id_kind=id_kind,
        id_number=id_number[:32],
        phone=phone,
        travel_number=(travel_number or "").strip().upper()[:20],
        destination_address=(destination_address or "").strip()[:300],
        destination_area=destination_area,
        created_by=scope.user,
    )
    with transaction.atomic():
        referral.save()
        if destination_area is not None:
            referral.screening_task_ref = _create_screening_task(scope, referral)
            referral.save(update_fields=["screening_task_ref"])
        audit.record(scope.user, "referral.create", referral, audit.diff({}, _snapshot(referral)))
    return referral


def _create_screening_task(scope: Scope, referral: Referral) -> str:
    """The screening task for a referred traveller heading into the district; returns its id.

    The caller needs screening.task_create (checkpoint members hold it), not a grant over
    the destination community.
    """
    from bastion.screening.services import screening_task_create

    area = referral.destination_area
    assert area is not None  # noqa: S101 - guarded by the caller
    task = screening_task_create(
        scope=scope,
        area=area,
        name=referral.traveller_name,
        reason=_("Fever of %(t)s °C at %(entrance)s; travelling by %(travel)s")
        % {"t": referral.temperature, "entrance": str(referral.entrance), "travel": referral.travel_number or "—"},
        due=timezone.localdate(referral.referred_at) + dt.timedelta(days=1),
        source=f"checkpoint_referral:{referral.pk}",
        phone=referral.phone,
        id_number=referral.id_number if referral.id_kind == IdKind.RESIDENT_ID else "",
        address=referral.destination_address,
    )
    return str(getattr(task, "pk", task))


def referral_set_outcome(
    *, scope: Scope, referral: Referral, outcome: str, note: str = "", at: dt.datetime | None = None
) -> Referral:
    scope.require(RECORD, area=referral.entrance.site)
    at = at or timezone.now()
    if at < referral.referred_at:
        raise ValidationError({"at": _("The outcome cannot come before the referral.")})
    if outcome not in (Outcome.FEVER_CLINIC, Outcome.RELEASED):
        raise ValidationError({"outcome": _("Choose: sent to a fever clinic, or released after re-check.")})
    with transaction.atomic():
        before = _snapshot(referral)
        referral.outcome = outcome
        referral.outcome_at = at
        referral.note = (note or "").strip()[:300]
        referral.save(update_fields=["outcome", "outcome_at", "note", "updated_at"])
        audit.record(scope.user, "referral.outcome", referral, audit.diff(before, _snapshot(referral)))
    return referral
