import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bastion.core.personal import mask_id, parse_phone, parse_resident_id

VALID = "11010519491231002X"


def test_valid_id_gives_birth_date_and_gender():
    rid = parse_resident_id(VALID)
    assert rid.birth_date.isoformat() == "1949-12-31"
    assert rid.gender == "F"
    assert rid.warnings == []


def test_bad_checksum_is_an_error():
    with translation.override("en"), pytest.raises(ValidationError, match="check digit"):
        parse_resident_id("110105194912310021")
    with pytest.raises(ValidationError, match="校验位"):
        parse_resident_id("110105194912310021")


def test_unknown_area_code_is_only_a_warning():
    # 990105 is not in the table; compute a correct check digit for it.
    from stdnum.cn import ric

    body = "99010519491231002"
    rid = parse_resident_id(body + ric.calc_check_digit(body + "0"))
    assert rid.warnings and "990105" in rid.warnings[0]


def test_phone_is_normalised_and_validated():
    assert parse_phone("138 0013 8000") == "+8613800138000"
    with pytest.raises(ValidationError):
        parse_phone("12345")


def test_masking_keeps_last_four():
    assert mask_id(VALID) == "**************002X"
