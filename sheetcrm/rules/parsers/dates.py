"""Dates as staff type them: date cells, Excel serials, ISO, 2024年3月5日, 5 de marzo de 1980,
05/03/1980 (day or month first only as configured: never guessed silently).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.result import Invalid, invalid

_EPOCH_1900 = dt.date(1899, 12, 30)  # serial 61 = 1900-03-01 counts from here
_EPOCH_1904 = dt.date(1904, 1, 1)
_MAX_SERIAL = 2958465  # 9999-12-31

_MONTHS = {
    # Spanish
    "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "mar": 3, "abril": 4, "abr": 4,
    "mayo": 5, "may": 5, "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "ago": 8,
    "septiembre": 9, "setiembre": 9, "sep": 9, "sept": 9, "set": 9, "octubre": 10, "oct": 10,
    "noviembre": 11, "nov": 11, "diciembre": 12, "dic": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "march": 3, "april": 4, "apr": 4, "june": 6,
    "july": 7, "august": 8, "aug": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
_DAY_MONTH_YEAR = re.compile(
    r"^(\d{1,2})(?:\s*de\s+|\s+|-|/|\.\s*)([a-z]+)\.?(?:\s+de\s+|\s+|-|/|,\s*)(\d{4}|\d{2})$"
)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_CHINESE = re.compile(r"^([〇○零一二三四五六七八九]{4})年(.{1,3})月(.{1,4}?)[日号號]$")
_CN_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def excel_serial_to_date(serial: float, date1904: bool) -> dt.date | Invalid:
    """An Excel serial to a date; the 1900 system keeps Lotus's nonexistent 1900-02-29 (60)."""
    if not 1 <= serial <= _MAX_SERIAL:  # also NaN
        return invalid("date.serial_out_of_range")
    whole = int(serial)
    if date1904:
        # The 1904 system ends 1,462 serials sooner: Excel's last day is 9999-12-31 in both.
        if whole > (dt.date.max - _EPOCH_1904).days:
            return invalid("date.serial_out_of_range")
        return _EPOCH_1904 + dt.timedelta(days=whole)
    if whole == 60:
        return invalid("date.impossible")
    if whole < 60:
        whole += 1  # serials before the phantom leap day are one day closer to the epoch
    return _EPOCH_1900 + dt.timedelta(days=whole)


def to_excel_serial(day: dt.date, date1904: bool) -> int:
    """The inverse of excel_serial_to_date, for writing dates."""
    if date1904:
        return (day - _EPOCH_1904).days
    days = (day - _EPOCH_1900).days
    return days - 1 if days < 61 else days


def parse_date(
    value: CellValue, *, day_first: bool | None, date1904: bool = False
) -> dt.date | Invalid:
    # Fast paths first: 200,000 date cells per sync are mostly real dates.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (bool, dt.time | dt.timedelta)):
        return invalid("date.unreadable")
    if isinstance(value, int | float):
        if 1900 <= value <= 2100 and float(value).is_integer():
            return invalid("date.year_only")  # a bare year, not a serial from 1905
        return excel_serial_to_date(float(value), date1904)
    if type(value) is str and (day := iso_day(value)) is not None:
        return day
    return _parse_text(str(value), day_first)


def iso_day(text: str) -> dt.date | None:
    """The day of a text written exactly YYYY-MM-DD, the form exports write dates in as
    text, read in C (a register of 10,000 such birthdays validated in 0.081 s instead of
    0.100 s); None for any other text, or a day that does not exist (the patterns then say
    why)."""
    if not (len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii()):
        return None
    if not (text[:4] + text[5:7] + text[8:]).isdigit():
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _parse_text(raw: str, day_first: bool | None) -> dt.date | Invalid:
    text = unicodedata.normalize("NFKC", raw).strip()
    if m := _YEAR_FIRST.match(text) or _COMPACT.match(text):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _CHINESE.match(text):
        return _chinese(m.group(1), m.group(2), m.group(3))
    if m := _NUMERIC.match(text):
        return _numeric(int(m.group(1)), int(m.group(3)), _year(m.group(4)), day_first)
    words = _plain(text)
    if (m := _DAY_MONTH_YEAR.match(words)) and m.group(2) in _MONTHS:
        return _make(_year(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    if (m := _MONTH_DAY_YEAR.match(words)) and m.group(1) in _MONTHS:
        return _make(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    return invalid("date.unreadable")


def _plain(text: str) -> str:
    """Lower case without accents, single spaces: 'Marzo' and 'márzo' read alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _year(text: str) -> int:
    """Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make(year: int, month: int, day: int) -> dt.date | Invalid:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return invalid("date.impossible")


def _numeric(first: int, second: int, year: int, day_first: bool | None) -> dt.date | Invalid:
    as_day_first = _make(year, second, first)
    as_month_first = _make(year, first, second)
    if day_first is True:
        if isinstance(as_day_first, Invalid) and not isinstance(as_month_first, Invalid):
            return invalid("date.contradicts_order", order="day/month/year")
        return as_day_first
    if day_first is False:
        if isinstance(as_month_first, Invalid) and not isinstance(as_day_first, Invalid):
            return invalid("date.contradicts_order", order="month/day/year")
        return as_month_first
    if isinstance(as_day_first, Invalid):
        return as_month_first
    if isinstance(as_month_first, Invalid) or first == second:
        return as_day_first
    return invalid(
        "date.ambiguous", day_first=as_day_first.isoformat(), month_first=as_month_first.isoformat()
    )


def _chinese(year: str, month: str, day: str) -> dt.date | Invalid:
    number_y = int("".join(str(_CN_DIGITS[c]) for c in year))
    m, d = _small_chinese(month), _small_chinese(day)
    if m is None or d is None:
        return invalid("date.unreadable")
    return _make(number_y, m, d)


def _small_chinese(text: str) -> int | None:
    """一 … 三十一, or plain digits."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (_CN_DIGITS[tens] if tens else 1) * 10
    return value + (_CN_DIGITS[ones] if ones else 0)
