"""`sheetcrm init --language X`: a starter that is that market's shop, whose only problems
are the ones planted on purpose (README lists them)."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
import python_calamine

from sheetcrm import sync
from sheetcrm.demo_values import Typist
from sheetcrm.rules.parsers import parse_phone
from sheetcrm.settings import load_settings
from sheetcrm.starter import create_starter

TODAY = dt.date(2027, 2, 1)

# What the starter plants, and what follows from it (a duplicated id leaves the next id's
# contacts and orders without their customer; a phone replaced by 12345 leaves its contacts
# without a match).
PLANTED = {
    "phone.invalid": {"12345"},
    "email.no_at": {"not an email"},
    "date.impossible": {"31/02/1985"},
    "customer.duplicate_id": None,
    "ref.unknown_customer": None,
    "ref.unknown_phone": None,
    "cell.error_value": {""},  # =1/0 in a note
    "required.missing": {""},  # the total row under the orders
    "plan.owner_inactive": None,  # the last staff member has left
}

# Each market: its phone region, how its numbers start, and letters no cell of its starter
# may hold (another market's script).
MARKETS = [
    ("zh-Hans", "CN", "+86", r"[áéíóúñ]"),
    ("zh-Hant", "TW", "+886", r"[áéíóúñ]|[们这国发为实户话说时]"),
    ("es", "ES", "+34", r"[\u4e00-\u9fff]"),
    ("en", "US", "+1", r"[\u4e00-\u9fff]|[áéíóúñ]"),
]
LANGUAGES = [m[0] for m in MARKETS]


@pytest.fixture(scope="module", params=LANGUAGES)
def starter(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("starter") / request.param
    return create_starter(folder, language=request.param, customers=200, today=TODAY).settings


def test_the_only_problems_are_the_planted_ones(starter: Path) -> None:
    report = sync.check(load_settings(starter), today=TODAY)
    unexpected = [
        (p.cell, p.code, p.value)
        for p in report.problems
        if p.code not in PLANTED or (PLANTED[p.code] is not None and p.value not in PLANTED[p.code])
    ]
    assert unexpected == []


def test_no_cell_is_in_another_market_s_script(starter: Path) -> None:
    foreign = dict((m[0], m[3]) for m in MARKETS)[starter.parent.name]
    book = python_calamine.CalamineWorkbook.from_path(str(starter.parent / "customers.xlsx"))
    found = {
        str(value)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for value in row
        if isinstance(value, str) and re.search(foreign, value)
    }
    assert found == set()


@pytest.mark.parametrize(("language", "region", "country_code", "_"), MARKETS)
def test_every_phone_is_the_market_s_own(
    language: str, region: str, country_code: str, _: str
) -> None:
    typist = Typist(random.Random(1), language)
    for _n in range(300):
        typed = typist.phone()
        assert str(parse_phone(typed, region)).startswith(country_code), typed
        loose = typist.messy_phone(typed)
        assert parse_phone(loose, region) == parse_phone(typed, region), loose


def test_two_inits_at_once_in_one_folder_leave_one_whole_starter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two inits that both found the folder empty: the second stops at the files the first
    created exclusively; nothing of the first is replaced, nothing half-written is left."""
    from sheetcrm.errors import ConfigError

    folder = tmp_path / "shop"
    create_starter(folder, language="es", customers=20, today=TODAY)
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(Path, "exists", lambda self: False)  # as if it checked before
    with pytest.raises(ConfigError, match=r"settings\.yaml already exists"):
        create_starter(folder, language="en", customers=20, today=TODAY)
    (folder / "settings.yaml").unlink()  # the settings gone, the workbook still there
    with pytest.raises(ConfigError, match=r"customers\.xlsx already exists"):
        create_starter(folder, language="en", customers=20, today=TODAY)
    monkeypatch.undo()
    assert sorted(p.name for p in folder.iterdir()) == ["customers.xlsx"]
    assert (folder / "customers.xlsx").read_bytes() == first["customers.xlsx"]


@pytest.mark.parametrize(
    ("language", "country", "currency", "timezone", "shop"),
    [
        ("zh-Hans", "CN", "CNY", "Asia/Shanghai", "明华家电"),
        ("zh-Hant", "TW", "TWD", "Asia/Taipei", "明華家電"),
        ("es", "ES", "EUR", "Europe/Madrid", "Tu Tienda"),
        ("en", "US", "USD", "America/New_York", "Your Shop"),
    ],
)
def test_the_starter_s_settings_are_its_market_s(
    language: str, country: str, currency: str, timezone: str, shop: str, tmp_path: Path
) -> None:
    """A Spanish shop never gets Chinese defaults: its holidays, money, clock and name."""
    created = create_starter(tmp_path / "shop", language=language, customers=5, today=TODAY)
    settings = load_settings(created.settings)
    assert (settings.phone_region, settings.calendar.country) == (country, country)
    assert (settings.messages.currency, settings.schedule.timezone) == (currency, timezone)
    assert settings.messages.company == shop
    if not language.startswith("zh"):  # no 圣诞节 among a Western shop's own days
        names = [day.name for day in settings.calendar.custom]
        assert not [n for n in names if re.search(r"[\u4e00-\u9fff]", n)]


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [
        ("es", "MX", ("MX", "America/Mexico_City", "MXN", True, False, [])),
        ("zh-Hant", "HK", ("HK", "Asia/Hong_Kong", "HKD", True, False, [])),
        ("zh-Hant", None, ("TW", "Asia/Taipei", "TWD", False, False, ["聖誕節"])),
    ],
)
def test_init_country_moves_the_language_s_shop(
    tmp_path: Path, language: str, country: str | None, expected: tuple[object, ...]
) -> None:
    """`init --country`: that country's days, clock, money and date order; no custom
    Christmas where the country greets on it anyway."""
    from sheetcrm.cli import execute

    argv = ["init", str(tmp_path / "shop"), "--language", language, "--customers", "5"]
    assert execute(argv + (["--country", country.lower()] if country else [])) == 0
    s = load_settings(tmp_path / "shop" / "settings.yaml")
    found = (
        s.calendar.country, s.schedule.timezone, s.messages.currency, s.dates.day_first,
        s.amounts.decimal_comma, [c.name for c in s.calendar.custom],
    )  # fmt: skip
    assert found == expected


@pytest.mark.parametrize(
    ("language", "country"), [("zh-Hant", "HK"), ("es", "MX"), ("es", "AR"), ("en", "GB")]
)
def test_a_shop_moved_to_another_country_has_only_the_planted_problems(
    tmp_path: Path, language: str, country: str
) -> None:
    """Its sample reads the same under that country's settings: phones with their country
    code, amounts without separators, dates without a day/month order."""
    shop = create_starter(
        tmp_path / "shop", language=language, customers=200, today=TODAY, country=country
    )
    report = sync.check(load_settings(shop.settings), today=TODAY)
    unexpected = [
        (p.cell, p.code, p.value)
        for p in report.problems
        if p.code not in PLANTED or (PLANTED[p.code] is not None and p.value not in PLANTED[p.code])
    ]
    assert unexpected == []
