"""`sheetcrm init`: a starter folder with a sample workbook and its settings.yaml."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from sheetcrm.errors import ConfigError
from sheetcrm.markets import COUNTRY_MARKETS
from sheetcrm.rules.festivals import BY_COUNTRY
from sheetcrm.settings_file import DEFAULT_SETTINGS

WORKBOOK_NAME = "customers.xlsx"


# Per language: how 05/03/1980 and 1.234 are read, and the phone region.
@dataclass(frozen=True)
class Locale:
    """One market's settings: how its staff type dates and amounts, its phones, holidays,
    money, clock and a placeholder shop name (customers' messages are signed with it)."""

    day_first: str
    decimal_comma: str
    region: str
    timezone: str
    currency: str
    shop: str
    # Days greeted like holidays that the country's public holidays do not include.
    custom_days: str


_LOCALE = {
    "en": Locale("false", "false", "US", "America/New_York", "USD", "Your Shop", "[]"),
    "zh-Hans": Locale(
        "false", "false", "CN", "Asia/Shanghai", "CNY", "明华家电",
        '\n    - {name: 圣诞节, date: "12-25"}',
    ),
    "zh-Hant": Locale(
        "false", "false", "TW", "Asia/Taipei", "TWD", "明華家電",
        '\n    - {name: 聖誕節, date: "12-25"}',
    ),
    "es": Locale("true", "true", "ES", "Europe/Madrid", "EUR", "Tu Tienda", "[]"),
}  # fmt: skip


def abroad(language: str, country: str | None) -> bool:
    """Whether the shop is outside the language's usual country (its sample is typed so
    that it reads the same there)."""
    return country is not None and country != _LOCALE[language].region


def market_of(language: str, country: str | None) -> Locale:
    """The language's market, moved to `country` when given (zh-Hant in Hong Kong, es in
    Mexico): no other market's custom days (a Christmas the country greets anyway)."""
    market = _LOCALE[language]
    if country is None or country == market.region:
        return market
    timezone, currency, day_first, decimal_comma = COUNTRY_MARKETS[country]
    custom = market.custom_days
    if "christmas" in BY_COUNTRY.get(country, ()):
        custom = "[]"
    return replace(
        market,
        region=country,
        timezone=timezone,
        currency=currency,
        day_first=day_first,
        decimal_comma=decimal_comma,
        custom_days=custom,
    )


@dataclass(frozen=True)
class Starter:
    workbook: Path
    settings: Path


def create_starter(
    directory: Path, *, language: str, customers: int, today: dt.date, country: str | None = None
) -> Starter:
    """Write DIRECTORY/customers.xlsx (sample data) and DIRECTORY/settings.yaml; refuse to
    overwrite either."""

    workbook = directory / WORKBOOK_NAME
    settings = directory / "settings.yaml"
    for path in (workbook, settings):
        if path.exists():
            raise ConfigError(f"{path} already exists; choose an empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    # Created exclusively, settings first: of two inits started at once in one folder, the
    # second stops here; the workbook is linked in only where none exists, never replaced.
    try:
        with settings.open("x", encoding="utf-8") as out:
            out.write(starter_settings(language, country))
    except FileExistsError:
        raise ConfigError(f"{settings} already exists; choose an empty folder") from None
    draft = directory / f".init-{os.getpid()}-{WORKBOOK_NAME}"
    try:
        write_starter_workbook(draft, customers, language, today, country)
        os.link(draft, workbook)
    except FileExistsError:
        settings.unlink()
        raise ConfigError(f"{workbook} already exists; choose an empty folder") from None
    except BaseException:
        settings.unlink(missing_ok=True)
        raise
    finally:
        draft.unlink(missing_ok=True)
    return Starter(workbook, settings)


def write_starter_workbook(
    path: Path, customers: int, language: str, today: dt.date, country: str | None
) -> None:
    """The starter workbook (Excel's, and the rows a new Google Sheet is filled with): the
    demo's sheets with a fixed seed, typed as a shop in `country` types."""
    from sheetcrm.demo import generate_demo

    generate_demo(
        path,
        customers=customers,
        seed=1,
        language=language,
        today=today,
        abroad=abroad(language, country),
    )


def starter_settings(language: str, country: str | None = None) -> str:
    """The embedded default, pointed at the starter workbook, without the demo block, for
    the language's market or `country`."""
    market = market_of(language, country)
    text = DEFAULT_SETTINGS.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^workbook: .*$", f"workbook: {WORKBOOK_NAME}", text)
    text = re.sub(r"(?ms)^# Create a demo workbook.*?\n\n", "", text)
    text = re.sub(r"(?m)^demo:\n(?:  .*\n)+\n?", "", text)
    for pattern, value in (
        (r"(?m)^phone_region: \S+", f"phone_region: {market.region}"),
        (r"(?m)^  day_first: \S+", f"  day_first: {market.day_first}"),
        (r"(?m)^  decimal_comma: \S+", f"  decimal_comma: {market.decimal_comma}"),
        (r"(?m)^  country: \S+", f"  country: {market.region}"),
        (r"(?m)^  custom:\n(?:    - .*\n)*", f"  custom: {market.custom_days}\n"),
        (r"(?m)^  company: \S+", f"  company: {market.shop}"),
        (r"(?m)^  currency: \S+", f"  currency: {market.currency}"),
        (r"(?m)^  timezone: \S+", f"  timezone: {market.timezone}"),
    ):
        text, count = re.subn(pattern, value.replace("\\", r"\\"), text)
        assert count == 1, pattern  # the embedded default has each of these once
    return text
