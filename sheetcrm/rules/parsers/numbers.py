"""Whole numbers typed in cells: 3, 3.0, "３", "三"."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.chinese_numerals import chinese_number
from sheetcrm.rules.parsers.result import Invalid, invalid


def parse_integer(value: CellValue) -> int | Invalid:
    if isinstance(value, bool):
        return invalid("integer.unreadable")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else invalid("integer.fraction")
    if not isinstance(value, str):
        return invalid("integer.unreadable")
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    number = _decimal(text)
    if number is None or not number.is_finite():  # "Infinity" and "NaN" are Decimals too
        return invalid("integer.unreadable")
    if number != number.to_integral_value():
        return invalid("integer.fraction")
    return int(number)


def _decimal(text: str) -> Decimal | None:
    """Arabic digits, or Chinese numerals (三, 十二)."""
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    return chinese_number(text)
