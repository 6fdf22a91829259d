from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.care import selectors, services
from bastion.care.models import CaseStatus, Measure
from bastion.ledger.models import Account, AccountKind
from bastion.ledger.views import date_of, errors_of
from bastion.orgs.models import Organization, OrgKind
from bastion.people.models import Person


@scoped("care.view")
def index(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    status = request.GET.get("status") or None
    page = Paginator(selectors.case_list(scope=scope, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "care/index.html", {
        "page": page,
        "status": status,
        "statuses": CaseStatus.choices,
        "counts": selectors.case_counts(scope=scope),
        "figures": selectors.care_figures(scope=scope),
        "policies": selectors.policy_list(scope=scope)[:20],
        "reminders": selectors.rest_reminders(scope=scope)[:50],
    })


@scoped("care.view")
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    p = selectors.policy_get(scope=scope, pk=pk)
    return render(request, "care/policy.html", {
        "policy": p,
        "situations": selectors.situation_list(scope=scope, policy=p),
        "measures": selectors.measure_list(scope=scope, policy=p),
    })


@scoped("care.change")
def case_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    communities = Organization.objects.filter(
        scope.org_visible_q("care.change"), kind=OrgKind.COMMUNITY_COMMITTEE
    ).order_by("path")
    situations = selectors.situation_list(scope=scope)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            person = get_object_or_404(Person.objects.filter(scope.person_visible_q("person.view")),
                                       pk=request.POST.get("person") or 0)
            case = services.case_create(
                scope=scope,
                situation=get_object_or_404(situations, pk=request.POST.get("situation") or 0),
                person=person,
                organization=get_object_or_404(communities, pk=request.POST.get("organization") or 0),
                facts=request.POST.get("facts", ""),
                amount=request.POST.get("amount"),
            )
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The case was filed."))
            return redirect("care:case", case.pk)
    people = Person.objects.filter(scope.person_visible_q("person.view")).order_by("name", "pk")[:300]
    return render(request, "care/case_new.html", {"communities": communities, "situations": situations,
                                                  "people": people, "errors": errors, "post": request.POST})


@scoped("care.view")
def case(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    c = selectors.case_get(scope=scope, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                c = services.case_decide(scope=scope, case=c, approve=action == "approve",
                                         comment=request.POST.get("comment", ""))
                messages.success(request, _("Your decision was recorded."))
            elif action == "pay":
                account = get_object_or_404(Account, pk=request.POST.get("account") or 0, kind=AccountKind.FUND)
                c = services.case_pay(scope=scope, case=c, account=account, date=date_of(request.POST.get("date")))  # type: ignore[arg-type]
                messages.success(request, _("The case was paid."))
            else:
                raise ValidationError({"action": _("Unknown action.")})
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            return redirect("care:case", c.pk)
    step = Organization.steplen
    ancestors = [c.organization.path[:i] for i in range(step, len(c.organization.path) + 1, step)]
    accounts = Account.objects.filter(
        kind=AccountKind.FUND, organization__path__in=ancestors,
        organization__in=Organization.objects.filter(scope.org_visible_q("ledger.change")),
    ).select_related("organization")
    return render(request, "care/case.html", {
        "case": c, "approvals": c.approvals.select_related("organization", "by"), "accounts": accounts,
        "errors": errors, "decidable": c.status in services.CHAIN,
    })


@scoped("care.view")
def cadre(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    person = get_object_or_404(Person.objects.filter(scope.person_visible_q("care.view")), pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            measure = get_object_or_404(Measure, pk=request.POST.get("measure") or 0)
            services.measure_record(scope=scope, person=person, measure=measure,
                                    done_on=date_of(request.POST.get("done_on")),  # type: ignore[arg-type]
                                    note=request.POST.get("note", ""))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("The measure was recorded."))
            return redirect("care:cadre", person.pk)
    return render(request, "care/cadre.html", {
        "person": person, "rows": selectors.cadre_checklist(scope=scope, person=person), "errors": errors,
    })
