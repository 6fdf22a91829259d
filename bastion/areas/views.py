from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.access.decorators import scoped
from bastion.areas import selectors


@scoped("area.view")
def browse(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    return render(request, "areas/browse.html", {"roots": selectors.area_roots(scope=scope)})


@scoped("area.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    area = selectors.area_get(scope=scope, pk=pk)
    children = selectors.area_list(scope=scope, parent=area)
    return render(request, "areas/detail.html", {"area": area, "children": children})
