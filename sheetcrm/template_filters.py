"""The filters message templates use, bound to one locale: `date`, `weekday` and `money`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache, partial

from babel.dates import format_date
from babel.numbers import format_currency


def locale_filters(locale: str, currency: str) -> dict[str, Callable[..., str]]:
    """The filters for one Babel locale, e.g. "zh_Hant_TW", and the default currency code."""
    return {
        "date": partial(_format_date, locale=locale),
        "weekday": partial(_format_weekday, locale=locale),
        "money": partial(_format_money, locale=locale, default_currency=currency),
    }


def refuse_none(value: object) -> object:
    # A None printed into a customer's message reads "None"; ask the template to test for it.
    if value is None:
        raise ValueError("a value is None (missing); test it with {% if ... %} first")
    return value


def _format_date(value: dt.date, format: str = "long", *, locale: str) -> str:
    return _babel_date(_as_date(value), format, locale)


def _format_weekday(value: dt.date, *, locale: str) -> str:
    return _babel_date(_as_date(value), "EEEE", locale)


@lru_cache(maxsize=4096)
def _babel_date(value: dt.date, format: str, locale: str) -> str:
    # 200 staff digests print the same few hundred dates: Babel takes 25 µs each time.
    return str(format_date(value, format=format, locale=locale))


def _as_date(value: object) -> dt.date:
    # Babel formats None as today: a missing date would silently become a wrong one.
    if not isinstance(value, dt.date):
        raise TypeError(f"the date filter needs a date, got {value!r}")
    return value


def _format_money(
    value: Decimal | int | float,
    currency: str | None = None,
    *,
    locale: str,
    default_currency: str,
) -> str:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise TypeError(f"the money filter needs a number, got {value!r}")
    return str(format_currency(value, currency or default_currency, locale=locale))
