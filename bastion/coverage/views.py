"""Coverage pages: where the gaps are, the household registry, assigning responsibility."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.areas.models import Area, AreaKind
from bastion.areas.selectors import area_get, area_roots
from bastion.coverage import conf, selectors, services
from bastion.coverage.forms import AssignForm, HouseholdForm, ResidentForm, apply_errors
from bastion.coverage.models import Building, Household
from bastion.people.models import Person
from bastion.people.selectors import person_get

PAGE = 25


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def int_or_404(value: Any) -> int:
    """An id from a query string or form; anything that is not one is a missing page, not a server error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@scoped("coverage.view")
def index(request: HttpRequest) -> HttpResponse:
    """Pick an area to see its coverage; members see their own households first."""
    scope = _scope(request)
    roots = list(area_roots(scope=scope))
    children = Paginator(
        selectors.coverage_areas(scope=scope).filter(kind__in=[AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID]),
        100,
    ).get_page(request.GET.get("page"))
    targets = selectors.scope_targets(scope)
    mine = None
    if not targets.empty:
        mine = Paginator(
            Household.objects.filter(targets.household_q())
            .select_related("building", "grid")
            .order_by("building__street", "building__number", "unit", "room", "pk"),
            PAGE,
        ).get_page(request.GET.get("mine"))
    return render(request, "coverage/index.html", {"roots": roots, "areas": children, "mine": mine})


@scoped("coverage.view")
def area(request: HttpRequest, pk: int) -> HttpResponse:
    """The coverage page of a grid, community or street: what nobody answers for, who answers for too much."""
    from bastion.screening.selectors import unassigned_isolations

    scope = _scope(request)
    node = area_get(scope=scope, pk=pk)
    day = timezone.localdate()
    try:
        threshold = max(1, int(request.GET.get("max") or conf.max_households()))
    except ValueError:
        threshold = conf.max_households()
    uncovered = Paginator(
        selectors.household_list(scope=scope, area=node).filter(selectors.uncovered_household_q(day)), PAGE
    ).get_page(request.GET.get("page"))
    isolations = Paginator(unassigned_isolations(scope=scope, area=node, day=day), PAGE).get_page(
        request.GET.get("ipage")
    )
    context = {
        "area": node,
        "summary": selectors.coverage_summary(scope=scope, area=node, day=day),
        "uncovered": uncovered,
        "isolations": isolations,
        "overloaded": selectors.overloaded_members(scope=scope, area=node, threshold=threshold, day=day),
        "threshold": threshold,
        "can_assign": scope.has("coverage.assign"),
    }
    return render(request, "coverage/area.html", context)


@scoped("coverage.view")
def households(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    query = request.GET.get("q", "")
    node = None
    if request.GET.get("area"):
        node = area_get(scope=scope, pk=int_or_404(request.GET["area"]))
    qs = selectors.household_list(scope=scope, area=node, query=query, uncovered=request.GET.get("uncovered") == "1")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "coverage/households.html",
        {"page": page, "q": query, "area": node, "can_add": scope.has("coverage.change")},
    )


@scoped("coverage.view")
def household(request: HttpRequest, pk: int) -> HttpResponse:
    from bastion.screening.selectors import isolation_list, screening_visit_list

    scope = _scope(request)
    hh = selectors.household_get(scope=scope, pk=pk)
    writable = selectors.household_writable(scope, hh)
    form = ResidentForm(prefix="r")
    if request.method == "POST":
        if not writable:
            scope.deny()
        form = ResidentForm(request.POST, prefix="r")
        if form.is_valid():
            try:
                services.resident_add(scope=scope, household=hh, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Resident added."))
                return redirect("coverage:household", pk=hh.pk)
    screening_visible = scope.has("screening.view") or scope.has("screening.view_own")
    context = {
        "household": hh,
        "residents": selectors.resident_list(household=hh),
        "responsibilities": selectors.responsibility_list(scope=scope, household=hh, current=True),
        "heads": selectors.building_head_list(scope=scope, building=hh.building),
        "visits": screening_visit_list(scope=scope, household_id=hh.pk)[:10] if screening_visible else [],
        "isolations": isolation_list(scope=scope, household_id=hh.pk)[:10] if screening_visible else [],
        "form": form,
        "screening_visible": screening_visible,
        "writable": writable,
        "can_assign": scope.has("coverage.assign"),
        "can_self_report": scope.has("screening.self_report"),
    }
    return render(request, "coverage/household.html", context)


def _grid_choices(scope: Any) -> list[tuple[int, str]]:
    grids = Area.objects.filter(scope.area_visible_q("coverage.change"), kind=AreaKind.GRID).order_by("path")
    return [(g.pk, g.name) for g in grids[:1000]]


@scoped("coverage.change")
def household_new(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = HouseholdForm(request.POST or None, initial={"grid": request.GET.get("grid")})
    form.fields["grid"].widget.choices = _grid_choices(scope)  # type: ignore[attr-defined]
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grid = area_get(scope=scope, pk=data.pop("grid"))
        try:
            hh = services.household_create(scope=scope, grid=grid, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
            dup = [e for errs in getattr(exc, "error_dict", {}).values() for e in errs if e.code == "duplicate"]
            if dup:
                duplicate = Household.objects.filter(pk=getattr(dup[0], "household_id", 0)).first()
        else:
            messages.success(request, _("Household registered."))
            return redirect("coverage:household", pk=hh.pk)
    return render(request, "coverage/household_new.html", {"form": form, "duplicate": duplicate})


def _target(request: HttpRequest, scope: Any, params: Any) -> tuple[dict[str, Any], Area, str]:
    """The assignment target named by the query string: area, building, household or person."""
    if params.get("household"):
        hh = selectors.household_get(scope=scope, pk=int_or_404(params["household"]))
        return {"household": hh}, hh.grid, str(hh)
    if params.get("building"):
        b = get_object_or_404(
            Building.objects.filter(scope.area_q("coverage.view", "grid")).select_related("grid"),
            pk=int_or_404(params["building"]),
        )
        return {"building": b}, b.grid, str(b)
    if params.get("person"):
        p: Person = person_get(scope=scope, pk=int_or_404(params["person"]))
        home = selectors.current_household_of(p)
        node = home.grid if home else p.area
        if node is None:
            raise ValidationError(_("This person has no household or area yet; register them first."))
        return {"person": p}, node, p.name
    if params.get("area"):
        a = area_get(scope=scope, pk=int_or_404(params["area"]))
        return {"area": a}, a, a.name
    raise ValidationError(_("Choose what to assign: an area, a building, a household or a person."))


@scoped("coverage.assign")
def assign(request: HttpRequest) -> HttpResponse:
    """Pick a member for a gap. The target comes in the query string, the member from a searchable list."""
    scope = _scope(request)
    try:
        target, node, label = _target(request, scope, request.GET)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("coverage:index")
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = get_object_or_404(selectors.member_choices(scope=scope, area=node), pk=form.cleaned_data["member"])
        try:
            services.responsibility_assign(
                scope=scope, member=member, start=form.cleaned_data["start"], end=form.cleaned_data["end"], **target
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(member)s now answers for %(target)s.") % {"member": member, "target": label})
            back = request.GET.get("next") or ""
            if back.startswith("/") and not back.startswith("//"):
                return redirect(back)
            return redirect("coverage:area", pk=node.pk)
    query = request.GET.get("q", "")
    candidates = Paginator(selectors.member_choices(scope=scope, area=node, query=query), PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "coverage/assign.html",
        {
            "form": form,
            "label": label,
            "node": node,
            "candidates": candidates,
            "q": query,
            "target_qs": request.GET.urlencode(),
        },
    )


@scoped("coverage.assign")
def responsibility_end(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    resp = selectors.responsibility_get(scope=scope, pk=pk)
    try:
        services.responsibility_end(scope=scope, responsibility=resp)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Responsibility ended."))
    back = request.POST.get("next") or reverse("coverage:area", args=[resp.scope_area_id])
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/")


@scoped("coverage.change")
def building_head(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a resident of the household the head (樓長) of its building."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    hh = selectors.household_get(scope=scope, pk=pk)
    resident = get_object_or_404(
        selectors.resident_list(household=hh), person_id=int_or_404(request.POST.get("person"))
    )
    try:
        services.building_head_assign(scope=scope, building=hh.building, person=resident.person)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s is now head of the building.") % {"name": resident.person.name})
    return redirect("coverage:household", pk=hh.pk)
