"""Days worth a greeting: festivals, custom dates and birthdays, solar or lunar.

Pure: years and dates are arguments. Which festivals a country greets on is in
`festivals.py` (never every public holiday: not 清明 nor Viernes Santo); the `holidays`
package only checks settings' country codes; lunar dates come from a table made from
`lunar_python`. "Year" always means a solar (Gregorian) year: a rule asks
"which greetings fall in 2027?", never "in lunar year 2027".

A lunar anniversary recurs every 353–385 days, so a solar year holds one, two or none of
them: a birthday on lunar 11/25 falls on 2027-01-02 and 2027-12-22, and not at all in 2028.
That is why `birthdays_in_year` returns a tuple, and why reminders should use
`next_birthday`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from sheetcrm.rules import lunar_data
from sheetcrm.rules.festivals import BY_COUNTRY, Festival, festivals_of
from sheetcrm.vocabulary import LANGUAGES, Calendar

HOLIDAY_TEMPLATE = "holiday"  # greeting template of festivals and of custom dates by default
_FIND_COUNTRIES = (
    "python3 -c 'import holidays; print(sorted(holidays.list_supported_countries()))' "
    "lists them all"
)


@dataclass(frozen=True, slots=True)
class Occasion:
    """A day to greet customers, with the greeting template to use."""

    date: dt.date
    name: str
    template: str
    wish: str = ""  # a festival's: "中秋快乐", "¡Feliz Navidad!"; a custom date has none
    phrase: str = ""  # its name in a sentence: "la Navidad"; "" = the name


@dataclass(frozen=True, slots=True)
class CustomDate:
    """A yearly date the company greets on: Christmas in China, its anniversary, 腊八 (lunar 12/8).

    A solar 29 February falls on 28 February in common years; a lunar day 30 on day 29 of a
    short month, as birthdays do.
    """

    name: str
    month: int
    day: int
    template: str = HOLIDAY_TEMPLATE
    lunar: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a custom date needs a name")
        if not self.template.strip():
            raise ValueError(f"custom date {self.name!r} needs a greeting template name")
        if not 1 <= self.month <= 12:
            raise ValueError(f"custom date {self.name!r}: month must be 1–12, got {self.month}")
        last = 30 if self.lunar else _days_in_month(self.month)
        if not 1 <= self.day <= last:
            kind = "lunar " if self.lunar else ""
            raise ValueError(
                f"custom date {self.name!r}: day must be 1–{last} in {kind}month {self.month}, "
                f"got {self.day}"
            )


def holidays_in(
    year: int,
    country: str,
    festivals: Sequence[str] | None,
    custom: Sequence[CustomDate],
    language: str,
) -> list[Occasion]:
    """The festivals greeted in `country` (settings' list when given) plus `custom` dates in
    solar `year`, named in `language` (en, zh-Hans, zh-Hant, es).

    One occasion a day: a custom date on a festival's day (a shop that adds its own
    Christmas) is not a second greeting. Sorted by date; festivals before custom dates.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}; got {language!r}")
    found: list[Occasion] = []
    for festival in festivals_of(country, festivals):
        words = festival.wording(language, country)
        found += [
            Occasion(day, words.name, HOLIDAY_TEMPLATE, words.wish, words.phrase)
            for day in _festival_days(festival, year)
        ]
    for date in custom:
        found.extend(Occasion(day, date.name, date.template) for day in _custom_days(date, year))
    found.sort(key=lambda occasion: occasion.date)
    one_a_day: dict[dt.date, Occasion] = {}
    for occasion in found:
        one_a_day.setdefault(occasion.date, occasion)
    return list(one_a_day.values())


def _festival_days(festival: Festival, year: int) -> tuple[dt.date, ...]:
    if festival.lunar:
        return _lunar_days_in_year(festival.month, festival.day, year)
    day = festival.solar_day(year)
    return (day,) if day else ()


def occasions_between(
    start: dt.date,
    end: dt.date,
    country: str,
    festivals: Sequence[str] | None,
    custom: Sequence[CustomDate],
    language: str,
) -> list[Occasion]:
    """`holidays_in` for every day from `start` to `end`, both included (empty if end < start)."""
    return [
        occasion
        for year in range(start.year, end.year + 1)
        for occasion in holidays_in(year, country, festivals, custom, language)
        if start <= occasion.date <= end
    ]


def check_region(country: str, subdivision: str | None) -> tuple[str, str | None]:
    """The package's codes for a country and subdivision, or ValueError naming the fix.

    Case does not matter, and a subdivision may be given by name ("Madrid", "Cataluña").
    Settings can call this to refuse a bad code when loaded rather than at the first sync.
    """
    code = country.strip().upper()
    if code in BY_COUNTRY and (subdivision is None or not subdivision.strip()):
        # A country whose festive days are listed, with no subdivision: the usual setting,
        # known without importing the holidays package (0.12 s, a tenth of a small sync).
        return code, None
    regions = _supported_regions()
    if code not in regions:
        raise ValueError(
            f"unknown holiday country {country!r}: use an ISO 3166 code such as CN, ES, US, "
            f"MX, TW, HK; {_FIND_COUNTRIES}"
        )
    if subdivision is None or not subdivision.strip():
        return code, None
    wanted = subdivision.strip().casefold()
    for subdiv, names in _subdivisions(code).items():
        if wanted in names:
            return code, subdiv
    choices = ", ".join(regions[code]) or "none: leave it empty"
    raise ValueError(
        f"unknown subdivision {subdivision!r} of {code}: use one of {choices} "
        "(or leave it empty for national holidays only)"
    )


@functools.cache
def _supported_regions() -> dict[str, tuple[str, ...]]:
    import holidays  # only to check settings' codes: a second to import

    return {code: tuple(subdivs) for code, subdivs in holidays.list_supported_countries().items()}


@functools.cache
def _subdivisions(country: str) -> dict[str, frozenset[str]]:
    """Each subdivision code → the case-folded code and names it may be written as."""
    import holidays

    aliases = holidays.country_holidays(country).get_subdivision_aliases()
    return {
        subdiv: frozenset(name.casefold() for name in (subdiv, *aliases.get(subdiv, ())))
        for subdiv in _supported_regions()[country]
    }


def _custom_days(date: CustomDate, year: int) -> tuple[dt.date, ...]:
    if date.lunar:
        return _lunar_days_in_year(date.month, date.day, year)
    return (_solar_day(year, date.month, date.day),)


# Birthdays ──────────────────────────────────────────────────────────────────────────────


def birthdays_in_year(birthday: dt.date, calendar: Calendar, year: int) -> tuple[dt.date, ...]:
    """The days in solar `year` on which a customer born on `birthday` (solar) celebrates.

    Solar: the same month and day, 29 February on 28 February in common years; always one.
    Lunar: the lunar month and day of birth, in whichever lunar year puts it in `year`; zero,
    one or two days (see the module docstring). A birth in a leap month (闰月) is celebrated in
    the ordinary month of that number; a birth on day 30 on day 29 when the month is short.
    """
    return _celebrated(*_birth_month_day(birthday, calendar), calendar, year)


def _birth_month_day(birthday: dt.date, calendar: Calendar) -> tuple[int, int]:
    """The month and day a birthday comes back on: lunar ones for a lunar calendar."""
    if calendar is Calendar.SOLAR:
        return birthday.month, birthday.day
    return lunar_month_day(birthday)


def _celebrated(month: int, day: int, calendar: Calendar, year: int) -> tuple[dt.date, ...]:
    if calendar is Calendar.SOLAR:
        return (_solar_day(year, month, day),)
    return _lunar_days_in_year(month, day, year)


def next_birthday(birthday: dt.date, calendar: Calendar, on_or_after: dt.date) -> dt.date:
    """The first birthday on or after `on_or_after`: at most 385 days later (a leap lunar year).

    Three years are searched because a lunar birthday can skip a whole solar year.
    """
    return _next_birthday(*_birth_month_day(birthday, calendar), calendar, on_or_after)


# The birthdays of a day's run fall on a few hundred (month, day) pairs among 10,000
# customers, each asked for over the grace days and again for the coming week's.
@functools.lru_cache(maxsize=8192)
def _next_birthday(month: int, day: int, calendar: Calendar, on_or_after: dt.date) -> dt.date:
    """next_birthday of a birth on `month`/`day` (lunar ones for a lunar calendar)."""
    for year in range(on_or_after.year, on_or_after.year + 3):
        for found in _celebrated(month, day, calendar, year):
            if found >= on_or_after:
                return found
    raise AssertionError(f"no birthday within three years of {on_or_after}")  # pragma: no cover


def lunar_month_day(solar: dt.date) -> tuple[int, int]:
    """Lunar (month, day) of a solar date; a leap month counts as the ordinary one."""
    ordinal = solar.toordinal()
    for year in (solar.year, solar.year - 1):
        months = _months(year)
        if months is None:
            break
        if months[0].start <= ordinal:
            month = next(m for m in reversed(months) if m.start <= ordinal)
            return month.number, ordinal - month.start + 1
    from lunar_python import Solar  # outside the table's years only: 25 ms to import

    lunar = Solar.fromYmd(solar.year, solar.month, solar.day).getLunar()
    return abs(int(lunar.getMonth())), int(lunar.getDay())


def lunar_birth_date(month: int, day: int, lunar_year: int | None = None) -> dt.date:
    """A solar date whose lunar month and day are these, to stand for a birthday typed as a
    lunar date (农历三月初八): the birth date itself when the lunar year was typed, else a
    day of 2000–2029 when that month has the day (so a 30th stays the 30th)."""
    if lunar_year is not None:
        return lunar_to_solar(lunar_year, month, day)
    for year in range(2000, 2030):
        months = _months(year) or ()
        if any(m.number == month and not m.leap and m.days >= day for m in months):
            return lunar_to_solar(year, month, day)
    return lunar_to_solar(2000, month, day)  # pragma: no cover - every month has 30 days once


def lunar_to_solar(lunar_year: int, month: int, day: int) -> dt.date:
    """Solar date of lunar `month`/`day` (ordinary month) of `lunar_year`.

    Day 30 of a 29-day month falls on day 29; lunar_python would roll it over to the next
    month's first day instead.
    """
    months = _months(lunar_year)
    if months is not None:
        found = next(m for m in months if m.number == month and not m.leap)
        return dt.date.fromordinal(found.start + min(day, found.days) - 1)
    from lunar_python import Lunar, LunarMonth  # outside the table's years only

    days = int(LunarMonth.fromYm(lunar_year, month).getDayCount())
    solar = Lunar.fromYmd(lunar_year, month, min(day, days)).getSolar()
    return dt.date(int(solar.getYear()), int(solar.getMonth()), int(solar.getDay()))


@dataclass(frozen=True, slots=True)
class _Month:
    number: int
    leap: bool
    start: int  # proleptic ordinal of its first day
    days: int


@functools.cache
def _months(lunar_year: int) -> tuple[_Month, ...] | None:
    """The months of a lunar year from the precomputed table (lunar_python computes a year
    from astronomy in about 6 ms: far too slow for thousands of birthdays); None outside it."""
    index = lunar_year - lunar_data.FIRST_YEAR
    if not 0 <= index < len(lunar_data.YEARS):
        return None
    start, leap, bits = lunar_data.YEARS[index]
    order = [(n, False) for n in range(1, 13)]
    if leap:
        order.insert(leap, (leap, True))
    months = []
    for i, (number, is_leap) in enumerate(order):
        days = 30 if bits >> i & 1 else 29
        months.append(_Month(number, is_leap, start, days))
        start += days
    return tuple(months)


def lunar_new_year(year: int) -> dt.date:
    """Spring Festival (lunar 1/1) of `year`."""
    return lunar_to_solar(year, 1, 1)


def mid_autumn(year: int) -> dt.date:
    """Mid-Autumn Festival (lunar 8/15) of `year`."""
    return lunar_to_solar(year, 8, 15)


def _lunar_days_in_year(month: int, day: int, year: int) -> tuple[dt.date, ...]:
    # Lunar year Y starts between 21 January and 20 February of solar year Y, so a date of
    # lunar year Y−1 (late months) or Y (the rest) can fall in solar year Y; no other can.
    candidates = (lunar_to_solar(year - 1, month, day), lunar_to_solar(year, month, day))
    return tuple(solar for solar in candidates if solar.year == year)


def _solar_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, _days_in_month(month, year)))


def _days_in_month(month: int, year: int = 2000) -> int:
    """Days of a solar month; year 2000 (a leap year) gives the most any year has."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day
