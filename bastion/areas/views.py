"""The area browser: tree, detail, and the forms to add, edit and move areas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.areas import selectors, services
from bastion.areas.forms import AreaChildForm, AreaEditForm, AreaMoveForm, add_service_errors
from bastion.areas.models import Area


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _changeable(request: HttpRequest, area: Area) -> Area:
    if not selectors.area_is_visible(scope=_scope(request), area=area, perm="area.change"):
        raise PermissionDenied
    return area


def _breadcrumbs(request: HttpRequest, area: Area) -> list[dict[str, Any]]:
    scope = _scope(request)
    return [
        {"area": a, "visible": selectors.area_is_visible(scope=scope, area=a)} for a in selectors.area_ancestors(area)
    ]


@scoped("area.view")
def browse(request: HttpRequest) -> HttpResponse:
    return render(request, "areas/browse.html", {"roots": selectors.area_roots(scope=_scope(request))})


@scoped("area.view")
def children(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of one node, as a fragment the tree expands in place (htmx)."""
    scope = _scope(request)
    area = selectors.area_get(scope=scope, pk=pk)
    items = selectors.area_list(scope=scope, parent=area)[:500]
    return render(request, "areas/_nodes.html", {"nodes": items})


@scoped("area.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    area = selectors.area_get(scope=scope, pk=pk)
    from bastion.orgs.selectors import org_list_for_area

    context: dict[str, Any] = {
        "area": area,
        "breadcrumbs": _breadcrumbs(request, area),
        "children": Paginator(selectors.area_list(scope=scope, parent=area), 100).get_page(
            request.GET.get("children_page")
        ),
        "organizations": org_list_for_area(scope=scope, area=area)[:100] if scope.has("org.view") else [],
        "can_change": selectors.area_is_visible(scope=scope, area=area, perm="area.change"),
        "can_add_person": selectors.area_is_visible(scope=scope, area=area, perm="person.change"),
    }
    if scope.has("person.view"):
        from bastion.people.selectors import person_list

        context["persons"] = Paginator(person_list(scope=scope, area_id=area.pk), 50).get_page(request.GET.get("page"))
        context["page"] = context["persons"]
    return render(request, "areas/detail.html", context)


@scoped("area.change")
def create_child(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    parent = _changeable(request, selectors.area_get(scope=scope, pk=pk))
    form = AreaChildForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = services.area_create(
                scope=scope,
                name=data["name"],
                kind=data["kind"],
                parent=parent,
                code=data["code"].strip(),
                code_year=data["code_year"],
                site_type=data["site_type"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"parent": "kind"})
        else:
            messages.success(request, _("Area “%(name)s” created.") % {"name": area.name})
            return redirect("areas:detail", area.pk)
    return render(
        request,
        "areas/form.html",
        {
            "form": form,
            "area": parent,
            "breadcrumbs": _breadcrumbs(request, parent) + [{"area": parent, "visible": True}],
            "title": _("New area under %(name)s") % {"name": parent.name},
        },
    )


@scoped("area.change")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    area = _changeable(request, selectors.area_get(scope=scope, pk=pk))
    initial = {"name": area.name, "code": area.code, "code_year": area.code_year, "site_type": area.site_type}
    form = AreaEditForm(request.POST or None, initial=initial, area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.area_update(
                scope=scope,
                area=area,
                name=data["name"],
                code=data["code"].strip(),
                code_year=data["code_year"],
                site_type=data.get("site_type"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("areas:detail", area.pk)
    return render(
        request,
        "areas/form.html",
        {
            "form": form,
            "area": area,
            "breadcrumbs": _breadcrumbs(request, area),
            "title": _("Edit %(name)s") % {"name": area.name},
        },
    )


@scoped("area.change")
def move(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    area = _changeable(request, selectors.area_get(scope=scope, pk=pk))
    form = AreaMoveForm(request.POST or None, area=area, candidates=selectors.area_list_changeable(scope=scope))
    if request.method == "POST" and form.is_valid():
        try:
            services.area_move(scope=scope, area=area, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as exc:
            add_service_errors(form, exc, {"parent": "new_parent", "area": "new_parent"})
        else:
            messages.success(request, _("Area moved."))
            return redirect("areas:detail", area.pk)
    return render(
        request,
        "areas/form.html",
        {
            "form": form,
            "area": area,
            "breadcrumbs": _breadcrumbs(request, area),
            "title": _("Move %(name)s") % {"name": area.name},
        },
    )
