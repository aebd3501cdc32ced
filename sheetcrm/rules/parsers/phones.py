"""Phone numbers as staff type them, to E.164 (+8613800138000)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.result import Invalid, invalid

_NOISE = re.compile(r"[\s\-.()（）/]+")
_LETTERS = re.compile(r"[^\d+]")


def parse_phone(value: CellValue, region: str) -> str | Invalid:
    if isinstance(value, str):
        return _parse_text(value, region)
    if isinstance(value, bool):
        return invalid("phone.not_a_number")
    if isinstance(value, float):
        if not value.is_integer():
            return invalid("phone.not_a_number")
        return _parse_text(str(int(value)), region)  # 13800138000.0, never 1.38e10
    return _parse_text(str(value), region)


@lru_cache(maxsize=65_536)
def _parse_text(typed: str, region: str) -> str | Invalid:
    """Cached: the contact log repeats each customer's number about ten times."""
    text = unicodedata.normalize("NFKC", typed).strip()
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
