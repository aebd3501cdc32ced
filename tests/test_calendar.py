"""Holidays, custom dates and solar / lunar birthdays.

Expected lunar dates were checked two ways: with lunar_python, and with the `holidays`
package's own Chinese calendar (holidays.calendars.chinese: lunar_new_year_date,
mid_autumn_date, buddha_birthday_date = lunar 4/8, dragon_boat_date = lunar 5/5). The Spring
Festival and Mid-Autumn dates given in the issue were all right.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetcrm.rules.calendar import (
    CustomDate,
    Occasion,
    birthdays_in_year,
    check_region,
    holidays_in,
    lunar_month_day,
    lunar_new_year,
    mid_autumn,
    next_birthday,
    occasions_between,
)
from sheetcrm.vocabulary import Calendar

D = dt.date
SOLAR, LUNAR = Calendar.SOLAR, Calendar.LUNAR
CHRISTMAS = CustomDate("Christmas", 12, 25, template="christmas")
LABA = CustomDate("Laba", 12, 8, lunar=True)  # 腊八, lunar 12/8


@pytest.mark.parametrize(
    ("year", "spring_festival", "mid_autumn_day"),
    [
        (2027, D(2027, 2, 6), D(2027, 9, 15)),
        (2028, D(2028, 1, 26), D(2028, 10, 3)),
        (2029, D(2029, 2, 13), D(2029, 9, 22)),
        (2030, D(2030, 2, 3), D(2030, 9, 12)),
    ],
    ids=str,
)
def test_spring_festival_and_mid_autumn_agree_with_chinas_public_holidays(
    year: int, spring_festival: dt.date, mid_autumn_day: dt.date
) -> None:
    import holidays

    assert (lunar_new_year(year), mid_autumn(year)) == (spring_festival, mid_autumn_day)
    public = holidays.country_holidays("CN", years=year, language="zh_CN", observed=False)
    days = sorted(public)
    assert next(d for d in days if "春节" in public.get_list(d)) == spring_festival
    assert [d for d in days if "中秋节" in public.get_list(d)] == [mid_autumn_day]
    greeted = holidays_in(year, "CN", None, [], "zh-Hans")
    assert [o.date for o in greeted if o.name in ("春节", "中秋节")] == [
        spring_festival,
        mid_autumn_day,
    ]


SPRING_FESTIVAL_1990 = D(1990, 1, 27)  # lunar 1/1
MID_AUTUMN_1985 = D(1985, 9, 29)  # lunar 8/15
LEAP_FOURTH_MONTH_2020 = D(2020, 6, 1)  # 闰四月初十: leap 4th month, day 10
EVE_1990 = D(1990, 1, 26)  # 除夕, lunar 12/30 (the 12th month of lunar 1989 had 30 days)
FIRST_MONTH_DAY_30 = D(1989, 3, 7)  # lunar 1/30


def lunar_case(born: dt.date, year: int, celebrated: dt.date, who: str) -> object:
    return pytest.param(born, year, celebrated, id=f"{who}, {year}")


@pytest.mark.parametrize(
    ("born", "year", "celebrated"),
    [
        # Born on Spring Festival: every Spring Festival.
        lunar_case(SPRING_FESTIVAL_1990, 2027, D(2027, 2, 6), "born on Spring Festival"),
        lunar_case(SPRING_FESTIVAL_1990, 2028, D(2028, 1, 26), "born on Spring Festival"),
        lunar_case(SPRING_FESTIVAL_1990, 2029, D(2029, 2, 13), "born on Spring Festival"),
        lunar_case(SPRING_FESTIVAL_1990, 2030, D(2030, 2, 3), "born on Spring Festival"),
        # Born on Mid-Autumn: every Mid-Autumn.
        lunar_case(MID_AUTUMN_1985, 2027, D(2027, 9, 15), "born on Mid-Autumn"),
        lunar_case(MID_AUTUMN_1985, 2028, D(2028, 10, 3), "born on Mid-Autumn"),
        lunar_case(MID_AUTUMN_1985, 2029, D(2029, 9, 22), "born on Mid-Autumn"),
        lunar_case(MID_AUTUMN_1985, 2030, D(2030, 9, 12), "born on Mid-Autumn"),
        # Born in a leap month: the ordinary 4/10, two days after Buddha's birthday (4/8:
        # 2027-05-13, 2028-05-02, 2029-05-20, 2030-05-09).
        lunar_case(LEAP_FOURTH_MONTH_2020, 2027, D(2027, 5, 15), "born in a leap month"),
        lunar_case(LEAP_FOURTH_MONTH_2020, 2028, D(2028, 5, 4), "born in a leap month"),
        lunar_case(LEAP_FOURTH_MONTH_2020, 2029, D(2029, 5, 22), "born in a leap month"),
        lunar_case(LEAP_FOURTH_MONTH_2020, 2030, D(2030, 5, 11), "born in a leap month"),
        # Born on 12/30: the 12th month of lunar 2026, 2027 and 2028 has 29 days, so the
        # birthday is 12/29; 2029's has 30. Either way, the eve of Spring Festival.
        lunar_case(EVE_1990, 2027, D(2027, 2, 5), "born on day 30, short month"),
        lunar_case(EVE_1990, 2028, D(2028, 1, 25), "born on day 30, short month"),
        lunar_case(EVE_1990, 2029, D(2029, 2, 12), "born on day 30, short month"),
        lunar_case(EVE_1990, 2030, D(2030, 2, 2), "born on day 30, long month"),
        # Born on 1/30: Spring Festival + 29 days, but + 28 in 2030 (a 29-day 1st month).
        lunar_case(FIRST_MONTH_DAY_30, 2027, D(2027, 3, 7), "born on 1/30, long month"),
        lunar_case(FIRST_MONTH_DAY_30, 2030, D(2030, 3, 3), "born on 1/30, short month"),
    ],
)
def test_lunar_birthday_in_a_year(born: dt.date, year: int, celebrated: dt.date) -> None:
    assert birthdays_in_year(born, LUNAR, year) == (celebrated,)


def test_a_leap_month_birth_reads_as_the_ordinary_month() -> None:
    assert lunar_month_day(D(2020, 6, 1)) == (4, 10)  # lunar_python says month −4: 闰四月
    assert lunar_month_day(D(2020, 5, 2)) == (4, 10)  # the ordinary 四月初十 of 2020


def test_a_lunar_birthday_can_come_twice_in_a_solar_year_or_not_at_all() -> None:
    born = D(1980, 12, 31)  # lunar 11/25; lunar years last 353–385 days
    assert birthdays_in_year(born, LUNAR, 2027) == (D(2027, 1, 2), D(2027, 12, 22))
    assert birthdays_in_year(born, LUNAR, 2028) == ()
    assert next_birthday(born, LUNAR, D(2027, 12, 23)) == D(2029, 1, 9)


@pytest.mark.parametrize(
    ("born", "year", "celebrated"),
    [
        (D(1990, 7, 14), 2027, D(2027, 7, 14)),
        (D(1992, 2, 29), 2027, D(2027, 2, 28)),
        (D(1992, 2, 29), 2028, D(2028, 2, 29)),
        (D(1992, 12, 31), 2027, D(2027, 12, 31)),
    ],
    ids=[
        "ordinary day",
        "29 February in a common year",
        "29 February in a leap year",
        "31 December",
    ],
)
def test_solar_birthday_in_a_year(born: dt.date, year: int, celebrated: dt.date) -> None:
    assert birthdays_in_year(born, SOLAR, year) == (celebrated,)


@pytest.mark.parametrize(
    ("born", "calendar", "today", "next_one"),
    [
        (D(1990, 7, 14), SOLAR, D(2027, 7, 14), D(2027, 7, 14)),
        (D(1990, 7, 14), SOLAR, D(2027, 7, 15), D(2028, 7, 14)),
        (D(1992, 2, 29), SOLAR, D(2027, 3, 1), D(2028, 2, 29)),
        (D(1990, 1, 27), LUNAR, D(2027, 2, 7), D(2028, 1, 26)),
        (D(1990, 1, 26), LUNAR, D(2027, 12, 31), D(2028, 1, 25)),
    ],
    ids=[
        "on the day",
        "the day after: next year",
        "29 February after February: next leap year",
        "after Spring Festival: the next one",
        "lunar birthday of the next January",
    ],
)
def test_next_birthday(
    born: dt.date, calendar: Calendar, today: dt.date, next_one: dt.date
) -> None:
    assert next_birthday(born, calendar, today) == next_one


@given(
    born=st.dates(D(1930, 1, 1), D(2025, 12, 31)),
    calendar=st.sampled_from(Calendar),
    year=st.integers(1931, 2099),
)
@settings(max_examples=300, deadline=None)
def test_birthdays_fall_in_the_year_asked(born: dt.date, calendar: Calendar, year: int) -> None:
    days = birthdays_in_year(born, calendar, year)
    assert all(day.year == year for day in days)
    assert list(days) == sorted(days)
    assert len(days) == 1 if calendar is SOLAR else len(days) <= 2


@given(
    born=st.dates(D(1930, 1, 1), D(2025, 12, 31)),
    calendar=st.sampled_from(Calendar),
    today=st.dates(D(1931, 1, 1), D(2097, 12, 31)),
)
@settings(max_examples=300, deadline=None)
def test_next_birthday_is_within_400_days(
    born: dt.date, calendar: Calendar, today: dt.date
) -> None:
    found = next_birthday(born, calendar, today)
    assert today <= found < today + dt.timedelta(days=400)
    assert found in birthdays_in_year(born, calendar, found.year)


def greeted(year: int, country: str, language: str) -> list[tuple[dt.date, str, str]]:
    return [(o.date, o.name, o.wish) for o in holidays_in(year, country, None, [], language)]


@pytest.mark.parametrize(
    ("country", "language", "year", "expected"),
    [
        (
            "CN", "zh-Hans", 2027,
            [(D(2027, 1, 1), "元旦", "元旦快乐"), (D(2027, 2, 6), "春节", "新春快乐"),
             (D(2027, 6, 9), "端午节", "端午安康"), (D(2027, 9, 15), "中秋节", "中秋快乐"),
             (D(2027, 10, 1), "国庆节", "国庆快乐")],
        ),
        (
            "TW", "zh-Hant", 2027,
            [(D(2027, 1, 1), "元旦", "新年快樂"), (D(2027, 2, 6), "春節", "新春快樂"),
             (D(2027, 6, 9), "端午節", "端午安康"), (D(2027, 9, 15), "中秋節", "中秋節快樂")],
        ),
        (
            "HK", "zh-Hant", 2027,
            [(D(2027, 1, 1), "元旦", "新年快樂"), (D(2027, 2, 6), "農曆新年", "新春快樂"),
             (D(2027, 6, 9), "端午節", "端午安康"), (D(2027, 9, 15), "中秋節", "中秋節快樂"),
             (D(2027, 12, 25), "聖誕節", "聖誕快樂")],
        ),
        (
            "ES", "es", 2027,
            [(D(2027, 1, 1), "Año Nuevo", "¡Feliz Año Nuevo!"),
             (D(2027, 1, 6), "Reyes", "¡Felices Reyes!"),
             (D(2027, 12, 25), "Navidad", "¡Feliz Navidad!")],
        ),
        (
            "MX", "es", 2027,
            [(D(2027, 1, 1), "Año Nuevo", "¡Feliz Año Nuevo!"),
             (D(2027, 12, 25), "Navidad", "¡Feliz Navidad!")],
        ),
        (
            "US", "en", 2027,
            [(D(2027, 1, 1), "New Year", "Happy New Year!"),
             (D(2027, 11, 25), "Thanksgiving", "Happy Thanksgiving!"),
             (D(2027, 12, 25), "Christmas", "Merry Christmas!")],
        ),
    ],
    ids=["China", "Taiwan", "Hong Kong", "Spain", "Mexico", "United States"],
)  # fmt: skip
def test_each_country_greets_on_its_festive_days_once_each(
    country: str, language: str, year: int, expected: list[tuple[dt.date, str, str]]
) -> None:
    """The Spring Festival once (not 除夕 as well, not each of 年初一/初三/初四), Mid-Autumn on
    the day (not 中秋節翌日), nothing on 清明, 228, Viernes Santo or Todos los Santos."""
    assert greeted(year, country, language) == expected


@pytest.mark.parametrize(
    ("country", "day", "what"),
    [
        ("CN", D(2027, 4, 5), "清明节"),
        ("TW", D(2027, 2, 28), "和平紀念日"),
        ("TW", D(2027, 4, 5), "清明節"),
        ("HK", D(2027, 4, 5), "清明節"),
        ("ES", D(2027, 3, 26), "Viernes Santo"),
        ("ES", D(2027, 11, 1), "Todos los Santos"),
        ("MX", D(2027, 11, 2), "Día de Muertos"),
        ("US", D(2027, 5, 31), "Memorial Day"),
        ("GB", D(2027, 3, 26), "Good Friday"),
    ],
)
def test_no_greeting_on_a_day_of_mourning_or_remembrance(
    country: str, day: dt.date, what: str
) -> None:
    for language in ("zh-Hans", "zh-Hant", "es", "en"):
        assert day not in [o.date for o in holidays_in(day.year, country, None, [], language)]


def test_a_festival_is_named_in_each_language_and_phrased_for_a_sentence() -> None:
    (christmas,) = [o for o in holidays_in(2027, "ES", None, [], "es") if o.date.month == 12]
    assert (christmas.name, christmas.phrase, christmas.wish) == (
        "Navidad", "la Navidad", "¡Feliz Navidad!",
    )  # fmt: skip
    (english,) = [o for o in holidays_in(2027, "CN", None, [], "en") if o.date == D(2027, 2, 6)]
    assert (english.name, english.wish) == ("Lunar New Year", "Happy Lunar New Year!")


def test_settings_choose_the_festivals() -> None:
    chosen = holidays_in(2027, "CN", ["spring_festival", "christmas"], [], "zh-Hans")
    assert [(o.date, o.name) for o in chosen] == [
        (D(2027, 2, 6), "春节"),
        (D(2027, 12, 25), "圣诞节"),
    ]
    assert holidays_in(2027, "CN", [], [], "zh-Hans") == []  # none at all


def test_a_custom_date_on_a_festivals_day_is_not_a_second_greeting() -> None:
    own_christmas = CustomDate("Navidad", 12, 25)
    spain = holidays_in(2027, "ES", None, [own_christmas], "es")
    assert [o.name for o in spain if o.date == D(2027, 12, 25)] == ["Navidad"]
    assert len(spain) == 3


def test_custom_christmas_and_laba_for_china() -> None:
    china = holidays_in(2027, "CN", None, [CHRISTMAS, LABA], "en")
    assert Occasion(D(2027, 12, 25), "Christmas", "christmas") in china
    # 腊八 of lunar 2026 falls in January 2027; that of lunar 2027 in January 2028.
    assert [o.date for o in china if o.name == "Laba"] == [D(2027, 1, 15)]


def test_occasions_between_runs_across_the_new_year() -> None:
    found = occasions_between(D(2027, 12, 20), D(2028, 1, 26), "CN", None, [CHRISTMAS, LABA], "en")
    assert [(o.date, o.name, o.template) for o in found] == [
        (D(2027, 12, 25), "Christmas", "christmas"),
        (D(2028, 1, 1), "New Year", "holiday"),
        (D(2028, 1, 4), "Laba", "holiday"),
        (D(2028, 1, 26), "Lunar New Year", "holiday"),
    ]
    assert occasions_between(D(2028, 1, 2), D(2028, 1, 1), "CN", None, [], "en") == []


def test_an_unknown_language_or_festival_is_refused_with_the_fix() -> None:
    from sheetcrm.rules.festivals import check_festivals

    with pytest.raises(ValueError, match="language must be one of en, zh-Hans, zh-Hant, es"):
        holidays_in(2027, "CN", None, [], "fr")
    with pytest.raises(ValueError, match="unknown festival 'qingming'; known: new_year, spring"):
        check_festivals(["qingming"])


def test_unknown_country_says_how_to_list_the_codes() -> None:
    with pytest.raises(ValueError, match=r"holidays\.list_supported_countries\(\)"):
        check_region("Spain", None)
    assert check_region(" es ", "md") == ("ES", "MD")
    assert check_region("ES", "Cataluña") == ("ES", "CT")  # a name the package knows
    assert check_region("ES", "madrid") == ("ES", "MD")
    assert check_region("CN", "") == ("CN", None)


def test_every_country_with_listed_festive_days_is_one_the_holidays_package_knows() -> None:
    """Those countries are accepted without importing the package: it must agree."""
    import holidays

    from sheetcrm.rules.festivals import BY_COUNTRY

    supported = holidays.list_supported_countries()
    assert [code for code in BY_COUNTRY if code not in supported] == []
    assert all(check_region(code.lower(), " ") == (code, None) for code in BY_COUNTRY)


@pytest.mark.parametrize(
    ("name", "month", "day", "template", "lunar", "message"),
    [
        ("", 1, 1, "holiday", False, "a custom date needs a name"),
        ("X", 1, 1, " ", False, "custom date 'X' needs a greeting template name"),
        ("X", 13, 1, "holiday", False, "custom date 'X': month must be 1–12, got 13"),
        ("X", 4, 31, "holiday", False, "custom date 'X': day must be 1–30 in month 4, got 31"),
        ("X", 2, 30, "holiday", False, "day must be 1–29 in month 2, got 30"),
        ("X", 1, 31, "holiday", True, "day must be 1–30 in lunar month 1, got 31"),
        ("X", 1, 0, "holiday", False, "day must be 1–31 in month 1, got 0"),
    ],
    ids=["no name", "no template", "month 13", "31 April", "30 February", "lunar 31", "day 0"],
)
def test_custom_date_refuses_impossible_dates(
    name: str, month: int, day: int, template: str, lunar: bool, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CustomDate(name, month, day, template, lunar)


def test_custom_29_february_is_28_february_in_common_years() -> None:
    leap_day = CustomDate("Leap day", 2, 29)
    assert [
        o.date for o in holidays_in(2027, "ES", [], [leap_day], "es") if o.name == "Leap day"
    ] == [D(2027, 2, 28)]


def test_the_lunar_table_agrees_with_lunar_python_every_year() -> None:
    """sheetcrm/rules/lunar_data.py is generated from lunar-python; regenerate it with
    scripts/make_lunar_table.py when this fails after an upgrade."""
    from lunar_python import LunarYear
    from lunar_python import Solar as LpSolar

    from sheetcrm.rules.calendar import _months

    for year in range(1900, 2101):
        expected = [
            (
                abs(m.getMonth()),
                m.getMonth() < 0,
                m.getDayCount(),
                LpSolar.fromJulianDay(m.getFirstJulianDay()).toYmd(),
            )
            for m in LunarYear.fromYear(year).getMonthsInYear()
        ]
        months = _months(year)
        assert months is not None
        got = [(m.number, m.leap, m.days, dt.date.fromordinal(m.start).isoformat()) for m in months]
        assert got == expected, year
