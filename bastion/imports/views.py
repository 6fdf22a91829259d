"""Import pages: upload → preview with every error → confirm; past imports; template and export downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bastion.access.decorators import scoped
from bastion.areas.models import Area, AreaKind
from bastion.areas.selectors import area_get
from bastion.core.errors import field_errors
from bastion.imports import conf, selectors, services
from bastion.imports.models import BatchStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _download(content: bytes, file_name: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(file_name)}"
    response["Cache-Control"] = "no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _export_areas(scope: Any) -> list[Area]:
    return list(
        Area.objects.filter(
            scope.area_visible_q("export"),
            kind__in=[AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID],
        ).order_by("path")[:500]
    )


def _index(request: HttpRequest, errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    page = Paginator(selectors.batch_list(scope=scope), 20).get_page(request.GET.get("page"))
    can_export = scope.has("export") and scope.has("coverage.view")
    context = {
        "page": page,
        "can_upload": scope.has("imports.upload"),
        "can_export": can_export,
        "export_areas": _export_areas(scope) if can_export else [],
        "errors": errors or [],
        "max_rows": conf.max_rows(),
        "max_kb": conf.max_bytes() // 1024,
    }
    return render(request, "imports/index.html", context, status=status)


@scoped("imports.view")
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@require_POST
@scoped("imports.upload")
def upload(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return _index(request, [_("Choose a file to upload.")], status=400)
    if upload_file.size is not None and upload_file.size > conf.max_bytes():
        message = _(
            "The file is %(size)d KB; at most %(limit)d KB may be uploaded at once. Split it into several files."
        ) % {"size": upload_file.size // 1024, "limit": conf.max_bytes() // 1024}
        return _index(request, [message], status=400)
    try:
        batch = services.batch_upload(scope=scope, file_name=upload_file.name or "", content=upload_file.read())
    except ValidationError as exc:
        return _index(request, [e["message"] for e in field_errors(exc)], status=400)
    return redirect("imports:batch", pk=batch.pk)


@scoped("imports.view")
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    item = selectors.batch_get(scope=scope, pk=pk)
    context = {
        "batch": item,
        "can_confirm": item.status == BatchStatus.READY and scope.has("imports.upload"),
        "total_errors": len(item.errors),
    }
    return render(request, "imports/batch.html", context)


@require_POST
@scoped("imports.upload")
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    item = selectors.batch_get(scope=scope, pk=pk)
    try:
        item = services.batch_confirm(scope=scope, batch=item)
    except ValidationError as exc:
        for error in field_errors(exc):
            messages.error(request, error["message"])
        return redirect("imports:batch", pk=item.pk)
    if item.status == BatchStatus.IMPORTED:
        messages.success(request, _("Imported: nothing in the file was left out."))
    else:
        messages.error(request, _("The registry changed since the check; nothing was imported. See the errors below."))
    return redirect("imports:batch", pk=item.pk)


@scoped("imports.view")
def batch_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file exactly as uploaded."""
    item = selectors.batch_get(scope=_scope(request), pk=pk, with_content=True)
    content_type = XLSX if item.file_name.lower().endswith((".xlsx", ".xlsm")) else "text/csv"
    return _download(bytes(item.content), item.file_name, content_type)


@scoped("imports.view")
def template(request: HttpRequest) -> HttpResponse:
    return _download(services.template_workbook(), _("household-registry-template") + ".xlsx")


@scoped("export")
def export(request: HttpRequest) -> HttpResponse:
    """The household registry of an area as .xlsx (identifiers masked unless the user may reveal them)."""
    scope = _scope(request)
    if not scope.has("coverage.view"):
        raise Http404
    node = None
    if request.GET.get("area"):
        try:
            node = area_get(scope=scope, pk=int(request.GET["area"]))
        except ValueError:
            raise Http404 from None
    content, _rows = services.households_export(scope=scope, area=node)
    stamp = timezone.localdate().isoformat()
    prefix, everything = _("households"), _("all")
    name = f"{prefix}-{node.name if node else everything}-{stamp}.xlsx"
    return _download(content, name)
