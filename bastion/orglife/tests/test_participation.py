import datetime as dt

from bastion.access.scope import system_scope
from bastion.orglife.selectors import participating_count, participating_person_ids, participation_by_source
from bastion.orglife.services import AttendanceEntry, activity_create, temporary_branch_establish
from bastion.people.services import membership_create, person_create

D = dt.date
P = {"period_start": D(2020, 1, 24), "period_end": D(2020, 2, 16)}


def test_a_person_participates_by_attending_or_serving_in_a_temporary_branch(branch, district, make_user, scope_of):
    s = system_scope()
    a, b, c = branch.members
    # given one member who attended a meeting in the period, one who attended only before it,
    activity_create(scope=s, organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="線上主題黨日",
                    mode="online", attendance=[AttendanceEntry(a), AttendanceEntry(c, present=False,
                                                                                  absence_reason="病假")])
    activity_create(scope=s, organization=branch.org, kind="theme_day", date=D(2020, 1, 10), topic="主題黨日",
                    attendance=[AttendanceEntry(b)])
    # and a cadre serving in a pioneer branch of another street
    cadre = person_create(scope=s, name="幹部", area=district.grid(1, 1, 1), is_agency_cadre=True,
                          home_agency="區財政局")
    membership_create(scope=s, person=cadre, organization=district.pioneer_branches[7], start=D(2020, 1, 26))
    # when participation is computed for the district
    ids = set(participating_person_ids(scope=s, **P))
    # then the attendee and the cadre take part; the absentee and the earlier attendee do not
    assert ids == {a.pk, cadre.pk}
    assert participating_count(scope=s, **P) == 2
    by_source = participation_by_source(scope=s, **P)
    assert by_source["attendance"] == 1 and by_source["temporary_branch"] == 1
    # a community worker of the first community sees only their part
    worker = scope_of(make_user("community_worker", area=district.communities[0]))
    assert set(participating_person_ids(scope=worker, **P)) == {a.pk}


def test_the_same_person_counts_once(branch, district):
    s = system_scope()
    a = branch.members[0]
    team = temporary_branch_establish(scope=s, name="突擊隊", parent=district.committee, purpose="assault_team",
                                      decided_by="區委組織部", decided_on=D(2020, 1, 25), secretary=a)
    activity_create(scope=s, organization=team, kind="oath", date=D(2020, 1, 25), topic="宣誓",
                    attendance=[AttendanceEntry(a)])
    activity_create(scope=s, organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="x",
                    attendance=[AttendanceEntry(a)])
    assert participating_count(scope=s, **P) == 1


def test_membership_ending_before_the_period_is_no_duty(district, branch):
    s = system_scope()
    p = person_create(scope=s, name="早退", area=district.grid(0, 0, 0))
    membership_create(scope=s, person=p, organization=district.pioneer_branches[0], start=D(2019, 12, 1),
                      end=D(2020, 1, 20))
    assert participating_count(scope=s, **P) == 0
