from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.access.decorators import scoped
from bastion.orgs import selectors


@scoped("org.view")
def browse(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    return render(request, "orgs/browse.html", {"roots": selectors.org_roots(scope=scope)})


@scoped("org.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    org = selectors.org_get(scope=scope, pk=pk)
    children = selectors.org_list(scope=scope, parent=org)
    return render(request, "orgs/detail.html", {"org": org, "children": children})
