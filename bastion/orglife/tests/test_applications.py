import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bastion.access.scope import system_scope
from bastion.orglife.models import Application
from bastion.orglife.selectors import applications_new, pipeline
from bastion.orglife.services import (
    application_admit,
    application_confirm,
    application_create,
    application_extend_probation,
    application_make_activist,
    application_make_target,
    application_record_talk,
)
from bastion.people.models import Person
from bastion.people.services import person_create

D = dt.date


@pytest.fixture
def wang(district):
    return person_create(scope=system_scope(), name="王嵩", area=district.grid(1, 1, 0), birth_date=D(1990, 3, 1))


def status(person):
    return Person.objects.get(pk=person.pk).party_status


def test_the_whole_pipeline_moves_the_persons_party_status(branch, wang):
    s = system_scope()
    app = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2020, 1, 30))
    assert status(wang) == "applicant"
    app = application_record_talk(scope=s, application=app, on=D(2020, 2, 20))
    app = application_make_activist(scope=s, application=app, on=D(2020, 2, 25))
    assert status(wang) == "activist"
    app = application_make_target(scope=s, application=app, on=D(2021, 2, 25))
    assert status(wang) == "development_target"
    app = application_admit(scope=s, application=app, on=D(2021, 7, 1), introducers=branch.members[:2])
    assert status(wang) == "probationary" and app.probation_end == D(2022, 7, 1)
    app = application_extend_probation(scope=s, application=app, months=6)
    assert app.probation_end == D(2023, 1, 1)
    app = application_confirm(scope=s, application=app, on=D(2023, 1, 1))
    assert status(wang) == "full" and app.stage == "full"


def test_an_applicant_must_be_eighteen(branch, district):
    young = person_create(scope=system_scope(), name="少年", area=district.grid(0, 0, 0), birth_date=D(2002, 2, 1))
    with pytest.raises(ValidationError) as err:
        application_create(scope=system_scope(), person=young, branch=branch.org, applied_on=D(2020, 1, 31))
    assert "17" in err.value.message_dict["applied_on"][0]
    assert status(young) == "none" and not Application.objects.exists()
    # on the 18th birthday the application is accepted
    application_create(scope=system_scope(), person=young, branch=branch.org, applied_on=D(2020, 2, 1))


def test_the_talk_must_be_within_a_month(branch, wang):
    s = system_scope()
    app = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2020, 1, 31))
    with pytest.raises(ValidationError) as err:
        application_record_talk(scope=s, application=app, on=D(2020, 3, 1))
    assert "2020-02-29" in err.value.message_dict["talk_on"][0]


def test_steps_out_of_order_are_refused(branch, wang):
    s = system_scope()
    app = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2020, 1, 30))
    with pytest.raises(ValidationError) as err:
        application_make_activist(scope=s, application=app, on=D(2020, 2, 1))
    assert "talk_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        application_admit(scope=s, application=app, on=D(2020, 2, 1), introducers=branch.members[:2])
    assert "stage" in err.value.message_dict
    assert status(wang) == "applicant"


def test_a_development_target_needs_a_year_as_activist(branch, wang):
    s = system_scope()
    app = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2020, 1, 30))
    app = application_record_talk(scope=s, application=app, on=D(2020, 2, 1))
    app = application_make_activist(scope=s, application=app, on=D(2020, 2, 2))
    with pytest.raises(ValidationError) as err:
        application_make_target(scope=s, application=app, on=D(2021, 2, 1))
    assert "2021-02-02" in err.value.message_dict["target_on"][0]
    assert status(wang) == "activist"


def test_introducers_must_be_two_full_members(branch, wang, district):
    s = system_scope()
    app = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2019, 1, 30))
    app = application_record_talk(scope=s, application=app, on=D(2019, 2, 1))
    app = application_make_activist(scope=s, application=app, on=D(2019, 2, 2))
    app = application_make_target(scope=s, application=app, on=D(2020, 2, 2))
    probationer = person_create(scope=s, name="預備黨員", area=district.grid(0, 0, 0), party_status="probationary")
    with pytest.raises(ValidationError) as err:
        application_admit(scope=s, application=app, on=D(2020, 7, 1), introducers=[branch.members[0], probationer])
    assert "introducers.1" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        application_admit(scope=s, application=app, on=D(2020, 7, 1), introducers=[branch.members[0]])
    assert "introducers" in err.value.message_dict
    assert status(wang) == "development_target"


def test_probation_is_extended_once_by_6_to_12_months_and_not_confirmed_early(branch, wang):
    s = system_scope()
    app = Application.objects.create(person=wang, branch=branch.org, applied_on=D(2018, 1, 1), stage="probationary",
                                      talk_on=D(2018, 1, 5), activist_on=D(2018, 2, 1), target_on=D(2019, 2, 1),
                                      admitted_on=D(2019, 7, 1), probation_end=D(2020, 7, 1))
    with pytest.raises(ValidationError):
        application_extend_probation(scope=s, application=app, months=3)
    with pytest.raises(ValidationError) as err:
        application_confirm(scope=s, application=app, on=D(2020, 6, 30))
    assert "2020-07-01" in err.value.message_dict["full_on"][0]
    application_extend_probation(scope=s, application=app, months=12)
    with pytest.raises(ValidationError):
        application_extend_probation(scope=s, application=app, months=6)


def test_pipeline_shows_what_is_due_next_and_what_is_late(branch, wang, district):
    s = system_scope()
    late = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2020, 1, 30))
    other = person_create(scope=s, name="李明", area=district.grid(0, 0, 0), birth_date=D(1995, 1, 1))
    fresh = application_create(scope=s, person=other, branch=branch.org, applied_on=D(2020, 2, 14))
    rows = {r.application.pk: r for r in pipeline(scope=s, branch=branch.org, today=D(2020, 3, 5))}
    assert rows[late.pk].next_step == "talk" and rows[late.pk].late and rows[late.pk].due == D(2020, 2, 29)
    assert rows[fresh.pk].next_step == "talk" and not rows[fresh.pk].late
    assert applications_new(scope=s, period_start=D(2020, 1, 24), period_end=D(2020, 2, 16)) == 2
    assert applications_new(scope=s, period_start=D(2020, 2, 1), period_end=D(2020, 2, 16)) == 1
