"""People: search, detail (identifiers masked, audited reveal) and the person form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.areas.forms import add_service_errors
from bastion.areas.selectors import area_list_changeable
from bastion.people import selectors, services
from bastion.people.forms import PersonForm
from bastion.people.models import Person


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


@scoped("person.view")
def search(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.person_list(scope=scope, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "people/search.html", {"page": page, "q": query, "can_create": scope.has("person.change")})


def _detail(request: HttpRequest, person: Person, revealed: dict[str, str] | None = None) -> HttpResponse:
    scope = _scope(request)
    context = {
        "person": person,
        "memberships": selectors.membership_list(scope=scope, person=person)[:100],
        "can_change": selectors.person_is_visible(scope=scope, person=person, perm="person.change"),
        "can_reveal": selectors.person_is_visible(scope=scope, person=person, perm="person.reveal"),
        "revealed": revealed,
    }
    return render(request, "people/detail.html", context)


@scoped("person.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.person_get(scope=_scope(request), pk=pk))


@scoped("person.reveal")
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID number and phone once, on this response only; the service audits it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=pk)
    revealed = services.person_reveal(scope=scope, person=person)
    response = _detail(request, person, revealed=revealed)
    response["Cache-Control"] = "no-store"
    return response


def _areas(request: HttpRequest) -> Any:
    return area_list_changeable(scope=_scope(request), perm="person.change")


def _show_warnings(request: HttpRequest, person: Person) -> None:
    for warning in getattr(person, "validation_warnings", []):
        messages.warning(request, warning)


@scoped("person.change")
def create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    initial = {}
    if request.GET.get("area", "").isdigit():
        initial["area"] = int(request.GET["area"])
    form = PersonForm(request.POST or None, initial=initial, areas=_areas(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                scope=scope,
                name=data["name"],
                area=data["area"],
                id_number=data["id_number"],
                phone=data["phone"],
                gender=data["gender"],
                birth_date=data["birth_date"],
                party_status=data["party_status"],
                is_agency_cadre=data["is_agency_cadre"],
                home_agency=data["home_agency"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s registered.") % {"name": person.name})
            _show_warnings(request, person)
            return redirect("people:detail", person.pk)
    return render(request, "people/form.html", {"form": form, "title": _("Register a person")})


@scoped("person.change")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=pk)
    if not selectors.person_is_visible(scope=scope, person=person, perm="person.change"):
        raise PermissionDenied
    initial = {
        "name": person.name,
        "area": person.area_id,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "party_status": person.party_status,
        "is_agency_cadre": person.is_agency_cadre,
        "home_agency": person.home_agency,
    }
    form = PersonForm(request.POST or None, initial=initial, areas=_areas(request), person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {
            key: data[key]
            for key in ("name", "area", "gender", "birth_date", "party_status", "is_agency_cadre", "home_agency")
        }
        # A blank identifier keeps the stored one (the form never shows it in clear).
        for key in ("id_number", "phone"):
            if data[key].strip() or not getattr(person, key):
                changes[key] = data[key]
        if changes.get("id_number", "").strip():
            # A new ID number brings its own birth date and gender.
            changes.pop("birth_date")
            changes.pop("gender")
        try:
            person = services.person_update(scope=scope, person=person, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            _show_warnings(request, person)
            return redirect("people:detail", person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": _("Edit %(name)s") % {"name": person.name}},
    )
