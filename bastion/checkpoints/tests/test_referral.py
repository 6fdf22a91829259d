"""Fever referral: the traveller's details, the outcome, and a screening task when they stay in the district."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bastion.access.scope import system_scope
from bastion.areas.services import area_create
from bastion.checkpoints.models import Outcome
from bastion.checkpoints.services import referral_create, referral_set_outcome
from bastion.core.models import AuditEvent
from bastion.screening.models import ScreeningTask


def test_a_referral_into_the_district_creates_a_screening_task_there(district, station, make_user, scope_of):
    # given a checkpoint member and a traveller heading for a grid of the district
    member = scope_of(make_user("checkpoint_member", org=station.team))
    grid = district.grids[5]
    # when the member refers the confirmed fever
    referral = referral_create(
        scope=member, entrance=station.entrances[0], temperature=Decimal("38.1"), reading_uuid=uuid.uuid4(),
        traveller_name="李四", id_number="11010519491231002X", phone="13912345678", travel_number="g1234",
        destination_address="西藏路1號", destination_area=grid,
    )
    # then the grid has a screening task naming the traveller, linked from the referral
    task = ScreeningTask.objects.get()
    assert (task.area, task.name, task.phone, task.address) == (grid, "李四", "+8613912345678", "西藏路1號")
    assert referral.screening_task_ref == str(task.pk)
    assert referral.travel_number == "G1234" and referral.outcome == Outcome.PENDING
    # and the audit trail keeps the ID number masked
    event = AuditEvent.objects.get(verb="referral.create")
    assert "11010519491231002X" not in str(event.diff)


def test_a_referral_leaving_the_district_creates_no_task(station):
    referral = referral_create(scope=system_scope(), entrance=station.entrances[0], temperature=Decimal("37.5"),
                               traveller_name="王五", id_kind="passport", id_number="E12345678",
                               destination_address="濟南市歷下區")
    assert referral.screening_task_ref == "" and not ScreeningTask.objects.exists()


def test_a_destination_outside_the_district_or_not_a_community_is_refused(station, district):
    s = system_scope()
    elsewhere = area_create(scope=s, name="李滄區", kind="district", code="370213", code_year=2020)
    for area in (elsewhere, district.streets[0]):
        with pytest.raises(ValidationError) as exc:
            referral_create(scope=s, entrance=station.entrances[0], temperature=Decimal("38.0"),
                            traveller_name="趙六", destination_area=area)
        assert "destination_area" in exc.value.message_dict


def test_a_normal_temperature_or_a_bad_id_number_is_refused(station):
    s = system_scope()
    with pytest.raises(ValidationError) as exc:
        referral_create(scope=s, entrance=station.entrances[0], temperature=Decimal("37.2"), traveller_name="甲")
    assert "temperature" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        referral_create(scope=s, entrance=station.entrances[0], temperature=Decimal("38.0"), traveller_name="甲",
                        id_number="110105194912310021")
    assert "id_number" in exc.value.message_dict


def test_the_outcome_is_recorded_once_chosen(station):
    s = system_scope()
    referral = referral_create(scope=s, entrance=station.entrances[0], temperature=Decimal("38.0"),
                               traveller_name="錢七")
    with pytest.raises(ValidationError):
        referral_set_outcome(scope=s, referral=referral, outcome="pending")
    referral_set_outcome(scope=s, referral=referral, outcome=Outcome.FEVER_CLINIC, note="市立醫院發熱門診")
    referral.refresh_from_db()
    assert referral.outcome == Outcome.FEVER_CLINIC and referral.outcome_at is not None
