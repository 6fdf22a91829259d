"""Writes to persons and memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.areas.models import Area
from bastion.core import audit
from bastion.core.personal import parse_phone, parse_resident_id
from bastion.core.text import search_key
from bastion.orgs.models import Organization
from bastion.people.models import Gender, Membership, MembershipRole, PartyStatus, Person

UNSET: Any = object()


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def clean_identity(
    *, id_number: str | None, phone: str | None, gender: str | None, birth_date: dt.date | None
) -> tuple[dict[str, Any], list[str]]:
    """Validate ID and phone; derive birth date and gender from the ID when not given."""
    out: dict[str, Any] = {}
    warnings: list[str] = []
    if id_number is not None:
        if id_number.strip():
            try:
                rid = parse_resident_id(id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
            warnings += rid.warnings
            out["id_number"] = rid.number
            if birth_date and birth_date != rid.birth_date:
                raise ValidationError(
                    {"birth_date": _("The birth date differs from the one in the ID number (%(date)s).")
                     % {"date": rid.birth_date.isoformat()}}
                )
            if gender and gender != Gender.UNKNOWN and gender != rid.gender:
                raise ValidationError({"gender": _("The gender differs from the one the ID number gives.")})
            out["birth_date"] = rid.birth_date
            out["gender"] = rid.gender
        else:
            out["id_number"] = None
    if phone is not None:
        if phone.strip():
            try:
                out["phone"] = parse_phone(phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.messages}) from exc
        else:
            out["phone"] = ""
    if "birth_date" not in out and birth_date is not None:
        if birth_date > _today():
            raise ValidationError({"birth_date": _("The birth date is in the future.")})
        out["birth_date"] = birth_date
    if "gender" not in out and gender is not None:
        if gender not in Gender.values:
            raise ValidationError({"gender": _("Unknown gender “%(value)s”.") % {"value": gender}})
        out["gender"] = gender
    return out, warnings


def _check_party(party_status: str, is_agency_cadre: bool, home_agency: str) -> None:
    if party_status not in PartyStatus.values:
        raise ValidationError({"party_status": _("Unknown party status “%(value)s”.") % {"value": party_status}})
    if home_agency and not is_agency_cadre:
        raise ValidationError({"home_agency": _("Only an agency cadre has a home agency.")})


def _save(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        if person.id_number and Person.objects.filter(id_number=person.id_number).exclude(pk=person.pk).exists():
            raise ValidationError({"id_number": _("Another person already has this ID number.")}) from exc
        raise


def person_create(
    *,
    scope: Scope,
    name: str,
    area: Area | None = None,
    id_number: str = "",
    phone: str = "",
    gender: str = Gender.UNKNOWN,
    birth_date: dt.date | None = None,
    party_status: str = PartyStatus.NONE,
    is_agency_cadre: bool = False,
    home_agency: str = "",
) -> Person:
    """Create a person. Returns it with `validation_warnings` (e.g. an unknown area code in the ID)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the person's name.")})
    if area is None:
        if not scope.unrestricted:
            raise ValidationError({"area": _("Choose the grid or community the person belongs to.")})
        scope.require_global("person.change")
    else:
        scope.require("person.change", area=area)
    identity, warnings = clean_identity(id_number=id_number, phone=phone, gender=gender, birth_date=birth_date)
    _check_party(party_status, is_agency_cadre, home_agency.strip())
    if identity.get("id_number") and Person.objects.filter(id_number=identity["id_number"]).exists():
        raise ValidationError({"id_number": _("Another person already has this ID number.")})
    person = Person(
        name=name,
        area=area,
        party_status=party_status,
        is_agency_cadre=is_agency_cadre,
        home_agency=home_agency.strip(),
        search_key=search_key(name),
        **identity,
    )
    with transaction.atomic():
        _save(person)
        audit.record(scope.user, "person.create", person, audit.diff({}, audit.snapshot(person)))
    person.validation_warnings = warnings  # type: ignore[attr-defined]
    return person


def person_update(
    *,
    scope: Scope,
    person: Person,
    name: str = UNSET,
    area: Area | None = UNSET,
    id_number: str = UNSET,
    phone: str = UNSET,
    gender: str = UNSET,
    birth_date: dt.date | None = UNSET,
    party_status: str = UNSET,
    is_agency_cadre: bool = UNSET,
    home_agency: str = UNSET,
) -> Person:
    """Change the given fields only; a field left out keeps its value."""
    scope.require("person.change", person=person)
    if area is not UNSET and area is not None:
        scope.require("person.change", area=area)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = audit.snapshot(person)
        if name is not UNSET:
            if not (name or "").strip():
                raise ValidationError({"name": _("Give the person's name.")})
            person.name = name.strip()
        if area is not UNSET:
            if area is None and not scope.unrestricted:
                raise ValidationError({"area": _("Choose the grid or community the person belongs to.")})
            person.area = area
        # A kept ID number is checked again when the birth date or gender changes: they must agree with it.
        checked_id = id_number if id_number is not UNSET else None
        if checked_id is None and (birth_date is not UNSET or gender is not UNSET):
            checked_id = person.id_number or None
        identity, warnings = clean_identity(
            id_number=checked_id,
            phone=phone if phone is not UNSET else None,
            gender=gender if gender is not UNSET else None,
            birth_date=birth_date if birth_date is not UNSET else None,
        )
        if id_number is UNSET:
            warnings = []  # only a newly entered ID number warns
        for key, value in identity.items():
            setattr(person, key, value)
        if birth_date is None and "birth_date" not in identity:
            person.birth_date = None  # an explicit None clears it (UNSET keeps it)
        if party_status is not UNSET:
            person.party_status = party_status
        if is_agency_cadre is not UNSET:
            person.is_agency_cadre = is_agency_cadre
        if home_agency is not UNSET:
            person.home_agency = (home_agency or "").strip()
        if not person.is_agency_cadre and home_agency is UNSET:
            person.home_agency = ""
        _check_party(person.party_status, person.is_agency_cadre, person.home_agency)
        person.search_key = search_key(person.name)
        _save(person)
        changes = audit.diff(before, audit.snapshot(person))
        changes.pop("search_key", None)
        audit.record(scope.user, "person.update", person, changes)
    person.validation_warnings = warnings  # type: ignore[attr-defined]
    return person


def person_reveal(*, scope: Scope, person: Person, fields: tuple[str, ...] = ("id_number", "phone")) -> dict[str, str]:
    """Return the unmasked personal identifiers; every reveal is audited."""
    scope.require("person.reveal", person=person)
    audit.record(scope.user, "person.reveal", person, {"fields": list(fields)})
    return {f: getattr(person, f) or "" for f in fields}


def membership_create(
    *,
    scope: Scope,
    person: Person,
    organization: Organization,
    role: str = MembershipRole.MEMBER,
    title: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Membership:
    scope.require("membership.change", org=organization)
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}})
    if start and end and end < start:
        raise ValidationError({"end": _("A membership cannot end before it starts.")})
    if organization.dissolved and start and start > organization.dissolved:
        raise ValidationError({"start": _("The organisation was dissolved before this date.")})
    if organization.established and start and start < organization.established:
        raise ValidationError({"start": _("The organisation was established after this date.")})
    overlapping = Membership.objects.filter(person=person, organization=organization, role=role)
    if start:
        overlapping = overlapping.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end:
        overlapping = overlapping.exclude(start__gt=end)
    if overlapping.exists():
        raise ValidationError({"role": _("This person already holds this role in this organisation then.")})
    membership = Membership(person=person, organization=organization, role=role, title=title.strip(), start=start,
                            end=end)
    with transaction.atomic():
        membership.save()
        audit.record(scope.user, "membership.create", membership, audit.diff({}, audit.snapshot(membership)))
    return membership


def membership_end(*, scope: Scope, membership: Membership, end: dt.date) -> Membership:
    scope.require("membership.change", org=membership.organization)
    if membership.end is not None:
        raise ValidationError({"end": _("This membership has already ended.")})
    if membership.start and end < membership.start:
        raise ValidationError({"end": _("A membership cannot end before it starts.")})
    with transaction.atomic():
        before = audit.snapshot(membership)
        membership.end = end
        membership.save(update_fields=["end", "updated_at"])
        audit.record(scope.user, "membership.end", membership, audit.diff(before, audit.snapshot(membership)))
    return membership
