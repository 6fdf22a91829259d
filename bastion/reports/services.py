"""Writes of the report module: only the export of the figure table, which is audited."""

from __future__ import annotations

import csv
import io
from typing import Any

from bastion.access.scope import Scope
from bastion.core import audit
from bastion.reports.figures import Report
from bastion.reports.permissions import EXPORT

CSV, XLSX = "csv", "xlsx"


def _text_safe(value: Any) -> Any:
    """A leading = + - @ would make a spreadsheet run the text as a formula: keep such text inert."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def report_export(*, scope: Scope, report: Report, fmt: str) -> bytes:
    """The figure table (code, label, value) as CSV (UTF-8 with BOM, for Excel) or .xlsx. Writes an AuditEvent."""
    node = report.ctx.node
    if report.ctx.org is not None:
        scope.require(EXPORT, org=report.ctx.org)
    else:
        scope.require(EXPORT, area=report.area)
    header = ["code", "label", "value"]
    rows = report.rows()
    if fmt == XLSX:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title="report")
        sheet.append([f"{node.name} {report.period.start.isoformat()}..{report.period.end.isoformat()}"])
        sheet.append(header)
        for r in rows:
            # Cells keep their numbers so that Excel can sum them.
            sheet.append([_text_safe(v) for v in (r.code, r.label, "" if r.value is None else r.value)])
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[_text_safe(v) for v in (r.code, r.label, r.text)] for r in rows])
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    audit.record(scope.user, "report.export", node, {"format": fmt, **report.period.as_dict()})
    return content
