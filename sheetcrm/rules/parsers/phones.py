"""Phone numbers as staff type them, to E.164 (+8613800138000)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.result import Invalid, invalid

_NOISE = re.compile(r"[\s\-.()（）/]+")
_LETTERS = re.compile(r"[^\d+]")


def parse_phone(value: CellValue, region: str) -> str | Invalid:
    if isinstance(value, bool):
        return invalid("phone.not_a_number")
    if isinstance(value, float):
        if not value.is_integer():
            return invalid("phone.not_a_number")
        text = str(int(value))  # 13800138000.0 → "13800138000", never 1.38e10
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
    digits = _NOISE.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]  # 0086 138… is the international prefix
    if not digits or _LETTERS.search(digits) or "+" in digits[1:]:
        return invalid("phone.not_a_number")
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return invalid("phone.not_a_number")
    if not phonenumbers.is_valid_number(number):
        return invalid("phone.invalid", region=region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
