import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bastion.access.scope import system_scope
from bastion.core.models import AuditEvent
from bastion.orglife.models import MAX_UPLOAD_BYTES, Activity, ActivityAttachment, Attendance
from bastion.orglife.services import AttendanceEntry, activity_create, activity_set_attendance, attachment_add
from bastion.people.services import person_create

D = dt.date
PDF = b"%PDF-1.4\n% minutes\n"


def test_secretary_records_a_meeting_with_attendance(branch, make_user, scope_of, settings, tmp_path):
    # given a grid secretary of the branch's grid
    settings.MEDIA_ROOT = tmp_path
    scope = scope_of(make_user("grid_secretary", area=branch.org.area))
    a, b, c = branch.members
    # when they record a committee meeting with one absentee and the minutes as a PDF
    activity = activity_create(
        scope=scope, organization=branch.org, kind="committee_meeting", date=D(2020, 2, 3), topic="部署疫情防控",
        host=branch.secretary, minutes="分工包片",
        attendance=[
            AttendanceEntry(a), AttendanceEntry(b), AttendanceEntry(c, present=False, absence_reason="值守卡口")
        ],
        attachments=[SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")],
    )
    # then attendance, attachment and an audit event are stored
    assert Attendance.objects.filter(activity=activity, present=True).count() == 2
    assert Attendance.objects.get(activity=activity, person=c).absence_reason == "值守卡口"
    attachment = ActivityAttachment.objects.get(activity=activity)
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    event = AuditEvent.objects.get(verb="activity.create", object_id=str(activity.pk))
    assert event.diff["attendance"][1] == {"present": 2, "absent": 1}


def test_attendance_of_a_non_member_is_refused_and_nothing_is_written(branch, district):
    outsider = person_create(scope=system_scope(), name="路人", area=district.grid(1, 0, 0))
    with pytest.raises(ValidationError) as err:
        activity_create(
            scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="主題黨日",
            attendance=[AttendanceEntry(branch.members[0]), AttendanceEntry(outsider)],
        )
    assert "attendance.1" in err.value.message_dict
    assert "路人" in err.value.message_dict["attendance.1"][0]
    assert not Activity.objects.exists() and not Attendance.objects.exists()


def test_absence_needs_a_reason(branch):
    with pytest.raises(ValidationError) as err:
        activity_create(
            scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="主題黨日",
            attendance=[AttendanceEntry(branch.members[0], present=False)],
        )
    assert "attendance.0" in err.value.message_dict
    assert not Activity.objects.exists()


def test_activity_before_the_branch_existed_is_refused(branch):
    with pytest.raises(ValidationError) as err:
        activity_create(scope=system_scope(), organization=branch.org, kind="party_lecture", date=D(2018, 12, 31),
                        topic="黨課")
    assert "2019-01-01" in err.value.message_dict["date"][0]


def test_activity_in_the_future_is_refused(branch):
    with pytest.raises(ValidationError) as err:
        activity_create(scope=system_scope(), organization=branch.org, kind="party_lecture",
                        date=dt.date.today() + dt.timedelta(days=3), topic="黨課")  # noqa: DTZ011
    assert "date" in err.value.message_dict


def test_member_who_joined_later_cannot_have_attended_earlier(branch, district):
    from bastion.people.services import membership_create

    late = person_create(scope=system_scope(), name="新黨員", area=district.grid(0, 0, 0))
    membership_create(scope=system_scope(), person=late, organization=branch.org, start=D(2020, 2, 10))
    with pytest.raises(ValidationError):
        activity_create(scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1),
                        topic="主題黨日", attendance=[AttendanceEntry(late)])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "cannot be attached"),
        ("photo.jpg", PDF, "does not match"),
        ("empty.pdf", b"", "empty"),
        ("huge.pdf", b"%PDF" + b"0" * MAX_UPLOAD_BYTES, "larger than"),
    ],
    ids=["executable", "pdf-named-jpg", "empty", "over-10-MB"],
)
def test_attachments_are_limited_in_type_and_size(branch, settings, tmp_path, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"), pytest.raises(ValidationError) as err:
        activity_create(
            scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="主題黨日",
            attachments=[SimpleUploadedFile(name, content)],
        )
    assert message in err.value.message_dict["attachments.0"][0]
    assert not Activity.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_attachment_added_later_is_stored_under_media_root(branch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = activity_create(scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1),
                               topic="主題黨日")
    attachment = attachment_add(scope=system_scope(), activity=activity,
                                upload=SimpleUploadedFile("合影.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    assert (tmp_path / attachment.file.name).exists()
    assert attachment.content_type == "image/png"


def test_attendance_can_be_corrected(branch):
    s = system_scope()
    activity = activity_create(scope=s, organization=branch.org, kind="group_meeting", date=D(2020, 2, 1),
                               topic="黨小組會", attendance=[AttendanceEntry(branch.members[0])])
    activity_set_attendance(scope=s, activity=activity, attendance=[AttendanceEntry(m) for m in branch.members])
    assert activity.attendances.count() == 3


def test_a_member_of_another_area_may_not_record_for_this_branch(branch, district, make_user, scope_of):
    scope = scope_of(make_user("grid_secretary", area=district.grid(1, 1, 1)))
    with pytest.raises(PermissionDenied):
        activity_create(scope=scope, organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="x")


def test_an_auditor_may_read_but_not_record(branch, district, make_user, scope_of):
    scope = scope_of(make_user("auditor", area=district.district))
    with pytest.raises(PermissionDenied):
        activity_create(scope=scope, organization=branch.org, kind="theme_day", date=D(2020, 2, 1), topic="x")
