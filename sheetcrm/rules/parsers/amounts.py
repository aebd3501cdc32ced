"""Money as staff type it: ¥80,000 · 8万 · 1.2k · 八万五千 · 80.000,50 € · (500).

Decimal throughout; the decimal separator comes from settings (`decimal_comma`) and a value
that could be read two ways is reported, not guessed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.chinese_numerals import chinese_number
from sheetcrm.rules.parsers.result import Invalid, invalid

_CURRENCY = re.compile(
    r"(?i)(?:rmb|cny|eur|usd|mxn|ars|cop|clp|pen|hkd|twd|nt\$|us\$|euros?|pesos?|d[oó]lares|"
    r"yuan|元|块|圆|円|[¥€$£￥])"
)
_SCALES = (
    (re.compile(r"(?i)\s*(?:millones|millón|millon|mill\.?)$"), Decimal(10**6)),
    (re.compile(r"(?i)\s*mil$"), Decimal(1000)),
    (re.compile(r"\s*[亿億]$"), Decimal(10**8)),
    (re.compile(r"\s*[万萬]$"), Decimal(10**4)),
    (re.compile(r"\s*千$"), Decimal(1000)),
    (re.compile(r"\s*[kK]$"), Decimal(1000)),
    (re.compile(r"\s*M$"), Decimal(10**6)),
)
_CHINESE_NUMERAL = re.compile(r"^[零〇一二两三四五六七八九十百千万亿点]+$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")
_NUMBER = re.compile(r"^\d[\d.,]*$|^[.,]\d+$")


def parse_amount(value: CellValue, *, decimal_comma: bool | None) -> Decimal | Invalid:
    if type(value) is float and math.isfinite(value):
        # A number cell, nearly every amount: repr gives the shortest text that round-trips,
        # 0.1 → Decimal("0.1"), not 0.1000…0555.
        return Decimal(repr(value))
    if isinstance(value, bool):
        return invalid("amount.unreadable")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # nan or infinity (or a subclass of float)
        return Decimal(repr(value)) if math.isfinite(value) else invalid("amount.unreadable")
    if not isinstance(value, str):
        return invalid("amount.unreadable")
    return _parse_text(value, decimal_comma)


def amount_or_float(value: CellValue, *, decimal_comma: bool | None) -> Decimal | float | Invalid:
    """parse_amount, but a number cell (a finite float) stays a float: for checks that ask
    only whether a cell is an amount and its sign, and make no record of it (no Decimal
    for 200,000 cells). Everything else reads as parse_amount reads it."""
    if type(value) is float and math.isfinite(value):
        return value
    return parse_amount(value, decimal_comma=decimal_comma)


def finite_floats(values: Sequence[CellValue]) -> bool:
    """Every value a finite float (a number cell), which amount_or_float gives back as it
    is: a block of them needs no call per cell (the test is made in C)."""
    if not values or set(map(type, values)) != {float}:
        return False
    return all(map(math.isfinite, cast(Sequence[float], values)))


def parse_percent(value: CellValue, *, decimal_comma: bool | None) -> Decimal | Invalid:
    """A share as a fraction: 0.25 (a cell formatted as a percentage holds that), "25%",
    "25 %" or 25 (a number above 1 typed in a column headed as a percentage)."""
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    typed_percent = text.endswith("%")
    number = parse_amount(text.rstrip("%").strip() if typed_percent else value,
                          decimal_comma=decimal_comma)  # fmt: skip
    if isinstance(number, Invalid):
        return invalid("percent.unreadable")
    if typed_percent or number > 1:
        number = number / 100
    if not 0 <= number <= 1:
        return invalid("percent.out_of_range")
    return number


def _parse_text(raw: str, decimal_comma: bool | None) -> Decimal | Invalid:
    text = unicodedata.normalize("NFKC", raw).strip()
    if text.endswith("%"):
        return invalid("amount.percent")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()  # accounting style (500)
    text = _CURRENCY.sub("", text).strip()
    if text.startswith("-") or text.endswith("-"):
        negative, text = True, text.strip("-").strip()
    text = _CURRENCY.sub("", text).strip()
    if _CHINESE_NUMERAL.match(text):
        result = _chinese(text)
    else:
        scale = Decimal(1)
        for pattern, factor in _SCALES:
            if pattern.search(text):
                text, scale = pattern.sub("", text), factor
                break
        if _CHINESE_NUMERAL.match(text):
            result = _chinese(text)
        else:
            result = _digits(_SPACES.sub("", text), decimal_comma)
        if isinstance(result, Decimal):
            result = result * scale
    if isinstance(result, Invalid):
        return result
    return -result if negative else result


def _chinese(text: str) -> Decimal | Invalid:
    number = chinese_number(text)
    return invalid("amount.unreadable") if number is None else number


def _digits(text: str, decimal_comma: bool | None) -> Decimal | Invalid:
    if not _NUMBER.match(text):
        return invalid("amount.unreadable")
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        if decimal_comma is not None and (decimal == ",") != decimal_comma:
            return invalid("amount.bad_separators")
        return _split(text, decimal)
    if not (has_comma or has_dot):
        return Decimal(text)
    sep = "," if has_comma else "."
    parts = text.split(sep)
    grouped = len(parts) > 2 or (len(parts[-1]) == 3 and parts[0] != "")
    if decimal_comma is None:
        if len(parts) == 2 and grouped:
            return invalid("amount.ambiguous_separator")
        return _split(text, sep) if len(parts) == 2 else _grouped(parts)
    decimal = "," if decimal_comma else "."
    if sep == decimal:
        return _split(text, sep) if len(parts) == 2 else invalid("amount.bad_separators")
    return _grouped(parts)


def _grouped(parts: list[str]) -> Decimal | Invalid:
    """1,234,567 or 1.234.567: groups of exactly three after the first."""
    if not parts[0] or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        return invalid("amount.bad_separators")
    return Decimal("".join(parts))


def _split(text: str, decimal: str) -> Decimal | Invalid:
    group = "." if decimal == "," else ","
    whole, _, fraction = text.rpartition(decimal)
    if decimal in whole or not fraction.isdigit():
        return invalid("amount.bad_separators")
    if group in whole:
        checked = _grouped(whole.split(group))
        if isinstance(checked, Invalid):
            return checked
        whole = str(checked)
    return Decimal(f"{whole or '0'}.{fraction}")
