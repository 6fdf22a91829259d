import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse

from bastion.access.scope import system_scope
from bastion.orglife import urls as orglife_urls
from bastion.orglife.models import Activity, Application, Pledge
from bastion.orglife.services import activity_create, application_create, compliance_rule_set, pledge_create
from bastion.people.services import person_create

D = dt.date


def test_every_page_declares_its_scope():
    for pattern in orglife_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        assert getattr(pattern.callback, "bastion_scope", None), pattern.name
    assert get_resolver().reverse_dict  # the app's URLs are mounted


def test_overview_shows_figures_to_a_community_worker(branch, make_user, client_for):
    activity_create(scope=system_scope(), organization=branch.org, kind="theme_day", date=D(2020, 2, 1),
                    topic="線上主題黨日", mode="online")
    client = client_for(make_user("community_worker", area=branch.org.area))
    response = client.get(reverse("orglife:index"), {"start": "2020-01-24", "end": "2020-02-16"})
    assert response.status_code == 200
    assert response.context["figures"]["orglife.online_activities"] == 1
    assert "線上主題黨日" in response.text


def test_a_user_without_grant_is_refused(make_user, client_for, db):
    assert client_for(make_user()).get(reverse("orglife:index")).status_code == 403


def test_a_secretary_records_a_meeting_from_the_phone_form(branch, make_user, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(make_user("grid_secretary", area=branch.org.area))
    url = reverse("orglife:activity-new", args=[branch.org.pk])
    page = client.get(url)
    assert page.status_code == 200 and "竇秀珍" in page.text
    a, b, c = branch.members
    response = client.post(url, {
        "kind": "members_meeting", "mode": "offline", "date": "2020-02-03", "topic": "支部黨員大會",
        "host": str(branch.secretary.pk), "place": "", "minutes": "部署",
        f"present-{a.pk}": "on", f"present-{b.pk}": "on", f"reason-{c.pk}": "值守卡口",
        f"present-{branch.secretary.pk}": "on",
        "attachments": [SimpleUploadedFile("紀要.pdf", b"%PDF-1.4 x")],
    })
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("orglife:activity", args=[activity.pk])
    assert activity.attendances.filter(present=True).count() == 3
    assert activity.attendances.get(person=c).absence_reason == "值守卡口"
    detail = client.get(response["Location"])
    assert "值守卡口" in detail.text and "紀要.pdf" in detail.text
    download = client.get(reverse("orglife:attachment", args=[activity.attachments.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"


def test_a_bad_activity_shows_the_error_and_writes_nothing(branch, make_user, client_for):
    client = client_for(make_user("grid_secretary", area=branch.org.area))
    response = client.post(reverse("orglife:activity-new", args=[branch.org.pk]), {
        "kind": "theme_day", "mode": "offline", "date": "2018-06-01", "topic": "x",
    })
    assert response.status_code == 200
    assert "2019-01-01" in response.text
    assert not Activity.objects.exists()


def test_an_auditor_cannot_record(branch, district, make_user, client_for):
    client = client_for(make_user("auditor", area=district.district))
    url = reverse("orglife:activity-new", args=[branch.org.pk])
    assert client.post(url, {"kind": "theme_day"}).status_code == 403


def test_compliance_page_lists_branches_behind(branch, district, make_user, client_for):
    compliance_rule_set(scope=system_scope(), activity_kind="theme_day", every_months=1)
    client = client_for(make_user("street_officer", area=district.streets[0]))
    response = client.get(reverse("orglife:compliance"), {"start": "2020-01-01", "end": "2020-01-31"})
    assert response.status_code == 200
    names = {row.branch.name for row in response.context["page"]}
    assert branch.org.name in names
    # a branch of the other street is not in this officer's list
    assert district.pioneer_branches[-1].name not in names


def test_pipeline_page_and_a_step_with_its_error(branch, district, make_user, client_for):
    s = system_scope()
    wang = person_create(scope=s, name="王嵩", area=district.grid(0, 0, 0), birth_date=D(1991, 11, 2))
    app = application_create(scope=s, person=wang, branch=branch.org, applied_on=D(2020, 1, 30))
    client = client_for(make_user("community_worker", area=district.communities[0]))
    page = client.get(reverse("orglife:pipeline"), {"branch": branch.org.pk})
    assert page.status_code == 200 and "王嵩" in page.text
    [row] = page.context["page"]
    assert row.late and row.next_step == "talk"
    response = client.post(reverse("orglife:application", args=[app.pk]), {"step": "talk", "on": "2020-03-15"})
    assert response.status_code == 200 and "2020-02-29" in response.text
    response = client.post(reverse("orglife:application", args=[app.pk]), {"step": "talk", "on": "2020-02-10"})
    assert response.status_code == 302
    assert Application.objects.get().talk_on == D(2020, 2, 10)


def test_pledge_is_recorded_and_shown_on_the_persons_page(branch, make_user, client_for):
    client = client_for(make_user("community_worker", area=branch.org.area))
    dou = branch.members[0]
    response = client.post(reverse("orglife:pledges"), {
        "person": "竇秀珍", "organization": str(branch.org.pk), "kind": "guarantee", "date": "2020-02-05",
        "text": "我保證完成任務",
    })
    assert response.status_code == 302
    assert Pledge.objects.get().person == dou
    page = client.get(reverse("orglife:person", args=[dou.pk]))
    assert "我保證完成任務" in page.text


def test_branch_page_shows_members_activities_and_charter(branch, district, make_user, client_for):
    pledge_create(scope=system_scope(), person=branch.members[0], organization=branch.org, kind="guarantee",
                  date=D(2020, 2, 5), text="x")
    client = client_for(make_user("member", area=branch.org.area))
    response = client.get(reverse("orglife:branch", args=[branch.org.pk]))
    assert response.status_code == 200
    assert "董彰" in response.text and response.context["members"].paginator.count == 4
    assert client.get(reverse("orglife:branches"), {"kind": "standing_branch"}).status_code == 200
    assert client.get(reverse("orglife:activities")).status_code == 200
    assert client.get(reverse("orglife:brands")).status_code == 200


def test_establish_page_creates_a_temporary_branch(district, branch, make_user, client_for):
    client = client_for(make_user("district_admin", area=district.district))
    page = client.get(reverse("orglife:establish"))
    assert page.status_code == 200
    response = client.post(reverse("orglife:establish"), {
        "name": "疫情防控突擊隊臨時黨支部", "parent": str(district.committee.pk), "purpose": "assault_team",
        "decided_by": "區委組織部", "decided_on": "2020-01-25", "secretary": "董彰",
    })
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response["Location"])
    assert "區委組織部" in page.text and "董彰" in page.text


def test_pages_speak_the_three_languages(branch, make_user, client_for):
    from django.conf import settings

    client = client_for(make_user("community_worker", area=branch.org.area))
    url = reverse("orglife:compliance")
    expected = {"zh-hans": "未按要求开展组织生活的支部", "zh-hant": "未按要求開展組織生活的支部",
                "en": "Branches behind on required activities"}
    for code, text in expected.items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        assert text in client.get(url).text, code


def test_list_pages_do_not_query_per_row(branch, district, make_user, client_for, django_assert_max_num_queries):
    from bastion.orglife.services import AttendanceEntry

    s = system_scope()
    for day in range(1, 21):
        activity_create(scope=s, organization=branch.org, kind="theme_day", date=D(2020, 1, day), topic=f"第{day}次",
                        attendance=[AttendanceEntry(m) for m in branch.members])
    client = client_for(make_user("community_worker", area=branch.org.area))
    client.get(reverse("orglife:index"))  # warm the session and caches
    period = {"start": "2020-01-01", "end": "2020-01-31"}
    with django_assert_max_num_queries(10):
        assert "第20次" in client.get(reverse("orglife:activities"), period).text
    with django_assert_max_num_queries(20):
        assert client.get(reverse("orglife:branch", args=[branch.org.pk]), period).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orglife:branches")).status_code == 200


def test_the_person_panel_shows_pledges_to_those_who_may_see_them(branch, make_user, scope_of, rf):
    from django.template import Context, Template

    pledge_create(scope=system_scope(), person=branch.members[0], organization=branch.org, kind="guarantee",
                  date=D(2020, 2, 5), text="我是樓長，也是黨員")
    template = Template("{% load orglife_extras %}{% orglife_person_panel person %}")
    request = rf.get("/")
    request.scope = scope_of(make_user("member", area=branch.org.area))
    assert "我是樓長" in template.render(Context({"request": request, "person": branch.members[0]}))
    request.scope = scope_of(make_user())
    assert "我是樓長" not in template.render(Context({"request": request, "person": branch.members[0]}))


def test_an_unticked_member_needs_a_reason(branch, make_user, client_for):
    client = client_for(make_user("grid_secretary", area=branch.org.area))
    a, b, c = branch.members
    response = client.post(reverse("orglife:activity-new", args=[branch.org.pk]), {
        "kind": "theme_day", "mode": "offline", "date": "2020-02-03", "topic": "主題黨日",
        f"present-{a.pk}": "on", f"present-{b.pk}": "on", f"present-{branch.secretary.pk}": "on",
    })
    assert response.status_code == 200
    assert c.name in response.text
    assert not Activity.objects.exists()
