"""The report over JSON: the same figures as `bastion report --format json`, and the records behind each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from bastion.access.decorators import scoped
from bastion.reports import figures
from bastion.reports.permissions import VIEW
from bastion.reports.selectors import ReportInputError

router = Router(tags=["reports"])


class RecordsOut(Schema):
    code: str
    label: str
    area: dict[str, Any] | None
    organization: dict[str, Any] | None
    period: dict[str, str]
    columns: list[str]
    count: int
    items: list[list[Any]]


def _ctx(request: HttpRequest, area: str | None, org: str | None, start: str | None, end: str | None) -> figures.Ctx:
    scope = request.scope  # type: ignore[attr-defined]
    try:
        return figures.context_for(scope=scope, area=area, org=org, start=start, end=end)
    except ReportInputError as exc:
        raise ValidationError({f"query.{exc.field}": exc.message}) from None


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float) or value is None else str(value)


@router.get("/figures", response=dict[str, Any], summary="Every figure for an area node and a period")
@scoped(VIEW, api=True)
def figures_get(
    request: HttpRequest,
    area: str | None = None,
    org: str | None = None,
    start: str | None = Query(None, alias="from"),  # noqa: B008
    end: str | None = Query(None, alias="to"),  # noqa: B008
) -> dict[str, Any]:
    """`{"area": ..., "period": {"from", "to"}, "figures": {CODE: VALUE}}`; decimals are strings with two places.

    `area` is an id, a statistical code or a name (default: your top node), or `org` an organisation's
    id or name instead; `from`/`to` are YYYY-MM-DD
    (default: the span of the records). An area outside your scope is a 404.
    """
    ctx = _ctx(request, area, org, start, end)
    return figures.Report(ctx.area, ctx.period, ctx, figures.compute(ctx)).as_dict()


@router.get("/figures/{code}/records", response=RecordsOut, summary="The records behind one figure (paginated)")
@scoped(VIEW, api=True)
def records_get(
    request: HttpRequest,
    code: str,
    area: str | None = None,
    org: str | None = None,
    start: str | None = Query(None, alias="from"),  # noqa: B008
    end: str | None = Query(None, alias="to"),  # noqa: B008
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """The records behind a figure code (e.g. `branches.online`), `limit` (1–500) rows from `offset`."""
    if not 1 <= limit <= 500:
        raise ValidationError({"query.limit": "limit must be between 1 and 500"})
    if offset < 0:
        raise ValidationError({"query.offset": "offset must not be negative"})
    ctx = _ctx(request, area, org, start, end)
    label, drill = figures.drill(ctx, code)
    rows = drill.rows
    count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    return {
        "code": code,
        "label": label,
        "area": figures.area_dict(ctx.area),
        "organization": {"id": ctx.org.pk, "name": ctx.org.name} if ctx.org is not None else None,
        "period": ctx.period.as_dict(),
        "columns": [str(c) for c in drill.columns],
        "count": count,
        "items": [[_plain(v) for v in drill.cells(row)] for row in rows[offset:offset + limit]],
    }

