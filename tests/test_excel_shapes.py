"""Packages shaped by other writers, made by hand-editing the XML of an xlsxwriter file where
no writer here produces them: sync writes each of them valid for Excel, twice.

- `<x:worksheet>`: .NET writers prefix SpreadsheetML (every row written must stay one row);
- `<definedNames/>`: Google Sheets' .xlsx export writes the list empty;
- `<functionGroups/>` in an Excel-made .xlsm: the filter's name goes after it;
- a merged, empty box below the register and an id column headed `#`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from sheetcrm import sync
from sheetcrm.settings import load_settings
from tests.excel_fixtures import csv_of_every_sheet
from tests.xlsx_rules import assert_sync_kept_it_valid, problems_of, sdk_errors

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CUSTOMERS = [
    ["Customer ID", "Name", "Phone"],
    ["C1", "Ana Ruiz", "+34 612 345 678"],
    ["C2", "Luis Gil", "12345"],
    ["C3", "Eva Sanz", "+34 622 345 678"],
]
ORDERS = [["Order ID", "Date", "Customer ID", "Amount"]] + [
    [f"O{i}", f"2027-01-{10 + i:02d}", f"C{1 + i % 3}", 1000 * (i + 1)] for i in range(6)
]


def plain(path: Path, header: str = "Customer ID", merged_box: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate(CUSTOMERS):
        sheet.write_row(r, 0, [header, *row[1:]] if r == 0 else row)
    if merged_box:
        sheet.merge_range("A9:C10", "")
    orders = book.add_worksheet("Orders")
    for r, row in enumerate(ORDERS):
        orders.write_row(r, 0, row)
    book.close()
    return path


def edit_parts(path: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    """Rewrite every member through `edit(name, data)`, keeping names and order."""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, edit(info.filename, zin.read(info)))
    shutil.move(copy, path)
    return path


def prefixed(path: Path) -> Path:
    """Every SpreadsheetML part with an `x:` prefix instead of the default namespace."""

    def edit(name: str, data: bytes) -> bytes:
        if not name.endswith(".xml") or b'xmlns="' + MAIN + b'"' not in data:
            return data
        data = data.replace(b'xmlns="' + MAIN + b'"', b'xmlns:x="' + MAIN + b'"')
        return re.sub(rb"<(/?)([A-Za-z][\w.-]*)(?=[\s/>])", rb"<\1x:\2", data)

    return edit_parts(plain(path), edit)


def workbook_edit(path: Path, old: bytes, new: bytes) -> Path:
    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        assert old in data
        return data.replace(old, new, 1)

    return edit_parts(path, edit)


def styles_edit(path: Path, edit: Callable[[bytes], bytes]) -> Path:
    return edit_parts(path, lambda name, data: edit(data) if name == "xl/styles.xml" else data)


SHAPES: dict[str, Callable[[Path], Path]] = {
    "x: prefixed parts": prefixed,
    "empty <definedNames/>": lambda p: workbook_edit(
        plain(p), b"</sheets>", b"</sheets><definedNames/>"
    ),
    "functionGroups after sheets": lambda p: workbook_edit(
        plain(p), b"</sheets>", b'</sheets><functionGroups builtInGroupCount="18"/>'
    ),
    "empty merged box below the data": lambda p: plain(p, merged_box=True),
    "id column headed #": lambda p: plain(p, header="#"),
    # calamine's test files: a styles part with no lists at all (a cell without a style, and
    # every style the job adds, needs entry 0 of each).
    "empty <styleSheet>": lambda p: styles_edit(
        plain(p), lambda _: b'<styleSheet xmlns="' + MAIN + b'"></styleSheet>'
    ),
}


def sync_on(book: Path, today: dt.date) -> sync.SyncReport:
    config = book.parent / "settings.yaml"
    config.write_text(
        f"workbook: {book.name}\nlanguage: en\nheaders:\n  customers:\n    id: ['#']\n", "utf-8"
    )
    return sync.run(load_settings(config), today=today)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_sync_writes_a_valid_package_twice(shape: str, tmp_path: Path) -> None:
    book = SHAPES[shape](tmp_path / "crm.xlsx")
    assert problems_of(book) == []
    sdk_before = sdk_errors(book)
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        report = sync_on(book, today)
        assert report.result is not None and report.result.changed
        assert_sync_kept_it_valid(book, sdk_before)
        assert [p.code for p in report.problems] == ["phone.invalid"]  # C2's 12345, only
    register = openpyxl.load_workbook(book)["Customers"]
    assert [c.value for c in register[1]][3:5] == ["Problems", "Tier"]
    assert register["D3"].value.startswith("Phone: ")
    assert register.max_row == (10 if "merged" in shape else 4)


@pytest.mark.libreoffice
def test_libreoffice_reads_a_prefixed_package_after_sync(tmp_path: Path) -> None:
    book = prefixed(tmp_path / "crm.xlsx")
    sync_on(book, dt.date(2027, 2, 1))
    register = csv_of_every_sheet(book, tmp_path / "read")["Customers"].splitlines()
    assert len(register) == 4  # one line per row: no row written twice
    assert register[0].startswith("Customer ID,Name,Phone,Problems,Tier")
    assert register[2].startswith('C2,Luis Gil,12345,"Phone: ')


def used_right_of_the_header(path: Path) -> Path:
    """Right of the header: a shared formula F2:H2 (master F2), text in a merged J3:K3 and a
    formatted, empty M4 — all staff's, none of it under a header."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate(CUSTOMERS):
        sheet.write_row(r, 0, row)
    for col in "FGH":
        sheet.write_formula(f"{col}2", "=LEN(B2)", None, 8)
    sheet.merge_range("J3:K3", "call after 5 pm")
    sheet.write_blank("M4", None, book.add_format({"bg_color": "#FFFF00"}))
    orders = book.add_worksheet("Orders")
    for r, row in enumerate(ORDERS):
        orders.write_row(r, 0, row)
    book.close()

    def shared(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        data = data.replace(
            b'<c r="F2"><f>LEN(B2)</f>', b'<c r="F2"><f t="shared" ref="F2:H2" si="0">LEN(B2)</f>'
        )
        for col in (b"G", b"H"):
            data = data.replace(
                b'<c r="%s2"><f>LEN(B2)</f>' % col, b'<c r="%s2"><f t="shared" si="0"/>' % col
            )
        assert data.count(b'si="0"') == 3
        return data

    return edit_parts(path, shared)


def test_new_owned_columns_go_right_of_every_used_column(tmp_path: Path) -> None:
    book = used_right_of_the_header(tmp_path / "crm.xlsx")
    sdk_before = sdk_errors(book)
    sync_on(book, dt.date(2027, 2, 1))
    assert_sync_kept_it_valid(book, sdk_before)
    register = openpyxl.load_workbook(book)["Customers"]
    header = [c.value for c in register[1]]
    assert header.index("Problems") == 13  # column N, right of M4's formatting
    assert register["F2"].value == "=LEN(B2)"  # the shared formula's master is intact
    assert register["J3"].value == "call after 5 pm"
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b'<f t="shared" ref="F2:H2" si="0">LEN(B2)</f>' in sheet


def moved(path: Path, folder: str) -> Path:
    """The xl/ parts moved to `folder` ("" for the package's root): relationships still
    name them, as the format allows."""
    plain(path)
    prefix = f"{folder}/" if folder else ""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name.startswith("xl/"):
                name = prefix + name.removeprefix("xl/")
            elif name == "_rels/.rels":
                data = data.replace(b'Target="xl/', f'Target="{prefix}'.encode())
            elif name == "[Content_Types].xml":
                data = data.replace(b'PartName="/xl/', f'PartName="/{prefix}'.encode())
            zout.writestr(name, data)
    shutil.move(copy, path)
    return path


@pytest.mark.parametrize("folder", ["wtf", ""], ids=["wtf/workbook.xml", "/workbook.xml"])
def test_parts_are_found_through_relationships_wherever_they_are(
    folder: str, tmp_path: Path
) -> None:
    book = moved(tmp_path / "crm.xlsx", folder)
    assert problems_of(book) == []
    sdk_before = sdk_errors(book)
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        report = sync_on(book, today)
        assert_sync_kept_it_valid(book, sdk_before)
    assert report.result is not None
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
    assert not any(n.startswith("xl/") for n in names)  # nothing written where it is not read
    # openpyxl cannot read such a package at all; calamine follows the relationships.
    read = python_calamine.CalamineWorkbook.from_path(str(book))
    assert read.sheet_names[:3] == ["Customers", "Orders", "Problems"]
    problems = read.get_sheet_by_name("Problems").to_python()
    assert problems[1][:2] == ["Customers", "C3"]  # the Problems sheet is ours


def test_a_style_count_that_was_off_is_put_right(tmp_path: Path) -> None:
    """excelize's test Book1: <cellXfs count="5"> holding 6 entries. Adding to it keeps
    Excel's rule (count = entries) instead of carrying the error along."""
    book = styles_edit(
        plain(tmp_path / "crm.xlsx"),
        lambda data: re.sub(rb'<cellXfs count="(\d+)"', rb'<cellXfs count="0"', data),
    )
    assert any("cellXfs" in p for p in problems_of(book))
    sync_on(book, dt.date(2027, 2, 1))
    assert problems_of(book) == []


def test_a_header_that_is_a_number_is_found_again_when_writing(tmp_path: Path) -> None:
    """calamine's and exceljs' test files head a column with the number 1: the reader takes
    it as the header "1" (headers.customers.id: ['1']), and so must the writer."""
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([[1, "Name", "Phone"], *[c for c in CUSTOMERS[1:]]]):
        sheet.write_row(r, 0, row)
    orders = book.add_worksheet("Orders")
    for r, row in enumerate(ORDERS):
        orders.write_row(r, 0, row)
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text(
        "workbook: crm.xlsx\nlanguage: en\nheaders: {customers: {id: ['1']}}\n", "utf-8"
    )
    report = sync.run(load_settings(config), today=dt.date(2027, 2, 1))
    assert report.result is not None and report.result.cells_written > 0
    register = openpyxl.load_workbook(tmp_path / "crm.xlsx")["Customers"]
    assert [c.value for c in register[1]][:5] == [1, "Name", "Phone", "Problems", "Tier"]
