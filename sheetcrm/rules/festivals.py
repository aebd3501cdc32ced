"""The festive days customers are greeted on, per country [issue 13, 003].

Not every public holiday: a greeting on 清明, 228, Viernes Santo or Todos los Santos reads as
not knowing what the day is, and one on each of Madrid's 13 holidays as spam ("never feel
spammed" [003]). Each country greets on a short list of joyful days, once per festival (the
Spring Festival on its first day, not on each of its days off; Mid-Autumn on the day itself).
Settings' `calendar.festivals` replaces the list; `calendar.custom` adds the shop's own days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Wording:
    """A festival in one language: its name, how a sentence says it, what a card wishes."""

    name: str  # 中秋节, Navidad
    phrase: str  # the name with its article: "la Navidad", "the New Year"
    wish: str  # 中秋快乐, ¡Feliz Navidad!


@dataclass(frozen=True, slots=True)
class Festival:
    key: str
    month: int
    day: int = 1
    lunar: bool = False
    nth_weekday: tuple[int, int] | None = None  # (weekday 0=Monday, n): 4th Thursday of Nov
    words: Mapping[str, Wording] = field(default_factory=dict)  # by language (-COUNTRY)

    def wording(self, language: str, country: str) -> Wording:
        """In `language`, with the country's own words where they differ (Hong Kong's
        農曆新年 for Taiwan's 春節)."""
        found = self.words.get(f"{language}-{country}") or self.words.get(language)
        return found or self.words["en"]

    def solar_day(self, year: int) -> dt.date | None:
        """Its day in solar `year` for solar and weekday rules; None for lunar ones (the
        calendar converts those)."""
        if self.lunar:
            return None
        if self.nth_weekday is None:
            return dt.date(year, self.month, self.day)
        weekday, n = self.nth_weekday
        first = dt.date(year, self.month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _w(name: str, phrase: str, wish: str) -> Wording:
    return Wording(name, phrase, wish)


FESTIVALS: Mapping[str, Festival] = MappingProxyType(
    {
        f.key: f
        for f in (
            Festival(
                "new_year",
                1,
                1,
                words={
                    "zh-Hans": _w("元旦", "元旦", "元旦快乐"),
                    "zh-Hant": _w("元旦", "元旦", "新年快樂"),
                    "es": _w("Año Nuevo", "el Año Nuevo", "¡Feliz Año Nuevo!"),
                    "en": _w("New Year", "the New Year", "Happy New Year!"),
                },
            ),
            Festival(
                "spring_festival",
                1,
                1,
                lunar=True,
                words={
                    "zh-Hans": _w("春节", "春节", "新春快乐"),
                    "zh-Hant": _w("春節", "春節", "新春快樂"),
                    "zh-Hant-HK": _w("農曆新年", "農曆新年", "新春快樂"),
                    "zh-Hant-MO": _w("農曆新年", "農曆新年", "新春快樂"),
                    "es": _w("Año Nuevo chino", "el Año Nuevo chino", "¡Feliz Año Nuevo chino!"),
                    "en": _w("Lunar New Year", "the Lunar New Year", "Happy Lunar New Year!"),
                },
            ),
            Festival(
                "dragon_boat",
                5,
                5,
                lunar=True,
                words={
                    "zh-Hans": _w("端午节", "端午节", "端午安康"),
                    "zh-Hant": _w("端午節", "端午節", "端午安康"),
                    "es": _w(
                        "Festival del Barco del Dragón",
                        "el Festival del Barco del Dragón",
                        "¡Feliz Festival del Barco del Dragón!",
                    ),
                    "en": _w(
                        "Dragon Boat Festival",
                        "the Dragon Boat Festival",
                        "Happy Dragon Boat Festival!",
                    ),
                },
            ),
            Festival(
                "mid_autumn",
                8,
                15,
                lunar=True,
                words={
                    "zh-Hans": _w("中秋节", "中秋节", "中秋快乐"),
                    "zh-Hant": _w("中秋節", "中秋節", "中秋節快樂"),
                    "es": _w(
                        "Festival del Medio Otoño",
                        "el Festival del Medio Otoño",
                        "¡Feliz Festival del Medio Otoño!",
                    ),
                    "en": _w(
                        "Mid-Autumn Festival",
                        "the Mid-Autumn Festival",
                        "Happy Mid-Autumn Festival!",
                    ),
                },
            ),
            Festival(
                "national_day_cn",
                10,
                1,
                words={
                    "zh-Hans": _w("国庆节", "国庆节", "国庆快乐"),
                    "zh-Hant": _w("國慶節", "國慶節", "國慶快樂"),
                    "es": _w(
                        "Día Nacional de China",
                        "el Día Nacional de China",
                        "¡Feliz Día Nacional!",
                    ),
                    "en": _w("National Day", "National Day", "Happy National Day!"),
                },
            ),
            Festival(
                "epiphany",
                1,
                6,
                words={
                    "zh-Hans": _w("三王节", "三王节", "三王节快乐"),
                    "zh-Hant": _w("三王節", "三王節", "三王節快樂"),
                    "es": _w("Reyes", "el Día de Reyes", "¡Felices Reyes!"),
                    "en": _w("Epiphany", "Epiphany", "Happy Epiphany!"),
                },
            ),
            Festival(
                "thanksgiving_us",
                11,
                nth_weekday=(3, 4),
                words={
                    "zh-Hans": _w("感恩节", "感恩节", "感恩节快乐"),
                    "zh-Hant": _w("感恩節", "感恩節", "感恩節快樂"),
                    "es": _w(
                        "Día de Acción de Gracias",
                        "el Día de Acción de Gracias",
                        "¡Feliz Día de Acción de Gracias!",
                    ),
                    "en": _w("Thanksgiving", "Thanksgiving", "Happy Thanksgiving!"),
                },
            ),
            Festival(
                "christmas",
                12,
                25,
                words={
                    "zh-Hans": _w("圣诞节", "圣诞节", "圣诞快乐"),
                    "zh-Hant": _w("聖誕節", "聖誕節", "聖誕快樂"),
                    "es": _w("Navidad", "la Navidad", "¡Feliz Navidad!"),
                    "en": _w("Christmas", "Christmas", "Merry Christmas!"),
                },
            ),
        )
    }
)

_CHINESE = ("new_year", "spring_festival", "dragon_boat", "mid_autumn")
_CHRISTIAN = ("new_year", "christmas")
_CHRISTMAS_COUNTRIES = (
    "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN", "PY", "SV", "NI",
    "CR", "PA", "UY", "PR", "GB", "IE", "CA", "AU", "NZ", "PH", "ZA", "DE", "FR", "IT", "PT",
    "NL", "BE", "AT", "CH",
)  # fmt: skip
# What each country greets on by default. Others: New Year only, until someone lists theirs.
BY_COUNTRY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "CN": (*_CHINESE, "national_day_cn"),
        "TW": _CHINESE,
        "HK": (*_CHINESE, "christmas"),
        "MO": (*_CHINESE, "christmas"),
        "SG": (*_CHINESE, "christmas"),
        "MY": ("new_year", "spring_festival", "christmas"),
        "ES": (*_CHRISTIAN, "epiphany"),
        "US": (*_CHRISTIAN, "thanksgiving_us"),
        **dict.fromkeys(_CHRISTMAS_COUNTRIES, _CHRISTIAN),
    }
)
DEFAULT = ("new_year",)


def festivals_of(country: str, chosen: Sequence[str] | None) -> tuple[Festival, ...]:
    """The festivals greeted: those settings list, else the country's."""
    keys = chosen if chosen is not None else BY_COUNTRY.get(country, DEFAULT)
    return tuple(FESTIVALS[key] for key in keys)


def check_festivals(keys: Sequence[str]) -> tuple[str, ...]:
    """Settings' list, or ValueError naming the festivals known."""
    unknown = [k for k in keys if k not in FESTIVALS]
    if unknown:
        raise ValueError(
            f"unknown festival {unknown[0]!r}; known: {', '.join(FESTIVALS)} "
            "(a day of your own goes in calendar.custom)"
        )
    return tuple(keys)
