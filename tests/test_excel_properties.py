"""Registers with random combinations of what staff put in them (a table, data bars, colour
scales, icon sets, a filter, frozen panes, a title row, links, dropdowns, comments, merged
cells, hidden columns, protection), each synced twice: the rules Excel enforces hold, the
Open XML SDK finds nothing new, and every cell that is not the job's is unchanged."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetcrm import sync
from sheetcrm.settings import load_settings
from tests.excel_fixtures import resave_with_libreoffice
from tests.xlsx_rules import assert_sync_kept_it_valid, sdk_errors

FEATURES = (
    "table", "data_bar", "colour_scale", "icon_set", "filter", "freeze", "title_row", "link",
    "dropdown", "comment", "merged_note", "hidden_column", "protected",
)  # fmt: skip
HEADER = ["Customer ID", "Name", "Phone", "Spend"]
ROWS = [
    ["C1", "Ana Ruiz", "+34 612 345 678", 100],
    ["C2", "Luis Gil", "12345", 200],
    ["C3", "Eva Sanz", "+34 622 345 678", 300],
]


def register(path: Path, features: frozenset[str]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    top = 1 if "title_row" in features else 0
    if top:
        sheet.write(0, 0, "Our customers 2027")
    last = top + len(ROWS)
    if "table" in features:
        sheet.add_table(top, 0, last, 3, {"data": ROWS, "columns": [{"header": h} for h in HEADER]})
    else:
        for r, row in enumerate([HEADER, *ROWS]):
            sheet.write_row(top + r, 0, row)
        if "filter" in features:
            sheet.autofilter(top, 0, last, 3)
    spend = f"D{top + 2}:D{last + 1}"
    if "data_bar" in features:
        sheet.conditional_format(spend, {"type": "data_bar", "data_bar_2010": True})
    if "colour_scale" in features:
        sheet.conditional_format(spend, {"type": "3_color_scale"})
    if "icon_set" in features:
        sheet.conditional_format(spend, {"type": "icon_set", "icon_style": "3_arrows"})
    if "freeze" in features:
        sheet.freeze_panes(top + 1, 1)
    if "link" in features:
        sheet.write_url(top + 1, 1, "https://example.com/c1", string="Ana Ruiz")
    if "dropdown" in features:
        sheet.data_validation(
            top + 1, 3, 200, 3, {"validate": "integer", "criteria": ">", "value": 0}
        )
    if "comment" in features:
        sheet.write_comment(top + 1, 0, "VIP since 2020")
    if "merged_note" in features:
        sheet.merge_range(last + 3, 0, last + 4, 3, "Notes: call before noon")
    if "hidden_column" in features:
        sheet.set_column(2, 2, None, None, {"hidden": True})
    if "protected" in features:
        sheet.protect()
    orders = book.add_worksheet("Orders")
    orders.write_row(0, 0, ["Order ID", "Date", "Customer ID", "Amount"])
    for i in range(6):
        orders.write_row(
            1 + i, 0, [f"O{i}", f"2027-01-{10 + i:02d}", f"C{1 + i % 3}", 1000 * (i + 1)]
        )
    book.close()


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def staff_cells(path: Path) -> dict[str, bytes]:
    """The register's cells in the columns staff typed (A–D) and the merged note's rows."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    return {
        m.group(1).decode() + m.group(2).decode(): m.group(0)
        for m in _CELL.finditer(xml)
        if m.group(1) in (b"A", b"B", b"C", b"D")
    }


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.frozensets(st.sampled_from(FEATURES)))
def test_any_register_comes_out_valid_and_untouched_but_for_the_job_s_columns(
    tmp_path_factory: object, features: frozenset[str]
) -> None:
    folder = tmp_path_factory.mktemp("register")  # type: ignore[attr-defined]
    book = folder / "crm.xlsx"
    register(book, features)
    sdk_before = sdk_errors(book)
    before = staff_cells(book)
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        sync.run(load_settings(config), today=today)
        assert_sync_kept_it_valid(book, sdk_before)
        assert staff_cells(book) == before


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "features",
    [frozenset(FEATURES) - {"filter"}, frozenset(FEATURES) - {"table"}],
    ids=["every feature, as a table", "every feature, with a sheet filter"],
)
def test_libreoffice_s_resave_of_a_register_with_everything(
    features: frozenset[str], tmp_path: Path
) -> None:
    """The same features as LibreOffice writes them back (its own styles, its own x14 data
    bars, its own table and filter parts): the second writer of the matrix."""
    made = tmp_path / "made.xlsx"
    register(made, features)
    book = tmp_path / "crm.xlsx"
    shutil.move(resave_with_libreoffice(made, tmp_path), book)
    sdk_before = sdk_errors(book)
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        before = staff_values(book)
        sync.run(load_settings(config), today=today)
        assert_sync_kept_it_valid(book, sdk_before)
        assert staff_values(book) == before


def staff_values(path: Path) -> list[list[object]]:
    """The register's values in staff's columns (A–D), as openpyxl reads them."""
    sheet = openpyxl.load_workbook(path)["Customers"]
    return [[c.value for c in row[:4]] for row in sheet.iter_rows()]
