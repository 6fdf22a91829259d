"""Units of measure: quantities are stored in base units (kg, L, piece) as Decimal.

A tiny table is all that is needed: 斤 (jin) is 0.5 kg, 兩 (liang) 0.05 kg, 毫升 1 mL.
A unit of another dimension than the item's is refused.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Dimension(models.TextChoices):
    MASS = "mass", gettext_lazy("Mass")
    VOLUME = "volume", gettext_lazy("Volume")
    COUNT = "count", gettext_lazy("Count")


BASE_UNIT = {Dimension.MASS: "kg", Dimension.VOLUME: "L", Dimension.COUNT: "piece"}

# unit code: (dimension, how many base units one unit is, label)
UNITS: dict[str, tuple[str, Decimal, Any]] = {
    "kg": (Dimension.MASS, Decimal("1"), gettext_lazy("kg")),
    "g": (Dimension.MASS, Decimal("0.001"), gettext_lazy("g")),
    "jin": (Dimension.MASS, Decimal("0.5"), gettext_lazy("jin (0.5 kg)")),
    "liang": (Dimension.MASS, Decimal("0.05"), gettext_lazy("liang (50 g)")),
    "t": (Dimension.MASS, Decimal("1000"), gettext_lazy("tonne")),
    "L": (Dimension.VOLUME, Decimal("1"), gettext_lazy("L")),
    "mL": (Dimension.VOLUME, Decimal("0.001"), gettext_lazy("mL")),
    "piece": (Dimension.COUNT, Decimal("1"), gettext_lazy("piece")),
}

QUANTITY = Decimal("0.001")


def parse_quantity(value: Any, *, field: str = "quantity") -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        qty = Decimal(str(value).strip()) if value is not None else None
    except (InvalidOperation, ValueError):
        qty = None
    if qty is None or not qty.is_finite():
        raise ValidationError({field: _("Enter a quantity, e.g. 2 or 3.8.")})
    if qty <= 0:
        raise ValidationError({field: _("A quantity must be greater than zero.")})
    return qty


def to_base(value: Any, unit: str, dimension: str, *, field: str = "quantity") -> Decimal:
    """A quantity in unit, converted to the base unit of dimension (3 decimals at most)."""
    qty = parse_quantity(value, field=field)
    if unit not in UNITS:
        raise ValidationError({"unit": _("Unknown unit “%(unit)s”.") % {"unit": unit}})
    unit_dimension, factor, _label = UNITS[unit]
    if unit_dimension != dimension:
        raise ValidationError(
            {"unit": _("%(unit)s does not measure %(dimension)s.")
             % {"unit": UNITS[unit][2], "dimension": Dimension(dimension).label.lower()}}
        )
    base = qty * factor
    if base != base.quantize(QUANTITY):
        raise ValidationError({field: _("Quantities are kept to 3 decimal places of the base unit.")})
    return base.quantize(QUANTITY)


def from_base(quantity: Decimal, unit: str) -> Decimal:
    return (quantity / UNITS[unit][1]).quantize(Decimal("0.01"))


def display_units(dimension: str) -> list[str]:
    return [code for code, (dim, _f, _l) in UNITS.items() if dim == dimension]
