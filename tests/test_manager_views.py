"""Managers filter the register by tier [issue 3]: an auto-filter, a colour per tier, one sheet
per tier, the Tier history. Checked in the file the job writes, and in LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.settings import load_settings
from tests.excel_fixtures import members, resave_with_libreoffice

TODAY = dt.date(2027, 2, 1)

# (id, name, status, amount of one order in January 2027 or None)
PEOPLE = [
    ("C1", "王芳", "customer", 100),
    ("C2", "李明", "customer", 300),
    ("C3", "陈静", "customer", 900),
    ("C4", "赵磊", "lost", 50),
    ("C5", "孙丽", "prospect", None),
]


def register_book(path: Path, *, staff_filter: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path))
    register = book.add_worksheet("客户")
    register.write_row(0, 0, ["客户编号", "姓名", "状态", "电话"])
    for r, (cid, name, status, _) in enumerate(PEOPLE, start=1):
        register.write_row(r, 0, [cid, name, status, f"1380013800{r}"])
    if staff_filter:
        register.autofilter(0, 0, len(PEOPLE), 2)
    orders = book.add_worksheet("订单")
    orders.write_row(0, 0, ["日期", "客户编号", "金额"])
    bought = [(cid, amount) for cid, _, _, amount in PEOPLE if amount]
    for r, (cid, amount) in enumerate(bought, start=1):
        orders.write_row(r, 0, ["2027-01-10", cid, amount])
    book.close()
    return path


def run(path: Path, extra: str = "") -> sync.SyncReport:
    config = path.parent / "settings.yaml"
    config.write_text(f"workbook: {path.name}\n{extra}", "utf-8")
    return sync.run(load_settings(config), today=TODAY)


def sheet_xml(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet [^>]*name="([^"]*)"', workbook)
        return z.read(f"xl/worksheets/sheet{names.index(name) + 1}.xml")


def test_the_register_gets_an_auto_filter_over_its_header(tmp_path: Path) -> None:
    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    ws = openpyxl.load_workbook(book)["客户"]
    # Staff's four columns and the job's columns, down to the last customer.
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}6"
    with zipfile.ZipFile(book) as z:
        workbook = z.read("xl/workbook.xml").decode()
    assert '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">' in workbook


def test_a_filter_staff_set_is_left_as_it_is(tmp_path: Path) -> None:
    book = register_book(tmp_path / "crm.xlsx", staff_filter=True)
    run(book)
    assert re.findall(rb"<autoFilter [^>]*>", sheet_xml(book, "客户")) == [
        b'<autoFilter ref="A1:C6"/>'
    ]


def test_each_tier_has_its_colour_in_the_tier_column(tmp_path: Path) -> None:
    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    wb = openpyxl.load_workbook(book)
    ws = wb["客户"]
    tier_column = next(c.column_letter for c in ws[1] if c.value == "客户等级")
    (rules,) = [
        cf.rules
        for cf in ws.conditional_formatting
        if str(cf.sqref) == f"{tier_column}2:{tier_column}1048576"
    ]
    colours = {r.formula[0]: r.dxf.fill.bgColor.rgb for r in rules}
    assert colours == {'"A"': "FFC6EFCE", '"B"': "FFDDEBF7", '"C"': "FFFFF2CC", '"D"': "FFEDEDED"}


def test_filter_and_colours_are_added_once(tmp_path: Path) -> None:
    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    first = members(book)
    report = run(book)
    assert report.result is not None and not report.result.changed
    assert members(book) == first


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_filter_and_the_colours(tmp_path: Path) -> None:
    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    resaved = resave_with_libreoffice(book, tmp_path)
    ws = openpyxl.load_workbook(resaved)["客户"]
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    formulas = {r.formula[0] for cf in ws.conditional_formatting for r in cf.rules}
    assert {'"A"', '"B"', '"C"', '"D"'} <= formulas
