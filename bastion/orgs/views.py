"""The organisation browser: tree, detail with members, and the forms that change them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.decorators import scoped
from bastion.areas.forms import add_service_errors
from bastion.areas.selectors import area_list
from bastion.orgs import selectors, services
from bastion.orgs.forms import DissolveForm, MemberAddForm, MembershipEndForm, OrgChildForm, OrgEditForm
from bastion.orgs.models import Organization
from bastion.people import selectors as people_selectors
from bastion.people import services as people_services


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _require(request: HttpRequest, org: Organization, perm: str) -> Organization:
    if not selectors.org_is_visible(scope=_scope(request), org=org, perm=perm):
        raise PermissionDenied
    return org


def _page(request: HttpRequest, org: Organization, title: str, form: Any, **extra: Any) -> HttpResponse:
    template = extra.pop("template", "orgs/form.html")
    context = {
        "org": org,
        "form": form,
        "title": title,
        "breadcrumbs": selectors.org_ancestors(scope=_scope(request), org=org) + [(org, True)],
        **extra,
    }
    return render(request, template, context)


@scoped("org.view")
def browse(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/browse.html", {"roots": selectors.org_roots(scope=_scope(request))})


@scoped("org.view")
def children(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    org = selectors.org_get(scope=scope, pk=pk)
    return render(request, "orgs/_nodes.html", {"nodes": selectors.org_list(scope=scope, parent=org)[:500]})


@scoped("org.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    org = selectors.org_get(scope=scope, pk=pk)
    show_all = request.GET.get("members") == "all"
    context: dict[str, Any] = {
        "org": org,
        "breadcrumbs": selectors.org_ancestors(scope=scope, org=org),
        "covered": list(org.covered_areas.order_by("path")),
        "children": Paginator(selectors.org_list(scope=scope, parent=org), 100).get_page(
            request.GET.get("children_page")
        ),
        "can_change": selectors.org_is_visible(scope=scope, org=org, perm="org.change"),
        "can_change_members": selectors.org_is_visible(scope=scope, org=org, perm="membership.change"),
        "show_all_members": show_all,
    }
    if scope.has("membership.view"):
        members = people_selectors.membership_list(
            scope=scope, organization=org, current_on=None if show_all else timezone.localdate()
        ).select_related("person__area")
        context["members"] = context["page"] = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/detail.html", context)


@scoped("org.change")
def create_child(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    parent = _require(request, selectors.org_get(scope=scope, pk=pk), "org.change")
    form = OrgChildForm(request.POST or None, parent=parent, visible_areas=area_list(scope=scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.org_create(
                scope=scope,
                name=data["name"],
                kind=data["kind"],
                parent=parent,
                purpose=data["purpose"],
                channel=data["channel"],
                area=data["area"],
                covered_areas=data.get("covered_areas") or (),
                established=data["established"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"parent": "kind"})
        else:
            messages.success(request, _("Organisation “%(name)s” created.") % {"name": org.name})
            return redirect("orgs:detail", org.pk)
    return _page(request, parent, _("New organisation under %(name)s") % {"name": parent.name}, form)


@scoped("org.change")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    org = _require(request, selectors.org_get(scope=scope, pk=pk), "org.change")
    initial = {
        "name": org.name,
        "purpose": org.purpose,
        "channel": org.channel,
        "area": org.area_id,
        "covered_areas": list(org.covered_areas.all()),
        "established": org.established,
    }
    form = OrgEditForm(request.POST or None, initial=initial, org=org, visible_areas=area_list(scope=scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.org_update(
                scope=scope,
                org=org,
                name=data["name"],
                purpose=data.get("purpose"),
                channel=data.get("channel"),
                area=data["area"],
                established=data["established"],
                covered_areas=data["covered_areas"] if "covered_areas" in form.fields else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:detail", org.pk)
    return _page(request, org, _("Edit %(name)s") % {"name": org.name}, form)


@scoped("org.change")
def dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    org = _require(request, selectors.org_get(scope=scope, pk=pk), "org.change")
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_dissolve(scope=scope, org=org, on=form.cleaned_data["on"])
        except ValidationError as exc:
            add_service_errors(form, exc, {"dissolved": "on"})
        else:
            messages.success(request, _("%(name)s is dissolved.") % {"name": org.name})
            return redirect("orgs:detail", org.pk)
    return _page(request, org, _("Dissolve %(name)s") % {"name": org.name}, form)


@scoped("membership.change")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    org = _require(request, selectors.org_get(scope=scope, pk=pk), "membership.change")
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    persons = people_selectors.person_list(scope=scope)
    found = list(people_selectors.person_list(scope=scope, query=query)[:20]) if query else []
    form = MemberAddForm(request.POST or None, persons=persons, found=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = people_services.membership_create(
                scope=scope,
                person=data["person"],
                organization=org,
                role=data["role"],
                title=data["title"],
                start=data["start"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"end": "start"})
        else:
            messages.success(
                request,
                _("%(person)s joined %(org)s.") % {"person": membership.person.name, "org": org.name},
            )
            return redirect("orgs:detail", org.pk)
    return _page(
        request,
        org,
        _("Add a member to %(name)s") % {"name": org.name},
        form,
        template="orgs/member_add.html",
        q=query,
        found=found,
    )


@scoped("membership.change")
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    membership = people_selectors.membership_get(scope=scope, pk=pk)
    org = _require(request, membership.organization, "membership.change")
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.membership_end(scope=scope, membership=membership, end=form.cleaned_data["end"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The membership of %(person)s ended.") % {"person": membership.person.name})
            return redirect("orgs:detail", org.pk)
    title = _("End the membership of %(person)s (%(role)s)") % {
        "person": membership.person.name,
        "role": membership.get_role_display(),
    }
    return _page(request, org, title, form)
