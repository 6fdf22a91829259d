"""Validation and masking of personal identifiers (resident ID numbers, phones)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


@dataclass
class ResidentId:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F", from the 17th digit
    warnings: list[str] = field(default_factory=list)


def parse_resident_id(value: str) -> ResidentId:
    """Validate a PRC resident ID number (居民身份證號碼).

    A bad length, format, birth date or checksum is an error. An area code missing from
    python-stdnum's table is only a warning: codes are created after the table was made.
    """
    number = ric.compact(value or "").upper()
    try:
        if len(number) != 18:
            raise InvalidLength()
        if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
            raise InvalidFormat()
        birth = ric.get_birth_date(number)
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
    except InvalidLength as exc:
        raise ValidationError(_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}) from exc
    except InvalidFormat as exc:
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X.")) from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("The check digit of this ID number is wrong; please check each digit.")) from exc
    except InvalidComponent as exc:
        raise ValidationError(_("The birth date inside this ID number is not a valid date.")) from exc
    warnings = []
    if not numdb.get("cn/loc").info(number[:6]) or not _known_place(number):
        warnings.append(
            _("Area code %(code)s is not in the code table; check it if it is not new.") % {"code": number[:6]}
        )
    if birth > dt.date.today():  # noqa: DTZ011 - a calendar date, no time zone involved
        raise ValidationError(_("The birth date inside this ID number is in the future."))
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, gender=gender, warnings=warnings)


def _known_place(number: str) -> bool:
    try:
        ric.get_birth_place(number)
    except InvalidComponent:
        return False
    return True


def parse_phone(value: str, region: str = "CN") -> str:
    """Return the phone in E.164 form, or raise a ValidationError."""
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("This phone number is not valid for its region."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_id(number: str | None) -> str:
    if not number:
        return ""
    return "*" * (len(number) - 4) + number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:]


def mask_value(field_name: str, value: object) -> object:
    if value in (None, ""):
        return value
    if field_name == "id_number":
        return mask_id(str(value))
    if field_name == "phone":
        return mask_phone(str(value))
    return "***"
