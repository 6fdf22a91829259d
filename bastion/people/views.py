from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.access.decorators import scoped
from bastion.people import selectors


@scoped("person.view")
def search(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    query = request.GET.get("q", "")
    page = Paginator(selectors.person_list(scope=scope, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "people/search.html", {"page": page, "q": query})


@scoped("person.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    person = selectors.person_get(scope=scope, pk=pk)
    memberships = selectors.membership_list(scope=scope, person=person)
    return render(request, "people/detail.html", {"person": person, "memberships": memberships})
