"""Lunar birthdays typed the way Chinese registers hold them [issue 13]: 农历三月初八, 阴历3月8日,
a date in a column headed 农历生日 — greeted on the right solar day every year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from lunar_python import Lunar, LunarMonth

from sheetcrm import sync
from sheetcrm.rules.calendar import next_birthday
from sheetcrm.rules.parsers.lunar_dates import LunarDay, parse_lunar
from sheetcrm.settings import load_settings
from sheetcrm.vocabulary import Calendar

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("农历三月初八", LunarDay(3, 8)),
        ("阴历3月8日", LunarDay(3, 8)),
        ("农历1975年三月初八", LunarDay(3, 8, 1975)),
        ("農曆正月十五", LunarDay(1, 15)),
        ("陰曆臘月廿三", LunarDay(12, 23)),
        ("腊月三十", LunarDay(12, 30)),
        ("冬月初一", LunarDay(11, 1)),
        ("闰四月初十", LunarDay(4, 10)),  # greeted in the ordinary fourth month
        ("旧历十一月二十", LunarDay(11, 20)),
        ("三月初八", LunarDay(3, 8)),  # 初 is only ever lunar
        ("农历 ３月８日", LunarDay(3, 8)),  # full-width digits
        ("3月8日", None),  # a solar date: the date parser's
        ("1975年3月8日", None),
        ("农历十三月初一", None),
        ("农历2月31日", None),
    ],
)
def test_lunar_dates_as_staff_type_them(typed: str, read: LunarDay | None) -> None:
    assert parse_lunar(typed) == read


def register(folder: Path, header: str, birthdays: list[object]) -> Path:
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    sheet = book.add_worksheet("客户")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["客户编号", "姓名", "手机", header])
    for r, birthday in enumerate(birthdays, start=1):
        sheet.write_row(r, 0, [f"C{r}", f"客户{r}", f"1380013800{r}"])
        if isinstance(birthday, dt.date):
            sheet.write_datetime(r, 3, dt.datetime.combine(birthday, dt.time()), dates)
        else:
            sheet.write(r, 3, birthday)
    book.close()
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\n", "utf-8")
    return config


def solar_days(month: int, day: int, first_year: int = 2027) -> list[dt.date]:
    """Lunar month/day in four lunar years, by lunar_python itself; a 30th falls on the 29th
    of a short month, as birthdays do."""
    out = []
    for year in range(first_year, first_year + 4):
        length = LunarMonth.fromYm(year, month).getDayCount()
        solar = Lunar.fromYmd(year, month, min(day, length)).getSolar()
        out.append(dt.date(solar.getYear(), solar.getMonth(), solar.getDay()))
    return out


def greeted(config: Path) -> list[list[dt.date]]:
    settings = load_settings(config)
    computed = sync.compute(settings, sync.open_backend(settings).read(), TODAY)
    assert computed.problems == ()
    out = []
    for c in computed.validated.customers:
        assert c.birthday is not None and c.birthday_calendar is Calendar.LUNAR
        days, day = [], dt.date(2027, 1, 25)  # after lunar 12/30 of lunar 2026
        for _ in range(4):
            day = next_birthday(c.birthday, c.birthday_calendar, day)
            days.append(day)
            day += dt.timedelta(days=1)
        out.append(days)
    return out


def test_typed_lunar_birthdays_are_greeted_on_the_right_day_2027_to_2030(tmp_path: Path) -> None:
    config = register(tmp_path, "生日", ["农历三月初八", "阴历3月8日", "农历1975年八月十五"])
    assert greeted(config) == [solar_days(3, 8), solar_days(3, 8), solar_days(8, 15)]


def test_a_date_in_a_lunar_birthday_column_is_a_lunar_date(tmp_path: Path) -> None:
    """1975-03-08 under 农历生日 is 农历1975年三月初八, not 8 March; a 30th of the twelfth
    month is greeted on 除夕 however long the month is."""
    config = register(tmp_path, "农历生日", [dt.date(1975, 3, 8), "1980-12-30"])
    # From 25 January 2027 the first twelfth month is lunar 2026's.
    assert greeted(config) == [solar_days(3, 8), solar_days(12, 30, first_year=2026)]
