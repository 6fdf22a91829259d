"""Persons and memberships over JSON.

ID numbers and phones are masked in every response. `POST /persons/{id}/reveal` returns them in
clear to roles holding `person.reveal`, and each reveal leaves an audit event. Warnings that do
not stop a write (an ID area code missing from the code table) come back in `warnings`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.areas.models import Area
from bastion.areas.selectors import area_get
from bastion.core.apiutil import fields_renamed, patch_data, referenced
from bastion.orgs.models import Organization
from bastion.orgs.selectors import org_get
from bastion.people import selectors, services
from bastion.people.models import Gender, Membership, MembershipRole, PartyStatus, Person

router = Router(tags=["people"])

# Service field name -> request body field name.
FIELDS = {"area": "area_id", "person": "person_id", "organization": "organization_id"}


class PersonOut(Schema):
    id: int
    name: str
    gender: Gender
    birth_date: dt.date | None
    id_number_masked: str = Field(..., description="Only the last 4 characters are shown.")
    phone_masked: str = Field(..., description="Only the first 3 and last 4 digits are shown.")
    party_status: PartyStatus
    is_agency_cadre: bool
    home_agency: str
    area_id: int | None

    @staticmethod
    def resolve_id_number_masked(obj: Person) -> str:
        return obj.id_masked

    @staticmethod
    def resolve_phone_masked(obj: Person) -> str:
        return obj.phone_masked


class PersonWritten(PersonOut):
    warnings: list[str] = Field(default_factory=list, description="Accepted, but worth a second look.")

    @staticmethod
    def resolve_warnings(obj: Person) -> list[str]:
        return [str(w) for w in getattr(obj, "validation_warnings", [])]


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    area_id: int | None = None
    id_number: str = Field("", max_length=30)
    phone: str = Field("", max_length=30)
    gender: Gender = Gender.UNKNOWN
    birth_date: dt.date | None = None
    party_status: PartyStatus = PartyStatus.NONE
    is_agency_cadre: bool = False
    home_agency: str = Field("", max_length=200)


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    area_id: int | None = None
    id_number: str | None = Field(None, max_length=30, description="An empty string removes the ID number.")
    phone: str | None = Field(None, max_length=30, description="An empty string removes the phone.")
    gender: Gender | None = None
    birth_date: dt.date | None = None
    party_status: PartyStatus | None = None
    is_agency_cadre: bool | None = None
    home_agency: str | None = Field(None, max_length=200)


class RevealOut(Schema):
    id_number: str
    phone: str


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str
    organization_id: int
    organization_name: str
    role: MembershipRole
    title: str
    start: dt.date | None
    end: dt.date | None

    @staticmethod
    def resolve_person_name(obj: Membership) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organization_name(obj: Membership) -> str:
        return obj.organization.name


class MembershipIn(Schema):
    person_id: int
    organization_id: int
    role: MembershipRole = MembershipRole.MEMBER
    title: str = Field("", max_length=100)
    start: dt.date | None = None
    end: dt.date | None = None


class MembershipEndIn(Schema):
    end: dt.date


def _area(request: HttpRequest, field: str, pk: int | None) -> Area | None:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced(field, pk, lambda p: area_get(scope=scope, pk=p))


def _person(request: HttpRequest, field: str, pk: int | None) -> Person | None:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced(field, pk, lambda p: selectors.person_get(scope=scope, pk=p))


def _org(request: HttpRequest, field: str, pk: int | None) -> Organization | None:
    scope = request.scope  # type: ignore[attr-defined]
    return referenced(field, pk, lambda p: org_get(scope=scope, pk=p))


# -- persons ----------------------------------------------------------------------------


# Also without/with the trailing slash (hidden from the schema): a redirect would lose a POST body.
@router.get("/persons", response=list[PersonOut])
@router.get("/persons/", response=list[PersonOut], include_in_schema=False)
@scoped("person.view", api=True)
@paginate(LimitOffsetPagination)
def list_persons(request: HttpRequest, q: str = "", area_id: int | None = None) -> Any:
    """Persons in scope. `q` ignores the script (樓長 finds 楼长) and matches pinyin initials (dxz)."""
    return selectors.person_list(scope=request.scope, query=q, area_id=area_id)  # type: ignore[attr-defined]


@router.get("/persons/{person_id}", response=PersonOut)
@scoped("person.view", api=True)
def get_person(request: HttpRequest, person_id: int) -> Person:
    return selectors.person_get(scope=request.scope, pk=person_id)  # type: ignore[attr-defined]


@router.post("/persons", response={201: PersonWritten})
@router.post("/persons/", response={201: PersonWritten}, include_in_schema=False)
@scoped("person.change", api=True)
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    with fields_renamed(FIELDS):
        person = services.person_create(
            scope=request.scope,  # type: ignore[attr-defined]
            name=payload.name,
            area=_area(request, "area_id", payload.area_id),
            id_number=payload.id_number,
            phone=payload.phone,
            gender=payload.gender,
            birth_date=payload.birth_date,
            party_status=payload.party_status,
            is_agency_cadre=payload.is_agency_cadre,
            home_agency=payload.home_agency,
        )
    return Status(201, person)


@router.patch("/persons/{person_id}", response=PersonWritten)
@scoped("person.change", api=True)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    """Change the fields given; a field left out keeps its value.

    Null clears `birth_date` and `id_number` (like an empty string), and `area_id` for those who may
    register a person without an area; null on another field is a 422 naming it.
    """
    scope = request.scope  # type: ignore[attr-defined]
    person = selectors.person_get(scope=scope, pk=person_id)
    data = patch_data(payload, nullable={"area_id", "birth_date", "id_number"})
    changes: dict[str, Any] = {k: v for k, v in data.items() if k != "area_id"}
    if "id_number" in changes and changes["id_number"] is None:
        changes["id_number"] = ""
    if "area_id" in data:
        changes["area"] = _area(request, "area_id", data["area_id"])
    with fields_renamed(FIELDS):
        return services.person_update(scope=scope, person=person, **changes)


@router.post("/persons/{person_id}/reveal", response=RevealOut)
@scoped("person.reveal", api=True)
def reveal_person(request: HttpRequest, person_id: int) -> dict[str, str]:
    """The ID number and phone in clear. Needs `person.reveal`; every call is audited."""
    scope = request.scope  # type: ignore[attr-defined]
    person = selectors.person_get(scope=scope, pk=person_id)
    return services.person_reveal(scope=scope, person=person)


# -- memberships ------------------------------------------------------------------------


@router.get("/memberships", response=list[MembershipOut], tags=["memberships"])
@router.get("/memberships/", response=list[MembershipOut], tags=["memberships"], include_in_schema=False)
@scoped("membership.view", api=True)
@paginate(LimitOffsetPagination)
def list_memberships(
    request: HttpRequest,
    organization_id: int | None = None,
    person_id: int | None = None,
    current_on: dt.date | None = None,
) -> Any:
    """Memberships in scope, by organisation and/or person; `current_on` keeps those running that day."""
    scope = request.scope  # type: ignore[attr-defined]
    organization = _org(request, "query.organization_id", organization_id)
    person = _person(request, "query.person_id", person_id)
    return selectors.membership_list(scope=scope, organization=organization, person=person, current_on=current_on)


@router.get("/memberships/{membership_id}", response=MembershipOut, tags=["memberships"])
@scoped("membership.view", api=True)
def get_membership(request: HttpRequest, membership_id: int) -> Membership:
    return selectors.membership_get(scope=request.scope, pk=membership_id)  # type: ignore[attr-defined]


@router.post("/memberships", response={201: MembershipOut}, tags=["memberships"])
@router.post("/memberships/", response={201: MembershipOut}, tags=["memberships"], include_in_schema=False)
@scoped("membership.change", api=True)
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[Membership]:
    """Add a person to an organisation. Joining a temporary branch does not end other memberships."""
    with fields_renamed(FIELDS):
        membership = services.membership_create(
            scope=request.scope,  # type: ignore[attr-defined]
            person=_person(request, "person_id", payload.person_id),  # type: ignore[arg-type]
            organization=_org(request, "organization_id", payload.organization_id),  # type: ignore[arg-type]
            role=payload.role,
            title=payload.title,
            start=payload.start,
            end=payload.end,
        )
    return Status(201, membership)


@router.post("/memberships/{membership_id}/end", response=MembershipOut, tags=["memberships"])
@scoped("membership.change", api=True)
def end_membership(request: HttpRequest, membership_id: int, payload: MembershipEndIn) -> Membership:
    scope = request.scope  # type: ignore[attr-defined]
    membership = selectors.membership_get(scope=scope, pk=membership_id)
    return services.membership_end(scope=scope, membership=membership, end=payload.end)
