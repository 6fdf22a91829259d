"""Screening pages: Today, the visit and check forms (phone-first), isolations, release records, self-report."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bastion.access.decorators import login_scoped, public, scoped
from bastion.coverage import selectors as coverage
from bastion.coverage.forms import apply_errors
from bastion.coverage.views import int_or_404
from bastion.people.models import Person
from bastion.screening import conf, selectors, services
from bastion.screening.forms import (
    CheckForm,
    PeriodForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReleaseForm,
    SelfReportForm,
    VisitForm,
)
from bastion.screening.models import IsolationStatus, ReferralOutcome, Symptom


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _require_any(scope: Any, *perms: str) -> None:
    if not any(scope.has(p) for p in perms):
        raise PermissionDenied


def _person_for(scope: Any, pk: Any) -> Person:
    """A person the user may screen: visible in their area, or one they answer for."""
    q = scope.person_visible_q("person.view")
    if scope.has("screening.record_own") or scope.has("screening.view_own"):
        q |= coverage.own_person_q(scope)
    return get_object_or_404(Person.objects.filter(q).select_related("area"), pk=int_or_404(pk))


@login_scoped
def index(request: HttpRequest) -> HttpResponse:
    return redirect("screening:today")


@login_scoped
def today(request: HttpRequest) -> HttpResponse:
    """What the signed-in member must visit or check today, overdue first; each one tap from its form."""
    scope = _scope(request)
    now = timezone.now()
    items = selectors.today_items(scope=scope, now=now)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "screening/today.html", {"page": page, "now": now, "count": len(items)})


@login_scoped
def visit_new(request: HttpRequest) -> HttpResponse:
    """The screening form for one person. A recent screening (collect once) is shown and pre-fills it."""
    scope = _scope(request)
    _require_any(scope, "screening.record", "screening.record_own")
    task = None
    if request.GET.get("task"):
        task = selectors.task_get(scope=scope, pk=int_or_404(request.GET["task"]))
    person_id = request.GET.get("person") or (task.person_id if task else None)
    if not person_id:
        messages.error(request, _("Choose the person to screen."))
        return redirect("screening:today")
    person = _person_for(scope, person_id)
    household = coverage.current_household_of(person)
    recent = selectors.recent_visit(scope=scope, person=person)
    initial: dict[str, Any] = {}
    if recent is not None:
        initial = {
            "travelled": recent.travelled,
            "travel_origin": recent.travel_origin,
            "return_date": recent.return_date,
            "contact": recent.contact,
        }
    form = VisitForm(request.POST or None, initial=initial)
    # Collect once: an ID number or phone already on record is never asked for again.
    if person.id_number:
        del form.fields["id_number"]
    if person.phone:
        del form.fields["phone"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.visit_record(scope=scope, person=person, household=household, task=task, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Screening of %(name)s saved.") % {"name": person.name})
            return redirect("screening:today")
    return render(
        request,
        "screening/visit_form.html",
        {
            "form": form,
            "person": person,
            "household": household,
            "recent": recent,
            "task": task,
            "recent_days": conf.recent_days(),
            "travel_days": conf.travel_days(),
            "default_days": conf.isolation_days(),
        },
    )


@login_scoped
def isolation(request: HttpRequest, pk: int) -> HttpResponse:
    """One isolation: the daily check form first (a tap from Today), then its history and actions."""
    scope = _scope(request)
    _require_any(scope, "screening.view", "screening.view_own")
    iso = selectors.isolation_get(scope=scope, pk=pk)
    form = CheckForm(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid():
        try:
            services.isolation_check_record(scope=scope, isolation=iso, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Check of %(name)s saved.") % {"name": iso.person.name})
            return redirect("screening:today")
    checks = Paginator(selectors.isolation_check_list(isolation=iso), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/isolation.html",
        {
            "iso": iso,
            "form": form,
            "checks": checks,
            "release_form": ReleaseForm(),
            "period_form": PeriodForm(initial={"days": iso.days}),
            "referral_form": ReferralForm(),
            "referrals": selectors.referral_list(scope=scope, person=iso.person)[:5],
            "active": iso.status == IsolationStatus.ACTIVE,
            "referral_outcomes": [c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING],
            "can_record": scope.has("screening.record") or scope.has("screening.record_own"),
        },
    )


def _post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@login_scoped
def isolation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Release, change the period of, or refer from an isolation."""
    if (resp := _post_only(request)) is not None:
        return resp
    scope = _scope(request)
    _require_any(scope, "screening.record", "screening.record_own")
    iso = selectors.isolation_get(scope=scope, pk=pk)
    try:
        if action == "release":
            rf = ReleaseForm(request.POST)
            if not rf.is_valid():
                raise ValidationError({"end": _("Give a valid date.")})
            record = services.isolation_release(scope=scope, isolation=iso, end=rf.cleaned_data["end"])
            messages.success(request, _("Released. Release record %(number)s issued.") % {"number": record.number})
            return redirect("screening:release_record", pk=record.pk)
        if action == "period":
            pf = PeriodForm(request.POST)
            if not pf.is_valid():
                raise ValidationError({"days": _("An isolation period is between 1 and 60 days.")})
            services.isolation_set_period(scope=scope, isolation=iso, days=pf.cleaned_data["days"])
            messages.success(request, _("Isolation period changed."))
        elif action == "refer":
            ref = ReferralForm(request.POST)
            if not ref.is_valid():
                raise ValidationError({"destination": _("Name the fever clinic the person is referred to.")})
            services.referral_create(
                scope=scope, person=iso.person, destination=ref.cleaned_data["destination"], reason=iso.reason
            )
            messages.success(request, _("Referral recorded."))
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("screening:isolation", pk=iso.pk)


@login_scoped
def referral_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    if (resp := _post_only(request)) is not None:
        return resp
    scope = _scope(request)
    _require_any(scope, "screening.record", "screening.record_own")
    referral = selectors.referral_get(scope=scope, pk=pk)
    form = ReferralOutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"outcome": _("Choose the outcome of the referral.")})
        services.referral_set_outcome(scope=scope, referral=referral, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Outcome recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if referral.isolation_id:
        return redirect("screening:isolation", pk=referral.isolation_id)
    return redirect("screening:today")


@login_scoped
def release_record(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    _require_any(scope, "screening.view", "screening.view_own")
    record = selectors.release_record_get(scope=scope, pk=pk)
    return render(request, "screening/release_record.html", {"record": record, "iso": record.isolation})


@login_scoped
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """A handed-over screening task: link it to a registered person, then screen them."""
    scope = _scope(request)
    _require_any(scope, "screening.view", "screening.view_own")
    item = selectors.task_get(scope=scope, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                services.screening_task_cancel(scope=scope, task=item)
                messages.success(request, _("Task cancelled."))
                return redirect("screening:today")
            person = _person_for(scope, request.POST.get("person"))
            services.task_attach_person(scope=scope, task=item, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(reverse("screening:visit_new") + f"?task={item.pk}")
    candidates: Any = []
    if item.person_id is None:
        from bastion.core.text import normalise_query

        q = scope.person_visible_q("person.view")
        candidates = Person.objects.filter(q, search_key__contains=normalise_query(item.name)).order_by("name", "pk")[
            :20
        ]
    return render(
        request,
        "screening/task.html",
        {"task": item, "candidates": candidates, "can_cancel": scope.has("screening.record")},
    )


@login_scoped
def review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Mark a self-report seen (it then leaves the Today page)."""
    if (resp := _post_only(request)) is not None:
        return resp
    scope = _scope(request)
    _require_any(scope, "screening.record", "screening.record_own")
    try:
        services.today_review(scope=scope, kind="visit" if kind == "visit" else "check", pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("screening:today")


@scoped("screening.self_report")
def self_report_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's self-report link as a printable QR code; revoke it to withdraw every copy."""
    scope = _scope(request)
    household = coverage.household_get(scope=scope, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            services.self_report_revoke(scope=scope, household=household)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Every earlier link of this household is withdrawn."))
        return redirect("coverage:household", pk=household.pk)
    token = services.self_report_token(scope=scope, household=household)
    url = request.build_absolute_uri(reverse("screening:self_report", args=[token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, xmldecl=False, svgns=True)
    svg = mark_safe(buffer.getvalue().decode())  # noqa: S308 - SVG produced by segno from our own URL
    return render(
        request,
        "screening/self_report_link.html",
        {
            "household": household,
            "url": url,
            "svg": svg,
            "max_age": conf.self_report_max_age_days(),
        },
    )


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@public("residents report their own daily check through a signed, expiring, revocable household link")
def self_report(request: HttpRequest, token: str) -> HttpResponse:
    try:
        household = services.self_report_household(token)
    except ValidationError as exc:
        return render(request, "screening/self_report.html", {"error": exc.messages[0]}, status=403)
    residents = list(coverage.resident_list(household=household))
    form = SelfReportForm(request.POST or None)
    # Only given names are shown to whoever holds the link; surnames stay masked.
    form.fields["person"].choices = [(r.person_id, _mask_name(r.person.name)) for r in residents]  # type: ignore[attr-defined]
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            services.self_report_submit(
                token=token, client_ip=_client_ip(request), person_id=data.pop("person"), **data
            )
        except ValidationError as exc:
            token_errors = getattr(exc, "error_dict", {}).get("token")
            if token_errors:
                status = 429 if token_errors[0].code == "rate_limited" else 403
                return render(request, "screening/self_report.html", {"error": exc.messages[0]}, status=status)
            apply_errors(form, exc)
        else:
            done = True
            form = SelfReportForm()
            form.fields["person"].choices = [(r.person_id, _mask_name(r.person.name)) for r in residents]  # type: ignore[attr-defined]
    return render(request, "screening/self_report.html", {"form": form, "done": done, "symptoms": Symptom})


def _mask_name(name: str) -> str:
    return ("*" + name[1:]) if len(name) > 1 else name
