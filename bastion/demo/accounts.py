"""One demo account per role, each linked to a person of the demo district.

The password is fixed and printed: these accounts exist only in a demo database. The
`demo` command refuses to run where a production secret key is configured, so the demo
password can never become the password of a production account.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.auth.hashers import check_password, make_password

from bastion.access.models import Grant, Role, User
from bastion.access.services import grant_create
from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.demo import demo as spine
from bastion.demo.context import DemoContext
from bastion.orgs.models import Organization, TemporaryPurpose
from bastion.people.models import Membership, MembershipRole, Person

DEMO_PASSWORD = "bastion-demo-2020"  # noqa: S105 - printed on purpose; demo databases only
STATION_TEAM_PURPOSE = TemporaryPurpose.CHECKPOINT_TEAM


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    person: str
    where: str  # the name of the area or organisation the grant covers


def _pioneer_grid() -> str:
    return spine.grid_name("仰口路社區", 1)


def account_specs() -> list[DemoAccount]:
    grid = _pioneer_grid()
    grid_secretary = (
        Membership.objects.filter(
            organization__name=spine.pioneer_branch_name(grid), role=MembershipRole.SECRETARY
        )
        .select_related("person")
        .first()
    )
    return [
        DemoAccount("district_admin", Role.DISTRICT_ADMIN, "孫興國", spine.DISTRICT_NAME),
        DemoAccount("street_officer", Role.STREET_OFFICER, "鄭海燕", "湛山街道"),
        DemoAccount("community_worker", Role.COMMUNITY_WORKER, "劉曉梅", "仰口路社區"),
        DemoAccount("grid_secretary", Role.GRID_SECRETARY, grid_secretary.person.name if grid_secretary else "", grid),
        DemoAccount("volunteer", Role.MEMBER, "孟凡星", grid),
        DemoAccount("checkpoint", Role.CHECKPOINT_MEMBER, "蓋海建", spine.STATION_NAME),
        DemoAccount("auditor", Role.AUDITOR, "韓立新", spine.DISTRICT_NAME),
    ]


def _grant_target(account: DemoAccount) -> tuple[Area | None, Organization | None]:
    if account.role == Role.CHECKPOINT_MEMBER:
        # The checkpoint loader adds the station's team; grant over it when it exists.
        station = Area.objects.get(name=account.where, kind=AreaKind.SITE)
        team = Organization.objects.filter(covered_areas=station, purpose=STATION_TEAM_PURPOSE).order_by("pk").first()
        if team is not None:
            return None, team
        return station, None
    return Area.objects.get(name=account.where, kind__in=[AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY,
                                                          AreaKind.GRID]), None


def _person(account: DemoAccount) -> Person:
    if account.role == Role.GRID_SECRETARY:
        membership = Membership.objects.select_related("person").get(
            organization__name=spine.pioneer_branch_name(account.where), role=MembershipRole.SECRETARY
        )
        return membership.person
    return Person.objects.get(name=account.person)


def ensure_accounts(ctx: DemoContext, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create (or keep) the demo accounts and their grants. Returns what was set up."""
    accounts = account_specs()
    encoded = _password_hash(password, [a.username for a in accounts])
    done = []
    for account in accounts:
        person = _person(account)
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create(username=account.username, password=encoded, person=person,
                                       first_name=person.name)
            audit.record(ctx.scope.user, "user.create", user,
                         {"username": [None, user.username], "person_id": [None, person.pk]})
        elif user.password != encoded:
            user.password = encoded
            user.save(update_fields=["password"])
        area, org = _grant_target(account)
        if not Grant.objects.filter(user=user, role=account.role, area=area, organization=org).exists():
            grant_create(actor=ctx.scope.user, user=user, role=account.role, area=area, organization=org)
        done.append(replace(account, person=person.name, where=str(org or area)))
    return done


def _password_hash(password: str, usernames: list[str]) -> str:
    """One hash for all demo accounts: hashing is slow on purpose, and the password is public anyway.

    An existing demo account's hash is kept when it still matches, so a second run changes nothing.
    """
    for encoded in User.objects.filter(username__in=usernames).values_list("password", flat=True).distinct():
        if check_password(password, encoded):
            return encoded
    return make_password(password)
