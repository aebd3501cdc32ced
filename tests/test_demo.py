"""The demo workbook: realistic, deterministic, in four languages, with a few messy cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import python_calamine

from sheetcrm.demo import generate_demo
from sheetcrm.schema import FIELDS, SHEET_NAMES, SheetKind

TODAY = dt.date(2027, 2, 1)


def read(path: Path) -> dict[str, list[list[object]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_same_seed_gives_the_same_workbook(tmp_path: Path) -> None:
    generate_demo(tmp_path / "a.xlsx", customers=60, seed=3, today=TODAY)
    generate_demo(tmp_path / "b.xlsx", customers=60, seed=3, today=TODAY)
    generate_demo(tmp_path / "c.xlsx", customers=60, seed=4, today=TODAY)
    assert read(tmp_path / "a.xlsx") == read(tmp_path / "b.xlsx")
    assert read(tmp_path / "a.xlsx") != read(tmp_path / "c.xlsx")


@pytest.mark.parametrize("language", ["en", "zh-Hans", "zh-Hant", "es"])
def test_sheets_and_headers_are_in_the_workbook_language(tmp_path: Path, language: str) -> None:
    generate_demo(tmp_path / "d.xlsx", customers=20, language=language, today=TODAY)
    sheets = read(tmp_path / "d.xlsx")
    for kind in SheetKind:
        name = SHEET_NAMES[kind][language][0]
        # One name column, as shops keep it (exports split it in first and last names).
        fields = [f for f in FIELDS[kind] if f.name not in ("given_name", "family_name")]
        assert sheets[name][0] == [f.aliases[language][0] for f in fields]


def test_about_ten_visits_and_orders_per_customer(tmp_path: Path) -> None:
    summary = generate_demo(tmp_path / "d.xlsx", customers=200, today=TODAY)
    assert summary.customers == 200
    assert 7 * 200 <= summary.visits <= 13 * 200
    assert 7 * 200 <= summary.orders <= 13 * 200
    assert summary.staff == 4
    assert 0 < summary.invalid < summary.messy < 0.1 * (summary.visits + summary.orders)


def test_nothing_is_dated_after_today_except_callbacks(tmp_path: Path) -> None:
    generate_demo(tmp_path / "d.xlsx", customers=50, messy=0, today=TODAY)
    sheets = read(tmp_path / "d.xlsx")
    orders = sheets["订单"]
    dates = [row[1] for row in orders[1:] if isinstance(row[1], dt.date)]
    assert dates and max(dates) <= TODAY
