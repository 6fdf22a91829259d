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
