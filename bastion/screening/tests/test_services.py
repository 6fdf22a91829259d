import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bastion.access.scope import system_scope
from bastion.coverage.tests.helpers import ID_A, ID_B, assign, household, resident, volunteer_user
from bastion.people.services import person_create
from bastion.screening import selectors, services
from bastion.screening.models import Isolation, IsolationCheck, Referral, ReleaseRecord, ScreeningTask, ScreeningVisit


def _isolation(person, start=None, days=None):
    return services.isolation_start(
        scope=system_scope(),
        person=person,
        reason="returned from Wuhan",
        start=start or timezone.localdate() - dt.timedelta(days=2),
        days=days,
    )


@pytest.mark.parametrize("temperature", ["33.9", "43.1", "abc"])
def test_temperature_outside_34_to_43_is_refused_and_nothing_written(district, temperature):
    person = resident(household(district.grids[0]))
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            scope=system_scope(), person=person, channel="door", temperature=temperature, outcome="home_isolation"
        )
    assert "temperature" in exc.value.message_dict
    assert ScreeningVisit.objects.count() == 0 and Isolation.objects.count() == 0


def test_future_time_is_refused(district):
    person = resident(household(district.grids[0]))
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            scope=system_scope(), person=person, channel="phone", at=timezone.now() + dt.timedelta(hours=2)
        )
    assert "at" in exc.value.message_dict
    assert ScreeningVisit.objects.count() == 0


def test_home_isolation_outcome_starts_a_14_day_isolation_with_twice_daily_checks(district):
    person = resident(household(district.grids[0]))
    visit = services.visit_record(
        scope=system_scope(),
        person=person,
        channel="door",
        temperature="36.6",
        travelled=True,
        travel_origin="武漢",
        return_date=timezone.localdate(),
        outcome="home_isolation",
    )
    iso = Isolation.objects.get(person=person)
    assert (iso.days, iso.checks_per_day, iso.status, iso.visit_id) == (14, 2, "active", visit.pk)
    assert "武漢" in iso.reason


def test_isolation_period_is_a_setting_with_a_per_case_override(district, settings):
    settings.BASTION_ISOLATION_DAYS = 21
    a = resident(household(district.grids[0], room="101"), name="甲")
    b = resident(household(district.grids[0], room="102"), name="乙")
    assert _isolation(a).days == 21
    iso = _isolation(b, days=7)
    assert iso.days == 7
    services.isolation_set_period(scope=system_scope(), isolation=iso, days=28)
    iso.refresh_from_db()
    assert iso.days == 28


def test_check_on_a_released_isolation_is_refused(district):
    iso = _isolation(resident(household(district.grids[0])))
    services.isolation_release(scope=system_scope(), isolation=iso)
    with pytest.raises(ValidationError) as exc:
        services.isolation_check_record(scope=system_scope(), isolation=iso, temperature="36.5")
    assert "isolation" in exc.value.message_dict
    assert IsolationCheck.objects.count() == 0


def test_isolation_that_ends_before_it_starts_is_refused(district):
    iso = _isolation(resident(household(district.grids[0])))
    with pytest.raises(ValidationError) as exc:
        services.isolation_release(scope=system_scope(), isolation=iso, end=iso.start - dt.timedelta(days=1))
    assert "end" in exc.value.message_dict
    iso.refresh_from_db()
    assert iso.status == "active" and ReleaseRecord.objects.count() == 0


def test_release_issues_a_numbered_record_of_the_community(district):
    iso = _isolation(resident(household(district.grids[0])))
    record = services.isolation_release(scope=system_scope(), isolation=iso)
    assert record.community == district.communities[0]
    assert record.number.startswith(district.communities[0].code)
    iso.refresh_from_db()
    assert (iso.status, iso.end) == ("released", timezone.localdate())


def test_referral_ends_the_isolation_and_records_its_outcome(district):
    iso = _isolation(resident(household(district.grids[0])))
    referral = services.referral_create(scope=system_scope(), person=iso.person, destination="市立醫院發熱門診")
    iso.refresh_from_db()
    assert iso.status == "referred" and referral.isolation == iso
    services.referral_set_outcome(scope=system_scope(), referral=referral, outcome="excluded")
    assert Referral.objects.get().outcome == "excluded"


def test_collect_once_stores_a_missing_id_and_refuses_a_bad_checksum(district):
    person = resident(household(district.grids[0]))
    with pytest.raises(ValidationError) as exc:
        services.visit_record(scope=system_scope(), person=person, channel="door", id_number=ID_A[:-1] + "9")
    assert "id_number" in exc.value.message_dict
    assert ScreeningVisit.objects.count() == 0
    services.visit_record(scope=system_scope(), person=person, channel="door", id_number=ID_A)
    person.refresh_from_db()
    assert person.id_number == ID_A
    with pytest.raises(ValidationError):
        services.visit_record(scope=system_scope(), person=person, channel="door", id_number=ID_B)


def test_recent_visit_by_anyone_in_scope_is_found(district, make_user, scope_of):
    person = resident(household(district.grids[0]))
    services.visit_record(
        scope=system_scope(),
        person=person,
        channel="door",
        travelled=True,
        travel_origin="武漢",
        return_date=timezone.localdate(),
    )
    scope = scope_of(make_user("community_worker", area=district.communities[0]))
    assert selectors.recent_visit(scope=scope, person=person).travel_origin == "武漢"
    other = scope_of(make_user("community_worker", area=district.communities[1]))
    assert selectors.recent_visit(scope=other, person=person) is None


def test_volunteer_records_only_for_whom_they_answer(district, make_user, scope_of):
    user, me = volunteer_user(district, make_user)
    mine = resident(household(district.grids[0], room="101"), name="甲")
    theirs = resident(household(district.grids[0], room="102"), name="乙")
    assign(me, household=mine.residences.get().household)
    scope = scope_of(user)
    visit = services.visit_record(scope=scope, person=mine, channel="door", temperature="36.4")
    assert visit.member == me
    with pytest.raises(PermissionDenied):
        services.visit_record(scope=scope, person=theirs, channel="door", temperature="36.4")
    # reading follows the same line
    assert list(selectors.screening_visit_list(scope=scope)) == [visit]


def test_screening_visit_list_counts_persons_and_members_in_a_period(district, make_user, scope_of):
    user, me = volunteer_user(district, make_user)
    a = resident(household(district.grids[0], room="101"), name="甲")
    assign(me, area=district.grids[0])
    services.visit_record(scope=scope_of(user), person=a, channel="door")
    services.visit_record(scope=scope_of(user), person=a, channel="phone")
    qs = selectors.screening_visit_list(
        scope=system_scope(), period_start=timezone.localdate(), period_end=timezone.localdate()
    )
    assert qs.values("person_id").distinct().count() == 1
    assert qs.values("member_id").distinct().count() == 1
    assert selectors.screening_visit_list(scope=system_scope(), period_end=dt.date(2020, 1, 1)).count() == 0


def test_checkpoint_hands_over_a_task_that_lands_on_the_responsible_members_today(district, make_user, scope_of):
    # given a resident with a known ID and a member answering for their household
    hh = household(district.grids[0])
    person = resident(hh, id_number=ID_A)
    user, me = volunteer_user(district, make_user)
    assign(me, household=hh)
    checkpoint = scope_of(make_user("checkpoint_member", area=district.district))
    # when the checkpoint hands over a fever referral to the community
    task = services.screening_task_create(
        scope=checkpoint,
        area=district.communities[0],
        name="張三",
        reason="體溫37.8°C",
        due=timezone.localdate(),
        source="青島火車站",
        id_number=ID_A,
    )
    # then it is linked to the person and appears on the member's Today, not on a stranger's
    assert (task.person, task.household) == (person, hh)
    assert [i.obj for i in selectors.today_items(scope=scope_of(user)) if i.kind == "task"] == [task]
    worker = scope_of(make_user("community_worker", area=district.communities[0]))
    assert [i for i in selectors.today_items(scope=worker) if i.kind == "task"] == []


def test_unknown_person_task_goes_to_the_community_workers(district, make_user, scope_of):
    checkpoint = scope_of(make_user("checkpoint_member", area=district.district))
    task = services.screening_task_create(
        scope=checkpoint,
        area=district.communities[0],
        name="陌生人",
        reason="發熱",
        due=timezone.localdate(),
        source="青島流亭機場",
        phone="13800138000",
    )
    worker = scope_of(make_user("community_worker", area=district.communities[0]))
    assert [i.obj for i in selectors.today_items(scope=worker) if i.kind == "task"] == [task]
    elsewhere = scope_of(make_user("community_worker", area=district.communities[1]))
    assert selectors.today_items(scope=elsewhere) == []


def test_task_with_bad_id_is_refused(district, make_user, scope_of):
    checkpoint = scope_of(make_user("checkpoint_member", area=district.district))
    with pytest.raises(ValidationError) as exc:
        services.screening_task_create(
            scope=checkpoint,
            area=district.communities[0],
            name="X",
            reason="r",
            due=timezone.localdate(),
            source="s",
            id_number="370202199001011230",
        )
    assert "id_number" in exc.value.message_dict
    assert ScreeningTask.objects.count() == 0


def test_today_lists_overdue_checks_first_and_drops_done_ones(district, make_user, scope_of):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    a = resident(hh, name="甲")
    b = resident(hh, name="乙", relation="spouse")
    c = resident(hh, name="丙", relation="child")
    now = timezone.now()
    iso_a = _isolation(a, start=timezone.localdate())  # due from midnight today
    iso_b = _isolation(b, start=timezone.localdate() - dt.timedelta(days=3))
    services.isolation_check_record(
        scope=system_scope(), isolation=iso_b, temperature="36.5", at=now - dt.timedelta(hours=1)
    )
    iso_c = _isolation(c, start=timezone.localdate() - dt.timedelta(days=20))  # period over: release
    items = selectors.today_items(scope=scope_of(user), now=now)
    kinds = {i.obj.pk: i.kind for i in items}
    assert kinds[iso_c.pk] == "release" and kinds[iso_a.pk] == "check"
    assert items[0].overdue
    # after the day's checks are done, the isolation leaves today's list
    services.isolation_check_record(
        scope=system_scope(), isolation=iso_b, temperature="36.5", at=now - dt.timedelta(minutes=5)
    )
    assert iso_b.pk not in {i.obj.pk for i in selectors.today_items(scope=scope_of(user), now=now)}


def test_self_report_token_round_trip_and_revocation(district):
    hh = household(district.grids[0])
    person = resident(hh)
    token = services.self_report_token(scope=system_scope(), household=hh)
    visit = services.self_report_submit(
        token=token, client_ip="10.0.0.1", person_id=person.pk, temperature="37.9", symptoms=["cough"]
    )
    assert (visit.channel, visit.temperature, visit.member) == ("self_report", Decimal("37.9"), None)
    services.self_report_revoke(scope=system_scope(), household=hh)
    with pytest.raises(ValidationError) as exc:
        services.self_report_submit(token=token, client_ip="10.0.0.1", person_id=person.pk, temperature="36.5")
    assert "token" in exc.value.message_dict
    assert ScreeningVisit.objects.count() == 1


def test_forged_and_expired_tokens_are_refused(district):
    hh = household(district.grids[0])
    person = resident(hh)
    token = services.self_report_token(scope=system_scope(), household=hh)
    forged = signing.dumps({"h": hh.pk, "v": hh.self_report_version}, salt="another salt")
    with pytest.raises(ValidationError):
        services.self_report_submit(token=forged, client_ip="1.1.1.1", person_id=person.pk, temperature="36.5")
    with pytest.raises(ValidationError):
        services.self_report_submit(
            token=token[:-2] + "xx", client_ip="1.1.1.1", person_id=person.pk, temperature="36.5"
        )
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 31 * 86400):
        old = signing.dumps({"h": hh.pk, "v": hh.self_report_version}, salt=services.SELF_REPORT_SALT, compress=True)
    with pytest.raises(ValidationError) as exc:
        services.self_report_submit(token=old, client_ip="1.1.1.1", person_id=person.pk, temperature="36.5")
    assert "expired" in exc.value.messages[0] or "過期" in exc.value.messages[0] or "过期" in exc.value.messages[0]
    assert ScreeningVisit.objects.count() == 0


def test_self_report_is_rate_limited_per_link_and_address(district, settings):
    settings.BASTION_SELF_REPORT_RATE_PER_HOUR = 2
    hh = household(district.grids[0])
    person = resident(hh)
    token = services.self_report_token(scope=system_scope(), household=hh)
    for _ in range(2):
        services.self_report_submit(token=token, client_ip="1.1.1.1", person_id=person.pk, temperature="36.5")
    with pytest.raises(ValidationError):
        services.self_report_submit(token=token, client_ip="1.1.1.1", person_id=person.pk, temperature="36.5")
    services.self_report_submit(token=token, client_ip="2.2.2.2", person_id=person.pk, temperature="36.5")
    assert ScreeningVisit.objects.count() == 3


def test_self_report_under_isolation_becomes_a_check_on_the_responsible_members_today(district, make_user, scope_of):
    user, me = volunteer_user(district, make_user)
    hh = household(district.grids[0])
    assign(me, household=hh)
    person = resident(hh)
    iso = _isolation(person)
    token = services.self_report_token(scope=system_scope(), household=hh)
    check = services.self_report_submit(token=token, client_ip="1.1.1.1", person_id=person.pk, temperature="37.5")
    assert isinstance(check, IsolationCheck) and check.isolation == iso
    scope = scope_of(user)
    assert [i.obj for i in selectors.today_items(scope=scope) if i.kind == "self_report"] == [check]
    services.today_review(scope=scope, kind="check", pk=check.pk)
    assert [i for i in selectors.today_items(scope=scope) if i.kind == "self_report"] == []


def test_self_report_for_someone_outside_the_household_is_refused(district):
    hh = household(district.grids[0])
    resident(hh)
    stranger = person_create(scope=system_scope(), name="外人", area=district.grids[0])
    token = services.self_report_token(scope=system_scope(), household=hh)
    with pytest.raises(ValidationError) as exc:
        services.self_report_submit(token=token, client_ip="1.1.1.1", person_id=stranger.pk, temperature="36.5")
    assert "person" in exc.value.message_dict


def test_visit_whose_isolation_is_refused_is_not_written_either(district):
    # given a person already under isolation
    person = resident(household(district.grids[0]))
    _isolation(person)
    # when a new screening sends them into home isolation again
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            scope=system_scope(), person=person, channel="door", temperature="36.5", outcome="home_isolation"
        )
    # then neither the visit nor a second isolation is written
    assert "person" in exc.value.message_dict
    assert ScreeningVisit.objects.count() == 0 and Isolation.objects.count() == 1


def test_referral_without_a_clinic_is_refused(district):
    person = resident(household(district.grids[0]))
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            scope=system_scope(), person=person, channel="door", temperature="38.5", outcome="referral"
        )
    assert "referral_destination" in exc.value.message_dict
    assert ScreeningVisit.objects.count() == 0 and Referral.objects.count() == 0
