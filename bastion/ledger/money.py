"""Yuan amounts: Decimal with two places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX = Decimal("1000000000000")
CENT = Decimal("0.01")


def to_money(value: Any, *, field: str = "amount", positive: bool = True) -> Decimal:
    """Parse an amount in yuan; reject floats' surprises, more than 2 places and (by default) <= 0."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip()) if value is not None else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1200.50.")})
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError({field: _("An amount has at most 2 decimal places (fen).")})
    if positive and amount <= 0:
        raise ValidationError({field: _("The amount must be greater than zero.")})
    if abs(amount) >= MAX:  # the columns hold 14 digits, 2 of them fen
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(CENT)


def fmt(amount: Decimal | None) -> str:
    return str((amount or Decimal(0)).quantize(CENT))
