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
    assert (lunar_new_year(year), mid_autumn(year)) == (spring_festival, mid_autumn_day)
    china = holidays_in(year, "CN", None, [], "zh-Hans")
    assert [o.date for o in china if o.name == "春节"] == [spring_festival]
    assert [o.date for o in china if o.name == "中秋节"] == [mid_autumn_day]


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


@pytest.mark.parametrize(
    ("language", "eve", "spring_festival", "mid_autumn_name"),
    [
        ("zh-Hans", "农历除夕", "春节", "中秋节"),
        ("zh-Hant", "農曆除夕", "春節", "中秋節"),
        (
            "en",
            "Chinese New Year's Eve",
            "Chinese New Year (Spring Festival)",
            "Mid-Autumn Festival",
        ),
        ("es", "农历除夕", "春节", "中秋节"),  # no Spanish names for China: its default
    ],
    ids=["simplified Chinese", "traditional Chinese", "English", "Spanish falls back"],
)
def test_china_greets_each_festival_once_on_its_first_day(
    language: str, eve: str, spring_festival: str, mid_autumn_name: str
) -> None:
    china = holidays_in(2027, "CN", None, [], language)
    names = [o.name for o in china]
    assert len(names) == len(set(names)) == 8  # 元旦 除夕 春节 清明 劳动 端午 中秋 国庆
    assert Occasion(D(2027, 2, 5), eve, "holiday") in china
    assert Occasion(D(2027, 2, 6), spring_festival, "holiday") in china
    assert Occasion(D(2027, 9, 15), mid_autumn_name, "holiday") in china


def test_china_substitute_days_off_are_not_occasions() -> None:
    # 2020: Mid-Autumn and National Day shared 1 October; 调休 days off on 24 January etc.
    china = holidays_in(2020, "CN", None, [], "zh-Hans")
    assert not [o for o in china if "调休" in o.name]
    assert [o.name for o in china if o.date == D(2020, 10, 1)] == ["中秋节", "国庆节"]
    assert [o.date for o in china if o.name == "国庆节"] == [D(2020, 10, 1)]


@pytest.mark.parametrize(
    ("subdivision", "language", "regional"),
    [
        ("MD", "es", Occasion(D(2027, 5, 2), "Fiesta de la Comunidad de Madrid", "holiday")),
        ("ct", "en", Occasion(D(2027, 9, 11), "National Day of Catalonia", "holiday")),
    ],
    ids=["Madrid", "Catalonia, code in lower case"],
)
def test_spain_national_and_regional_days(
    subdivision: str, language: str, regional: Occasion
) -> None:
    spain = holidays_in(2027, "ES", subdivision, [], language)
    national = {"es": "Fiesta Nacional de España", "en": "National Day"}[language]
    assert Occasion(D(2027, 10, 12), national, "holiday") in spain
    assert regional in spain
    assert regional not in holidays_in(2027, "ES", None, [], language)
    assert [o.date for o in spain] == sorted(o.date for o in spain)


def test_custom_christmas_and_laba_for_china() -> None:
    china = holidays_in(2027, "CN", None, [CHRISTMAS, LABA], "en")
    assert Occasion(D(2027, 12, 25), "Christmas", "christmas") in china
    # 腊八 of lunar 2026 falls in January 2027; that of lunar 2027 in January 2028.
    assert [o.date for o in china if o.name == "Laba"] == [D(2027, 1, 15)]


def test_occasions_between_runs_across_the_new_year() -> None:
    found = occasions_between(D(2027, 12, 20), D(2028, 1, 26), "CN", None, [CHRISTMAS, LABA], "en")
    assert found == [
        Occasion(D(2027, 12, 25), "Christmas", "christmas"),
        Occasion(D(2028, 1, 1), "New Year's Day", "holiday"),
        Occasion(D(2028, 1, 4), "Laba", "holiday"),
        Occasion(D(2028, 1, 25), "Chinese New Year's Eve", "holiday"),
        Occasion(D(2028, 1, 26), "Chinese New Year (Spring Festival)", "holiday"),
    ]
    assert occasions_between(D(2028, 1, 2), D(2028, 1, 1), "CN", None, [], "en") == []


@pytest.mark.parametrize(
    ("country", "subdivision", "language", "message"),
    [
        ("XX", None, "en", "unknown holiday country 'XX': use an ISO 3166 code such as CN, ES"),
        ("ES", "Narnia", "en", "unknown subdivision 'Narnia' of ES: use one of AN, AR,"),
        ("CN", None, "fr", "language must be one of en, zh-Hans, zh-Hant, es; got 'fr'"),
    ],
    ids=["unknown country", "unknown subdivision", "unknown language"],
)
def test_bad_settings_are_refused_with_the_fix(
    country: str, subdivision: str | None, language: str, message: str
) -> None:
    with pytest.raises(ValueError) as error:
        holidays_in(2027, country, subdivision, [], language)
    assert str(error.value).startswith(message)


def test_unknown_country_says_how_to_list_the_codes() -> None:
    with pytest.raises(ValueError, match=r"holidays\.list_supported_countries\(\)"):
        check_region("Spain", None)
    assert check_region(" es ", "md") == ("ES", "MD")
    assert check_region("ES", "Cataluña") == ("ES", "CT")  # a name the package knows
    assert check_region("ES", "madrid") == ("ES", "MD")
    assert check_region("CN", "") == ("CN", None)


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
        o.date for o in holidays_in(2027, "ES", None, [leap_day], "es") if o.name == "Leap day"
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
