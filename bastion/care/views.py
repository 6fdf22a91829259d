from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.care import selectors, services
from bastion.care.models import CaseStatus, Measure, MeasureKind
from bastion.ledger.models import Account, AccountKind, Purpose
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
    errors: dict[str, list[str]] = {}
    form = request.POST.get("form", "")
    if request.method == "POST":
        if not scope.has("care.change"):
            scope.deny()
        try:
            order = _order(request.POST.get("order"))
            if form == "measure":
                m = services.measure_create(scope=scope, policy=p, name=request.POST.get("name", ""), order=order,
                                            kind=request.POST.get("kind", ""))
                messages.success(request, _("Measure %(name)s added.") % {"name": m.name})
            else:
                purpose = None
                purpose_id = request.POST.get("purpose") or ""
                if purpose_id:
                    purpose = Purpose.objects.filter(pk=purpose_id if purpose_id.isdigit() else 0).first()
                    if purpose is None:
                        raise ValidationError({"purpose": _("Choose a purpose from the list.")})
                situation = services.situation_create(
                    scope=scope, policy=p, name=request.POST.get("name", ""),
                    description=request.POST.get("description", ""), order=order,
                    max_amount=request.POST.get("max_amount") or None, purpose=purpose,
                )
                messages.success(request, _("Situation %(name)s added.") % {"name": situation.name})
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            return redirect("care:policy", p.pk)
    return render(request, "care/policy.html", {
        "policy": p,
        "situations": selectors.situation_list(scope=scope, policy=p),
        "measures": selectors.measure_list(scope=scope, policy=p),
        "can_change": Organization.objects.filter(scope.org_visible_q("care.change"), pk=p.organization_id).exists(),
        "errors": errors, "form": form, "post": request.POST, "kinds": MeasureKind.choices,
        "purposes": Purpose.objects.all(),
    })


def _order(value: str | None) -> int:
    try:
        order = int(value or 0)
    except ValueError:
        raise ValidationError({"order": _("Enter a whole number for the order.")}) from None
    if not 0 <= order <= 32767:
        raise ValidationError({"order": _("Enter a whole number for the order.")})
    return order


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
            elif action == "reverse_payment":
                c = services.case_payment_reverse(scope=scope, case=c, date=date_of(request.POST.get("date")),  # type: ignore[arg-type]
                                                  reason=request.POST.get("reason", ""))
                messages.success(request, _("The payment was reversed; the case is approved and unpaid again."))
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
    can_reverse = c.payment_id is not None and c.account is not None and Organization.objects.filter(
        scope.org_visible_q("ledger.change"), pk=c.account.organization_id
    ).filter(scope.org_visible_q("care.change")).exists()
    return render(request, "care/case.html", {
        "case": c, "can_reverse": can_reverse, "action": request.POST.get("action", ""),
        "approvals": c.approvals.select_related("organization", "by"), "accounts": accounts,
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
