import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bastion.access.scope import system_scope
from bastion.orglife.selectors import brand_count, pledge_count, pledge_list, story_list
from bastion.orglife.services import brand_create, pledge_create, story_create

D = dt.date


def test_a_pledge_is_shown_for_its_person_and_counted(branch, make_user, scope_of, district):
    dou = branch.members[0]
    pledge_create(scope=system_scope(), person=dou, organization=branch.org, kind="guarantee", date=D(2020, 1, 28),
                  text="我是老黨員，我保證……")
    scope = scope_of(make_user("community_worker", area=district.communities[0]))
    assert [p.person for p in pledge_list(scope=scope, person=dou)] == [dou]
    assert pledge_count(scope=scope, period_start=D(2020, 1, 24), period_end=D(2020, 2, 16)) == 1
    # a worker of another community does not see it
    other = scope_of(make_user("community_worker", area=district.communities[3]))
    assert pledge_count(scope=other) == 0


def test_a_pledge_needs_text_and_a_known_kind(branch):
    with pytest.raises(ValidationError) as err:
        pledge_create(scope=system_scope(), person=branch.members[0], organization=branch.org, kind="guarantee",
                      date=D(2020, 1, 28), text="  ")
    assert "text" in err.value.message_dict
    with pytest.raises(ValidationError):
        pledge_create(scope=system_scope(), person=branch.members[0], organization=branch.org, kind="promise",
                      date=D(2020, 1, 28), text="x")


def test_brands_are_unique_per_organisation_and_counted(branch, district):
    s = system_scope()
    brand = brand_create(scope=s, name="疫線先鋒", organization=district.committee, description="區級品牌")
    brand_create(scope=s, name="黨員沖鋒號", organization=branch.org)
    with pytest.raises(ValidationError):
        brand_create(scope=s, name="疫線先鋒", organization=district.committee)
    assert brand_count(scope=s) == 2
    story_create(scope=s, title="77歲樓長", organization=branch.org, date=D(2020, 2, 1), text="竇秀珍……",
                 people=[branch.members[0]], brand=brand)
    assert [st.title for st in story_list(scope=s, person=branch.members[0])] == ["77歲樓長"]


def test_a_story_photo_must_be_an_image(branch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as err:
        story_create(scope=system_scope(), title="x", organization=branch.org, date=D(2020, 2, 1), text="y",
                     photo=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    assert "photo" in err.value.message_dict
    story = story_create(scope=system_scope(), title="x", organization=branch.org, date=D(2020, 2, 1), text="y",
                         photo=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10))
    assert (tmp_path / story.photo.name).exists()
