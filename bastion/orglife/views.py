"""Org-life pages: thin views that parse input, call one service or selector, and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.areas.models import Area, AreaKind
from bastion.orglife import forms, selectors, services
from bastion.orglife.models import ActivityAttachment, ActivityMode, ComplianceRule, Story
from bastion.orgs.models import BRANCHES, COMMITTEES, Organization, OrgKind
from bastion.people.selectors import person_get

VIEW, RECORD, CHANGE = "orglife.view", "orglife.record", "orglife.change"
PAGE = 50


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _page(request: HttpRequest, items: Any, size: int = PAGE) -> Any:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _period(request: HttpRequest) -> tuple[forms.PeriodForm, dt.date, dt.date]:
    form = forms.PeriodForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound:
        form = forms.PeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _org_choices(request: HttpRequest, kinds: set[str], perm: str) -> list[tuple[str, str]]:
    orgs = Organization.objects.filter(_scope(request).org_visible_q(perm), kind__in=kinds).order_by("path")
    return [(str(o.pk), o.name) for o in orgs.only("pk", "name")[:500]]


def _org_from(request: HttpRequest, pk: Any, perm: str = VIEW) -> Organization:
    try:
        return get_object_or_404(Organization.objects.filter(_scope(request).org_visible_q(perm)), pk=int(pk))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


# -- overview ------------------------------------------------------------------------------


@scoped(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form, start, end = _period(request)
    figures = selectors.figures(scope=scope, period_start=start, period_end=end)
    by_source = selectors.participation_by_source(scope=scope, period_start=start, period_end=end)
    return render(request, "orglife/index.html", {
        "form": form, "start": start, "end": end, "figures": figures, "by_source": by_source,
        "recent": selectors.activity_list(scope=scope)[:10],
    })


# -- branches ------------------------------------------------------------------------------


@scoped(VIEW)
def branch_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in BRANCHES:
        kind = ""
    query = request.GET.get("q", "")
    branches = selectors.branch_list(scope=_scope(request), kind=kind or None, query=query)
    return render(request, "orglife/branch_list.html", {
        "page": _page(request, branches), "kind": kind, "q": query, "kinds": [
            (k, OrgKind(k).label) for k in (OrgKind.TEMPORARY_BRANCH, OrgKind.ONLINE_BRANCH, OrgKind.STANDING_BRANCH)
        ],
    })


@scoped(VIEW)
def branch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    branch = selectors.branch_get(scope=scope, pk=pk)
    form, start, end = _period(request)
    today = timezone.localdate()
    members = selectors.member_list(scope=scope, org=branch, on=branch.dissolved or min(today, end))
    member_ids = members.values("person_id")
    return render(request, "orglife/branch_detail.html", {
        "branch": branch,
        "charter": selectors.charter_for(branch),
        "rules": selectors.working_rules_for(branch) if branch.kind == OrgKind.ONLINE_BRANCH else None,
        "covered": list(branch.covered_areas.order_by("path").values_list("name", flat=True)),
        "members": _page(request, members, 100),
        "activities": selectors.activity_list(scope=scope, organization=branch)[:20],
        "duties": selectors.participation_by_source(scope=scope, period_start=start, period_end=end,
                                                    person_ids=member_ids),
        "form": form, "start": start, "end": end,
        "can_record": scope.has(RECORD), "can_change": scope.has(CHANGE),
        "dissolve_form": forms.DissolveForm(initial={"on": today}),
        "member_form": forms.AddMemberForm(initial={"start": today}),
    })


@scoped(CHANGE)
def branch_establish(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = forms.EstablishForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    forms.set_choices(form, "parent", _org_choices(request, set(COMMITTEES), CHANGE))
    areas = Area.objects.filter(scope.area_visible_q("org.change"), kind__in=[AreaKind.GRID, AreaKind.SITE])
    forms.set_choices(form, "covered_area", [("", "—")] + [(str(a.pk), a.name) for a in areas.order_by("path")[:1000]])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            secretary = (forms.resolve_person(scope, data["secretary"], "secretary") if data["secretary"] else None)
            covered: list[Area] = []
            if data["covered_area"]:
                covered = [get_object_or_404(areas, pk=int(data["covered_area"]))]
            org = services.temporary_branch_establish(
                scope=scope, name=data["name"], parent=_org_from(request, data["parent"], CHANGE),
                purpose=data["purpose"], decided_by=data["decided_by"], decided_on=data["decided_on"],
                established=data["established"], covered_areas=covered, secretary=secretary,
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Temporary branch “%(name)s” established.") % {"name": org.name})
            return redirect("orglife:branch", pk=org.pk)
    return render(request, "orglife/form.html", {"form": form, "title": _("Establish a temporary branch")})


@scoped(CHANGE)
def branch_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    branch = selectors.branch_get(scope=_scope(request), pk=pk)
    form = forms.DissolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"on": _("Give the date of dissolution.")})
        services.temporary_branch_dissolve(scope=_scope(request), org=branch, on=form.cleaned_data["on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The branch is dissolved; its members keep their home branches."))
    return redirect("orglife:branch", pk=branch.pk)


@scoped(RECORD)
def branch_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    branch = selectors.branch_get(scope=scope, pk=pk)
    form = forms.AddMemberForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"person": _("Name the person and the date.")})
        person = forms.resolve_person(scope, form.cleaned_data["person"], "person")
        services.temporary_branch_add_member(scope=scope, org=branch, person=person, start=form.cleaned_data["start"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s joined the branch.") % {"name": person.name})
    return redirect("orglife:branch", pk=branch.pk)


@scoped(CHANGE)
def branch_rules(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    org = _org_from(request, pk, CHANGE)
    current = selectors.working_rules_for(org)
    own = current if current and current.organization_id == org.pk else None
    form = forms.RulesForm(request.POST or None, request.FILES or None,
                           initial={"title": own.title, "text": own.text} if own else {})
    if request.method == "POST" and form.is_valid():
        try:
            services.working_rules_set(scope=scope, organization=org, title=form.cleaned_data["title"],
                                       text=form.cleaned_data["text"], document=form.cleaned_data["document"])
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Rules saved."))
            return redirect("orglife:branch", pk=org.pk) if org.kind in BRANCHES else redirect("orglife:index")
    return render(request, "orglife/form.html", {
        "form": form, "title": _("Working rules of %(name)s") % {"name": org.name}, "multipart": True,
    })


@scoped(VIEW)
def rules_document(request: HttpRequest, pk: int) -> FileResponse:
    org = _org_from(request, pk)
    rules = selectors.working_rules_for(org)
    if rules is None or not rules.document:
        raise Http404
    return FileResponse(rules.document.open("rb"), as_attachment=True, filename=rules.document.name.rsplit("/")[-1])


# -- activities ----------------------------------------------------------------------------


@scoped(VIEW)
def activity_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form, start, end = _period(request)
    mode = request.GET.get("mode", "")
    activities = selectors.activity_list(scope=scope, mode=mode if mode in ActivityMode.values else None,
                                         period_start=start, period_end=end)
    return render(request, "orglife/activity_list.html", {
        "page": _page(request, activities), "form": form, "mode": mode, "modes": ActivityMode.choices,
    })


@scoped(RECORD)
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a meeting from a phone: kind, date, topic, who was there, minutes, photos."""
    scope = _scope(request)
    branch = _org_from(request, pk, RECORD)
    today = timezone.localdate()
    on = today
    if request.method == "POST":
        try:
            on = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            on = today
    memberships = list(selectors.member_list(scope=scope, org=branch, on=on))
    members = list({m.person_id: m.person for m in memberships}.values())
    form = forms.ActivityForm(
        request.POST or None, members=members,
        initial={"date": today, "mode": ActivityMode.ONLINE if branch.kind == OrgKind.ONLINE_BRANCH else
                 ActivityMode.OFFLINE, "place": branch.channel},
    )
    rows: list[dict[str, Any]] = [{"person": p, "present": True, "reason": ""} for p in members]
    if request.method == "POST":
        rows = [{"person": p, "present": request.POST.get(f"present-{p.pk}") == "on",
                 "reason": request.POST.get(f"reason-{p.pk}", "")} for p in members]
        if form.is_valid():
            data = form.cleaned_data
            host = next((p for p in members if str(p.pk) == data["host"]), None)
            try:
                activity = services.activity_create(
                    scope=scope, organization=branch, kind=data["kind"], mode=data["mode"], date=data["date"],
                    topic=data["topic"], host=host, place=data["place"], minutes=data["minutes"],
                    attendance=[services.AttendanceEntry(r["person"], r["present"], r["reason"]) for r in rows],
                    attachments=request.FILES.getlist("attachments"),
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Activity recorded."))
                return redirect("orglife:activity", pk=activity.pk)
    return render(request, "orglife/activity_form.html", {"form": form, "branch": branch, "rows": rows})


@scoped(VIEW)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(scope=_scope(request), pk=pk)
    return render(request, "orglife/activity_detail.html", {
        "activity": activity,
        "attendances": activity.attendances.select_related("person").order_by("-present", "person__name"),
        "attachments": activity.attachments.order_by("pk"),
    })


@scoped(VIEW)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(ActivityAttachment.objects.select_related("activity"), pk=pk)
    selectors.activity_get(scope=_scope(request), pk=attachment.activity_id)  # 404 outside the scope
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


# -- compliance ----------------------------------------------------------------------------


@scoped(VIEW)
def compliance(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form, start, end = _period(request)
    under = _org_from(request, request.GET["under"]) if request.GET.get("under") else None
    behind = selectors.branches_behind(scope=scope, period_start=start, period_end=end, under=under)
    rules = ComplianceRule.objects.select_related("organization").order_by("organization__path", "activity_kind")
    return render(request, "orglife/compliance.html", {
        "form": form, "start": start, "end": end, "under": under, "page": _page(request, behind),
        "count": len(behind), "rules": rules, "can_change": scope.has(CHANGE),
        "committees": _org_choices(request, set(COMMITTEES), VIEW),
    })


@scoped(CHANGE)
def rule_set(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = forms.RuleForm(request.POST or None)
    forms.set_choices(form, "organization", [("", _("Everywhere"))] + _org_choices(request, set(COMMITTEES), CHANGE))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = _org_from(request, data["organization"], CHANGE) if data["organization"] else None
            services.compliance_rule_set(scope=scope, organization=org, activity_kind=data["activity_kind"],
                                         every_months=data["every_months"])
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Exception as exc:  # PermissionDenied shown on the form rather than as a 403 page
            from django.core.exceptions import PermissionDenied

            if not isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, str(exc) or _("You do not have permission to do this here."))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("orglife:compliance")
    return render(request, "orglife/form.html", {"form": form, "title": _("Set a compliance rule")})


# -- applications --------------------------------------------------------------------------


@scoped(VIEW)
def pipeline(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    branch = _org_from(request, request.GET["branch"]) if request.GET.get("branch") else None
    rows = selectors.pipeline(scope=scope, branch=branch)
    return render(request, "orglife/pipeline.html", {
        "branch": branch, "page": _page(request, rows), "late": sum(r.late for r in rows), "count": len(rows),
        "can_change": scope.has(CHANGE), "form": forms.ApplicationForm(initial={"applied_on": timezone.localdate()}),
    })


@scoped(CHANGE)
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    branch = _org_from(request, pk, CHANGE)
    form = forms.ApplicationForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            person = forms.resolve_person(scope, form.cleaned_data["person"], "person")
            application = services.application_create(scope=scope, person=person, branch=branch,
                                                      applied_on=form.cleaned_data["applied_on"])
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Application recorded."))
            return redirect("orglife:application", pk=application.pk)
    return render(request, "orglife/form.html", {
        "form": form, "title": _("Application to join %(name)s") % {"name": branch.name},
    })


STEPS = {
    "talk": lambda s, a, d: services.application_record_talk(scope=s, application=a, on=d["on"]),
    "activist": lambda s, a, d: services.application_make_activist(scope=s, application=a, on=d["on"]),
    "target": lambda s, a, d: services.application_make_target(scope=s, application=a, on=d["on"]),
    "admit": lambda s, a, d: services.application_admit(
        scope=s, application=a, on=d["on"],
        introducers=[forms.resolve_person(s, d["introducer_1"], "introducers.0"),
                     forms.resolve_person(s, d["introducer_2"], "introducers.1")],
    ),
    "extend": lambda s, a, d: services.application_extend_probation(scope=s, application=a, months=d["months"] or 0),
    "confirm": lambda s, a, d: services.application_confirm(scope=s, application=a, on=d["on"]),
}


@scoped(VIEW)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, pk=pk)
    form = forms.StepForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST":
        scope.require(CHANGE, org=application.branch)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["step"] != "extend" and data["on"] is None:
                    raise ValidationError({"on": _("Give the date.")})
                STEPS[data["step"]](scope, application, data)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Step recorded."))
                return redirect("orglife:application", pk=application.pk)
    row = next((r for r in selectors.pipeline(scope=scope, branch=application.branch) if r.application.pk == pk), None)
    return render(request, "orglife/application_detail.html", {
        "application": application, "row": row, "form": form, "can_change": scope.has(CHANGE),
    })


# -- pledges, people -----------------------------------------------------------------------


@scoped(VIEW)
def pledge_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = forms.PledgeForm(request.POST or None, initial={"date": timezone.localdate()})
    forms.set_choices(form, "organization", _org_choices(request, {*BRANCHES, *COMMITTEES}, RECORD))
    if request.method == "POST":
        scope.require(RECORD)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = forms.resolve_person(scope, data["person"], "person")
                services.pledge_create(scope=scope, person=person, organization=_org_from(request, data["organization"],
                                       RECORD), kind=data["kind"], date=data["date"], text=data["text"])
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Pledge recorded."))
                return redirect("orglife:pledges")
    pledges = selectors.pledge_list(scope=scope)
    return render(request, "orglife/pledges.html", {
        "page": _page(request, pledges), "count": pledges.count(), "form": form, "can_record": scope.has(RECORD),
    })


@scoped(VIEW)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's organisational life: pledges, applications, stories, activities attended."""
    scope = _scope(request)
    person = person_get(scope=scope, pk=pk)
    attended = selectors.activity_list(scope=scope).filter(attendances__person=person, attendances__present=True)
    return render(request, "orglife/person.html", {
        "person": person,
        "pledges": selectors.pledge_list(scope=scope, person=person),
        "applications": selectors.application_list(scope=scope).filter(person=person),
        "stories": selectors.story_list(scope=scope, person=person),
        "attended": _page(request, attended),
    })


# -- brands and stories --------------------------------------------------------------------


@scoped(VIEW)
def brand_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    brand_form = forms.BrandForm(request.POST or None if request.POST.get("form") == "brand" else None)
    forms.set_choices(brand_form, "organization", _org_choices(request, {*BRANCHES, *COMMITTEES}, CHANGE))
    if request.method == "POST" and request.POST.get("form") == "brand":
        scope.require(CHANGE)
        if brand_form.is_valid():
            data = brand_form.cleaned_data
            try:
                services.brand_create(scope=scope, name=data["name"], description=data["description"],
                                      organization=_org_from(request, data["organization"], CHANGE))
            except ValidationError as exc:
                forms.apply_errors(brand_form, exc)
            else:
                messages.success(request, _("Brand created."))
                return redirect("orglife:brands")
    return render(request, "orglife/brands.html", {
        "brands": _page(request, selectors.brand_list(scope=scope)),
        "stories": selectors.story_list(scope=scope)[:20],
        "brand_form": brand_form, "can_change": scope.has(CHANGE), "can_record": scope.has(RECORD),
    })


@scoped(RECORD)
def story_new(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = forms.StoryForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    forms.set_choices(form, "organization", _org_choices(request, {*BRANCHES, *COMMITTEES}, RECORD))
    forms.set_choices(form, "brand", [("", "—")] + [(str(b.pk), b.name) for b in selectors.brand_list(scope=scope)])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            people = [forms.resolve_person(scope, t, "people") for t in data["people"].split(",") if t.strip()]
            brand = selectors.brand_list(scope=scope).filter(pk=data["brand"]).first() if data["brand"] else None
            story = services.story_create(
                scope=scope, title=data["title"], organization=_org_from(request, data["organization"], RECORD),
                date=data["date"], text=data["text"], people=people, brand=brand, photo=data["photo"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Story saved."))
            return redirect("orglife:story", pk=story.pk)
    return render(request, "orglife/form.html", {"form": form, "title": _("Write a story"), "multipart": True})


@scoped(VIEW)
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "orglife/story.html", {"story": selectors.story_get(scope=_scope(request), pk=pk)})


@scoped(VIEW)
def story_photo(request: HttpRequest, pk: int) -> FileResponse:
    story: Story = selectors.story_get(scope=_scope(request), pk=pk)
    if not story.photo:
        raise Http404
    return FileResponse(story.photo.open("rb"))
