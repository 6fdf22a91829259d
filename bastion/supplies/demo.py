"""Demo supplies: 珠海路街道 buys 200 barrels (800 斤) of alcohol and 100 barrels (380 L) of 84
disinfectant with allocated party dues and distributes them to its four communities and to
珠海路派出所 and 奧帆中心派出所; 董彰 signs for 海口路社區's share. 海口路社區 keeps its share in
its store room and passes 10 barrels of alcohol on to two of its grid pioneer groups (the
street's figures do not change: onward hops are not the street's recipients).

Idempotent: purchases are looked up by buyer, item and date; distributions by lot and recipient.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bastion.ledger.models import Account, FundSource, Purpose
from bastion.orgs.models import Organization, OrgKind
from bastion.orgs.services import org_create
from bastion.people.models import Membership, MembershipRole, Person
from bastion.supplies import services
from bastion.supplies.models import Distribution, Method, Purchase, ReceivedLot, Use

STREET_AREA = "珠海路街道"
STREET = "珠海路街道黨工委"
COMMUNITIES = ["海口路社區黨委", "麥島社區黨委", "珠海路社區黨委", "徐州路社區黨委"]
POLICE = ["珠海路派出所", "奧帆中心派出所"]
WAREHOUSE = "珠海路街道防控物資倉庫"
BOUGHT_ON = dt.date(2020, 2, 3)
GIVEN_ON = dt.date(2020, 2, 4)

# item code, name, dimension, container, holds, unit, containers, yuan, paid from (allocated fund source)
PURCHASES = [
    ("alcohol", "75%酒精", "mass", "桶", "4", "jin", 200, "9000.00", FundSource.CENTRAL),
    ("disinfectant_84", "84消毒液", "volume", "桶", "3.8", "L", 100, "3800.00", FundSource.DISTRICT_DUES),
]
# containers per community and per police station: 4 × 40 + 2 × 20 = 200; 4 × 20 + 2 × 10 = 100
SHARES = {"alcohol": (40, 20), "disinfectant_84": (20, 10)}


def _signer(org: Organization) -> tuple[Person | None, str]:
    """The community committee's secretary, if the registry names one."""
    membership = (
        Membership.objects.filter(organization=org, role=MembershipRole.SECRETARY).select_related("person").first()
    )
    if membership is not None:
        return membership.person, membership.person.name
    return None, f"{org.name}值班人員"


COMMUNITY_STORE = "海口路社區防控物資室"
PASSED_ON = dt.date(2020, 2, 5)
PER_GRID = 5  # barrels of alcohol to each of two grid pioneer groups


def _pass_on(scope: Any, community: Organization) -> None:
    """海口路社區 takes its signed share into its store room and gives 2 × 5 barrels to two grids."""
    store = services.location_ensure(scope=scope, organization=community, name=COMMUNITY_STORE)
    for d in Distribution.objects.filter(recipient=community, source__isnull=True, signed_at__isnull=False,
                                         received_lot__isnull=True):
        services.distribution_receive(scope=scope, distribution=d, location=store)
    lot = ReceivedLot.objects.filter(location=store, item__code="alcohol").order_by("pk").first()
    if lot is None:
        return
    grids = Organization.objects.filter(
        path__startswith=community.path, depth=community.depth + 1, kind=OrgKind.TEMPORARY_BRANCH
    ).order_by("path")[:2]
    for grid in grids:
        if Distribution.objects.filter(source=lot, recipient=grid).exists():
            continue
        signer, signer_name = _signer(grid)
        services.distribution_create(
            scope=scope, lot=lot, recipient=grid, containers=PER_GRID, method=Method.DEDICATED_VEHICLE,
            use=Use.RESIDENTIAL_COMPOUNDS, use_note="網格樓院消毒", date=PASSED_ON, signer=signer,
            signer_name=signer_name,
        )


def load(ctx: Any) -> None:
    scope = ctx.scope
    street = Organization.objects.filter(name=STREET, kind=OrgKind.STREET_COMMITTEE).first()
    if street is None:
        ctx.log(f"supplies: {STREET} not found; nothing loaded")
        return
    police = []
    for name in POLICE:
        org = Organization.objects.filter(name=name, kind=OrgKind.OTHER).first()
        police.append(org or org_create(scope=scope, name=name, kind=OrgKind.OTHER, parent=street,
                                        area=street.area))
    communities = [ctx.org(name) for name in COMMUNITIES]
    warehouse = services.location_ensure(scope=scope, organization=street, name=WAREHOUSE)
    supplies_purpose = Purpose.objects.get(code="prevention_supplies")
    dong = Person.objects.filter(name="董彰").first()

    for code, name, dimension, container, holds, unit, count, amount, source in PURCHASES:
        item = services.item_ensure(scope=scope, code=code, name=name, dimension=dimension)
        lot = Purchase.objects.filter(organization=street, item=item, date=BOUGHT_ON).first()
        if lot is None:
            account = Account.objects.get(organization=street, fund_source=source, kind="fund", ring_fenced=True)
            lot = services.purchase_create(
                scope=scope, organization=street, item=item, container_name=container, holds=holds,
                holds_unit=unit, containers=count, amount=amount, account=account, purpose=supplies_purpose,
                location=warehouse, date=BOUGHT_ON, supplier="青島市南區防疫物資定點供應商",
            )
        per_community, per_station = SHARES[code]
        for org in communities + police:
            if Distribution.objects.filter(purchase=lot, recipient=org).exists():
                continue
            is_police = org in police
            if org.name == "海口路社區黨委" and dong is not None:
                signer, signer_name = dong, dong.name
            elif is_police:
                signer, signer_name = None, f"{org.name}值班民警"
            else:
                signer, signer_name = _signer(org)
            services.distribution_create(
                scope=scope, purchase=lot, recipient=org, containers=per_station if is_police else per_community,
                method=Method.CENTRAL_PICKUP if is_police else Method.DEDICATED_VEHICLE,
                use=Use.CHECKPOINTS if is_police else Use.RESIDENTIAL_COMPOUNDS,
                use_note="" if is_police else "小區樓院、九小場所消毒",
                date=GIVEN_ON, signer=signer, signer_name=signer_name,
            )
    _pass_on(scope, ctx.org(COMMUNITIES[0]))
    ctx.log(f"supplies: {STREET_AREA} bought alcohol and 84 disinfectant and gave them to "
            f"{len(communities) + len(police)} recipients")
