"""Show a quantity kept in the base unit the way people count it: 400 kg · 800 斤."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from bastion.supplies.units import UNITS, Dimension, from_base

register = template.Library()


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@register.filter
def quantity(value: Decimal | None, item: object) -> str:
    """value (base unit) of item, with 斤 beside kilograms."""
    if value is None:
        return ""
    dimension = getattr(item, "dimension", "")
    if dimension == Dimension.MASS:
        return _("%(kg)s kg · %(jin)s jin") % {"kg": _plain(value), "jin": _plain(from_base(value, "jin"))}
    unit = getattr(item, "base_unit", "")
    return f"{_plain(value)} {UNITS[unit][2] if unit in UNITS else unit}"
