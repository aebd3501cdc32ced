"""Birthdays typed as lunar dates, the way Chinese registers hold them [issue 13]:
农历三月初八, 阴历3月8日, 农历1975年三月初八, 閏四月初十, 腊月廿三. A solar date is never
written with 初/廿 nor with a 农历 prefix, so these forms are unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.dates import iso_day, parse_date
from sheetcrm.rules.parsers.result import Invalid

LUNAR_HEADER_WORDS = ("农历", "阴历", "旧历", "農曆", "陰曆", "舊曆", "lunar")  # 农历生日
_FORM = re.compile(
    r"^(?P<prefix>农历|阴历|旧历|農曆|陰曆|舊曆)?\s*"
    r"(?:(?P<year>\d{4})\s*年)?\s*"
    r"(?P<leap>闰|閏)?\s*"
    r"(?P<month>正|冬|腊|臘|十[一二]|[一二三四五六七八九十]|\d{1,2})\s*月\s*"
    r"(?P<day>初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?"
    r"|廿[一二三四五六七八九]|三十|\d{1,2})\s*[日号號]?$"
)
_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九", start=0)}
_MONTH_NAMES = {"正": 1, "冬": 11, "腊": 12, "臘": 12}


@dataclass(frozen=True, slots=True)
class LunarDay:
    """A lunar month and day, with the lunar year when typed. A leap month (闰四月) is
    greeted in the ordinary month of that number, as births in leap months are."""

    month: int
    day: int
    year: int | None = None


def parse_lunar(text: str) -> LunarDay | None:
    """The lunar date `text` spells, or None when it is not written as one (a plain
    3月8日 is a solar date: only a 农历 prefix or 初/廿/正月/腊月 make it lunar)."""
    plain = unicodedata.normalize("NFKC", text).strip()
    match = _FORM.match(plain)
    if match is None:
        return None
    month_text, day_text = match.group("month"), match.group("day")
    chinese_words = day_text[0] in "初廿" or month_text in _MONTH_NAMES
    if not (match.group("prefix") or match.group("leap") or chinese_words):
        return None
    month, day = _month(month_text), _day(day_text)
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    year = match.group("year")
    return LunarDay(month, day, int(year) if year else None)


def parse_birthday(
    value: CellValue, *, day_first: bool | None, date1904: bool = False
) -> dt.date | LunarDay | Invalid:
    """A birthday: a lunar date when typed as one, else a date as `parse_date` reads it."""
    if type(value) is str and (day := iso_day(value)) is not None:
        return day  # 1985-03-02: digits only, never a lunar date
    if isinstance(value, str) and (lunar := parse_lunar(value)) is not None:
        return lunar
    return parse_date(value, day_first=day_first, date1904=date1904)


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _MONTH_NAMES:
        return _MONTH_NAMES[text]
    return _number(text)


def _day(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("初"):
        return _number(text[1:])
    if text.startswith("廿"):
        return 20 + _DIGITS[text[1]]
    return _number(text)


def _number(text: str) -> int:
    """一 … 三十 in Chinese numerals."""
    if "十" not in text:
        return _DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
