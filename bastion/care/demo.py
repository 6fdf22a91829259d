"""Demo care: the district's care policy with its 6 situations, the 12 measures for frontline
cadres, and a few cases at each stage of the approval chain (one of them paid).

Idempotent: policies, situations and measures are looked up by name, cases by person and situation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bastion.care import services
from bastion.care.models import Case, CaseStatus, MeasureKind, MeasureRecord
from bastion.ledger.models import Account, FundSource, Purpose
from bastion.orgs.models import Organization, OrgKind
from bastion.people.models import Person

DISTRICT_COMMITTEE = "市南區委"
SUBSIDY_POLICY = "關于在新型冠狀病毒感染的肺炎疫情防控中加強黨內關懷幫扶的實施辦法"
CADRE_POLICY = "關于關心關愛疫情防控阻擊戰一線干部的意見"
EFFECTIVE = dt.date(2020, 2, 1)

# (name, maximum yuan, paid as purpose code)
SITUATIONS = [
    ("奮戰在疫情防控一線的黨員", "1000.00", "frontline_visits"),
    ("在家隔離的生活困難黨員", "1000.00", "hardship_aid"),
    ("感染新型冠狀病毒肺炎的黨員", "3000.00", "hardship_aid"),
    ("因疫情導致家庭生活困難的黨員", "2000.00", "hardship_aid"),
    ("參與疫情防控的醫務工作者黨員", "1000.00", "frontline_visits"),
    ("在疫情防控中犧牲或致殘黨員的家屬", "5000.00", "hardship_aid"),
]
MEASURES = [
    ("及時配發口罩、防護服等防護物資", MeasureKind.GENERAL),
    ("連續值守時間較長的安排輪休調休", MeasureKind.REST_AFTER_DUTY),
    ("落實臨時性工作補助", MeasureKind.GENERAL),
    ("保障一線干部就餐和必要的休息場所", MeasureKind.GENERAL),
    ("組織健康體檢，做好心理疏導", MeasureKind.GENERAL),
    ("為一線干部購買專項意外保險", MeasureKind.GENERAL),
    ("幫助解決家庭實際困難", MeasureKind.GENERAL),
    ("開展走訪慰問", MeasureKind.GENERAL),
    ("在年度考核中作為評先評優的重要依據", MeasureKind.GENERAL),
    ("表現突出的優先提拔使用", MeasureKind.GENERAL),
    ("及時表彰獎勵先進典型", MeasureKind.GENERAL),
    ("落實容錯糾錯機制，為擔當者擔當", MeasureKind.GENERAL),
]
# (community committee, situation index, yuan, facts, stage reached)
CASES = [
    ("海口路社區黨委", 1, "800.00", "居家隔離期間無固定收入，家中老人需要照料。", CaseStatus.SUBMITTED),
    ("麥島社區黨委", 0, "500.00", "春節以來連續在小區卡口值守。", CaseStatus.SUBMITTED),
    ("珠海路社區黨委", 3, "1500.00", "配偶因疫情停工，家庭收入中斷。", CaseStatus.COMMUNITY_APPROVED),
    ("徐州路社區黨委", 0, "600.00", "擔任樓長，每日入戶排查。", CaseStatus.COMMUNITY_APPROVED),
    ("海口路社區黨委", 4, "1000.00", "社區衛生服務中心醫生，參與發熱門診。", CaseStatus.STREET_APPROVED),
    ("麥島社區黨委", 1, "700.00", "獨居老黨員，居家隔離期間生活困難。", CaseStatus.APPROVED),
    ("珠海路社區黨委", 0, "500.00", "先鋒防控小組成員，連續值守二十天。", CaseStatus.PAID),
    ("徐州路社區黨委", 3, "2000.00", "經核實家庭收入未受影響。", CaseStatus.REJECTED),
    # Waiting for the demo accounts: the community worker of 仰口路社區 decides the first,
    # the officer of 湛山街道 the second (the district admin decides 海口路社區's above).
    ("仰口路社區黨委", 1, "600.00", "居家隔離十四天，個體經營停業。", CaseStatus.SUBMITTED),
    ("秀湛路社區黨委", 0, "500.00", "先鋒防控小組成員，每日值守小區卡口。", CaseStatus.COMMUNITY_APPROVED),
]


def _person_in(org: Organization, index: int) -> Person | None:
    if org.area is None:
        return None
    people = Person.objects.filter(area__path__startswith=org.area.path).order_by("pk")
    return people[index] if people.count() > index else people.first()


def _advance(ctx: Any, case: Case, target: str) -> None:
    scope = ctx.scope
    if target == CaseStatus.REJECTED:
        services.case_decide(scope=scope, case=case, approve=False, comment="經核實不符合補助條件。")
        return
    goal = CaseStatus.APPROVED if target == CaseStatus.PAID else target
    comments = {CaseStatus.SUBMITTED: "情況屬實，同意上報。", CaseStatus.COMMUNITY_APPROVED: "經街道審核，同意。",
                CaseStatus.STREET_APPROVED: "同意給予補助。"}
    while case.status != goal and case.status in comments:
        case = services.case_decide(scope=scope, case=case, approve=True, comment=comments[CaseStatus(case.status)])
    if target == CaseStatus.PAID:
        account = Account.objects.get(organization__name=DISTRICT_COMMITTEE, fund_source=FundSource.DISTRICT_DUES,
                                      kind="fund", ring_fenced=False)
        services.case_pay(scope=scope, case=case, account=account, date=dt.date(2020, 2, 12))


def load(ctx: Any) -> None:
    scope = ctx.scope
    committee = ctx.org(DISTRICT_COMMITTEE)
    subsidy = services.policy_ensure(scope=scope, organization=committee, name=SUBSIDY_POLICY,
                                     effective_from=EFFECTIVE)
    situations = [
        services.situation_ensure(scope=scope, policy=subsidy, name=name, order=i + 1, max_amount=limit,
                                  purpose=Purpose.objects.get(code=purpose))
        for i, (name, limit, purpose) in enumerate(SITUATIONS)
    ]
    cadres = services.policy_ensure(scope=scope, organization=committee, name=CADRE_POLICY, effective_from=EFFECTIVE)
    measures = [services.measure_ensure(scope=scope, policy=cadres, name=name, order=i + 1, kind=kind)
                for i, (name, kind) in enumerate(MEASURES)]

    for index, (org_name, situation_index, amount, facts, stage) in enumerate(CASES):
        org = Organization.objects.filter(name=org_name, kind=OrgKind.COMMUNITY_COMMITTEE).first()
        if org is None:
            continue
        person = _person_in(org, index)
        situation = situations[situation_index]
        if person is None or Case.objects.filter(person=person, situation=situation).exists():
            continue
        case = services.case_create(scope=scope, situation=situation, person=person, organization=org, facts=facts,
                                    amount=amount)
        _advance(ctx, case, stage)

    # The station team leader: protective equipment given; rest after his 19-hour duty still to be arranged.
    leader = Person.objects.filter(name="蓋海建").first()
    if leader is not None and not MeasureRecord.objects.filter(person=leader, measure=measures[0]).exists():
        services.measure_record(scope=scope, person=leader, measure=measures[0], done_on=dt.date(2020, 1, 28),
                                note="N95口罩、防護服")
    ctx.log(f"care: {len(situations)} situations, {len(measures)} frontline measures, {len(CASES)} cases")
