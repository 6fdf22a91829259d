"""The report page (figure table for an area node and a period), its drill-downs and its export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.access.decorators import scoped
from bastion.reports import figures, selectors, services
from bastion.reports.permissions import EXPORT, VIEW
from bastion.reports.selectors import ReportInputError

PAGE_SIZE = 50
CONTENT_TYPES = {
    services.CSV: "text/csv; charset=utf-8",
    services.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _context(request: HttpRequest) -> tuple[figures.Ctx, str]:
    """The area and period asked for; a bad date falls back to the defaults with the error to show."""
    scope = request.scope  # type: ignore[attr-defined]
    area, org = request.GET.get("area"), request.GET.get("org")
    start, end = request.GET.get("from"), request.GET.get("to")
    try:
        return figures.context_for(scope=scope, area=area, org=org, start=start, end=end), ""
    except ReportInputError as exc:
        return figures.context_for(scope=scope, area=area, org=org, start=None, end=None), exc.message


@scoped(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    ctx, error = _context(request)
    report = figures.Report(ctx.area, ctx.period, ctx, figures.compute(ctx))
    return render(request, "reports/index.html", {
        "report": report,
        "rows": report.rows(),
        "areas": selectors.reportable_areas(scope=scope),
        "orgs": selectors.reportable_orgs(scope=scope),
        "error": error,
        "can_export": scope.has(EXPORT),
        "qs": urlencode(ctx.query()),
    }, status=400 if error else 200)


@scoped(VIEW)
def records(request: HttpRequest, code: str) -> HttpResponse:
    ctx, error = _context(request)
    label, drill = figures.drill(ctx, code)
    page = Paginator(drill.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/records.html", {
        "code": code,
        "label": label,
        "drill": drill,
        "page": page,
        "cells": [drill.cells(row) for row in page.object_list],
        "ctx": ctx,
        "error": error,
        "qs": urlencode(ctx.query()),
    })


@scoped(EXPORT)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    scope = request.scope  # type: ignore[attr-defined]
    ctx, error = _context(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = figures.Report(ctx.area, ctx.period, ctx, figures.compute(ctx))
    content = services.report_export(scope=scope, report=report, fmt=fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    node = ctx.org.pk if ctx.org is not None else (ctx.area.code or ctx.area.pk) if ctx.area else ""
    name = f"report-{node}-{ctx.period.start:%Y%m%d}-{ctx.period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
