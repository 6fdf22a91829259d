from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bastion.supplies.units import from_base, to_base


def test_jin_is_half_a_kilogram():
    assert to_base("800", "jin", "mass") == Decimal("400.000")
    assert from_base(Decimal("400"), "jin") == Decimal("800.00")


def test_millilitres_convert_to_litres():
    assert to_base("3800", "mL", "volume") == Decimal("3.800")


@pytest.mark.parametrize("unit,dimension", [("L", "mass"), ("jin", "volume"), ("kg", "count"), ("bucket", "mass")])
def test_a_unit_that_does_not_fit_the_item_is_refused(unit, dimension):
    with pytest.raises(ValidationError) as err:
        to_base("1", unit, dimension)
    assert "unit" in err.value.message_dict


@pytest.mark.parametrize("value", ["0", "-1", "x", None, "NaN"])
def test_zero_negative_or_unreadable_quantities_are_refused(value):
    with pytest.raises(ValidationError):
        to_base(value, "kg", "mass")


def test_mass_is_shown_in_kilograms_and_jin():
    from types import SimpleNamespace

    from django.utils import translation

    from bastion.supplies.templatetags.supplies_units import quantity

    alcohol = SimpleNamespace(dimension="mass", base_unit="kg")
    disinfectant = SimpleNamespace(dimension="volume", base_unit="L")
    with translation.override("en"):
        assert quantity(Decimal("400.000"), alcohol) == "400 kg · 800 jin"
        assert quantity(Decimal("3.800"), disinfectant) == "3.8 L"
    with translation.override("zh-hans"):
        assert quantity(Decimal("400.000"), alcohol) == "400 千克 · 800 斤"
