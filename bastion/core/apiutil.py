"""Small helpers the JSON API operations share (kept apart from bastion/api.py to avoid an import cycle).

- `fields_renamed` turns a service's field names into the API's (a service says `parent`,
  the request body says `parent_id`), so an error names the field the caller sent.
- `referenced` / `referenced_many` look up the objects an id in the body refers to through a
  scoped selector; an unknown id, or one outside the caller's scope, is a 400 naming the field,
  not a 404 of the whole operation.
- `patch_data` reads a PATCH body: a field left out keeps its value, an explicit null clears a
  nullable field, and null on any other field is a 422 naming it.
- `with_parent_id` annotates a treebeard queryset with each node's parent id in the same query.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import ValidationError as SchemaValidationError

T = TypeVar("T")


@contextmanager
def fields_renamed(mapping: dict[str, str]) -> Iterator[None]:
    """Re-raise a ValidationError with its field names mapped (also `covered_areas.2` → `covered_area_ids.2`)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list[Any]] = {}
        for field, errors in exc.error_dict.items():
            head, dot, rest = field.partition(".")
            if field in mapping:
                new = mapping[field]
            elif dot and head in mapping:
                new = f"{mapping[head]}.{rest}"
            else:
                new = field
            renamed.setdefault(new, []).extend(errors)
        raise ValidationError(renamed) from exc


def _unknown(field: str, pk: Any) -> ValidationError:
    return ValidationError({field: _("There is no record with id %(id)s in your scope.") % {"id": pk}})


def referenced(field: str, pk: int | None, fetch: Callable[[int], T]) -> T | None:
    """The object `fetch(pk)` finds, None for no id, or a ValidationError naming `field`."""
    if pk is None:
        return None
    try:
        return fetch(pk)
    except Http404:
        raise _unknown(field, pk) from None


def referenced_many(field: str, pks: Iterable[int], fetch: Callable[[int], T]) -> list[T]:
    found: list[T] = []
    for index, pk in enumerate(pks):
        try:
            found.append(fetch(pk))
        except Http404:
            raise _unknown(f"{field}.{index}", pk) from None
    return found


def patch_data(payload: Schema, *, nullable: Collection[str] = ()) -> dict[str, Any]:
    """The fields the caller sent (pydantic's "fields set"), with null allowed only where it clears a value."""
    data = payload.dict(exclude_unset=True)
    refused = [name for name, value in data.items() if value is None and name not in nullable]
    if refused:
        # The same shape as a schema error: 422 with `body.<field>`.
        raise SchemaValidationError(
            [
                {
                    "loc": ("body", "payload", name),
                    "msg": _("%(field)s cannot be null; leave it out to keep its value.") % {"field": name},
                    "type": "null_not_allowed",
                }
                for name in refused
            ]
        )
    return data


def with_parent_id(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate `parent_pk` on a materialised-path (treebeard MP_Node) queryset without a query per row."""
    model = qs.model
    steplen = model.steplen  # type: ignore[attr-defined]
    parent = model._default_manager.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
    ).values("pk")[:1]
    return qs.annotate(parent_pk=Subquery(parent))


def parent_id_of(obj: Any) -> int | None:
    """The parent id annotated by `with_parent_id`, or looked up for a single object."""
    if hasattr(obj, "parent_pk"):
        return obj.parent_pk  # type: ignore[no-any-return]
    if obj.depth <= 1:
        return None
    parent = obj.get_parent()
    return parent.pk if parent else None
