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


def sheet_values(path: Path, name: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def test_one_sheet_per_tier_lists_its_customers_best_first(tmp_path: Path) -> None:
    # Ranked: C1, C2, C3 (C4 is lost, C5 never bought). No profit column: profits tie, as do
    # the frequencies; score = 40·pr(amount) + 40·½ + 20·½: C1 30, C2 50, C3 70.
    # ⌈5% of 3⌉ = 1 → C3 is A; ⌈20% of 3⌉ = 1 → no B; C2 and C1 are C; C4, lost, is D.
    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    header = (
        "客户编号",
        "客户名称",
        "电话",
        "负责人",
        "价值得分",
        "近期金额",
        "近期利润",
        "VIP",
        "最近购买",
    )
    jan10 = dt.datetime(2027, 1, 10)
    assert sheet_values(book, "A类客户") == [
        header,
        ("C3", "陈静", "+8613800138003", None, 70, 900, 0, None, jan10),
    ]
    assert sheet_values(book, "B类客户") == [header]
    assert [r[:5] for r in sheet_values(book, "C类客户")[1:]] == [
        ("C2", "李明", "+8613800138002", None, 50),
        ("C1", "王芳", "+8613800138001", None, 30),
    ]
    assert [r[0] for r in sheet_values(book, "D类客户")[1:]] == ["C4"]


def test_every_tier_change_is_appended_to_the_tier_history(tmp_path: Path) -> None:
    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    first = sheet_values(book, "等级变更记录")
    feb1 = dt.datetime(2027, 2, 1)
    assert first == [
        ("日期", "客户编号", "客户名称", "原等级", "新等级", "价值得分", "原因"),
        (feb1, "C1", "王芳", None, "C", 30, "计算"),
        (feb1, "C2", "李明", None, "C", 50, "计算"),
        (feb1, "C3", "陈静", None, "A", 70, "计算"),
        (feb1, "C4", "赵磊", None, "D", None, "流失"),
    ]
    # The same day, the same data: nothing is appended, no byte changes.
    before = book.read_bytes()
    run(book)
    assert book.read_bytes() == before
    # A year later the January orders are out of the window: everyone not lost drops to D.
    config = book.parent / "settings.yaml"
    sync.run(load_settings(config), today=dt.date(2028, 1, 15))
    later = sheet_values(book, "等级变更记录")
    assert later[: len(first)] == first  # appended rows are never rewritten
    jan15 = dt.datetime(2028, 1, 15)
    assert later[len(first) :] == [
        (jan15, "C1", "王芳", "C", "D", None, "计算"),
        (jan15, "C2", "李明", "C", "D", None, "计算"),
        (jan15, "C3", "陈静", "A", "D", None, "计算"),
    ]


@pytest.mark.parametrize(
    ("language", "sheets"),
    [
        ("en", ["Tier A", "Tier B", "Tier C", "Tier D", "Outbox", "Tier history"]),
        ("zh-Hant", ["A類客戶", "B類客戶", "C類客戶", "D類客戶", "發送記錄", "等級變更記錄"]),
        (
            "es",
            [
                *("Clientes A", "Clientes B", "Clientes C", "Clientes D", "Mensajes"),
                "Historial de niveles",
            ],
        ),
    ],
)
def test_tier_sheets_are_named_in_the_workbooks_language(
    tmp_path: Path, language: str, sheets: list[str]
) -> None:
    book = register_book(tmp_path / "crm.xlsx")
    run(book, f"language: {language}\n")
    assert openpyxl.load_workbook(book).sheetnames[-6:] == sheets


def test_the_library_measures_profit_per_customer_and_tier(tmp_path: Path) -> None:
    from sheetcrm.measures import measure

    book = register_book(tmp_path / "crm.xlsx")
    run(book)
    report = measure(load_settings(tmp_path / "settings.yaml"), today=TODAY)
    assert report.tiers == {"C1": "C", "C2": "C", "C3": "A", "C4": "D", "C5": None}
    assert report.customers["C3"].amount == 900
    # No profit column: the profit known is 0, but every month with an order is listed.
    assert report.by_tier.yearly == {"A": {2027: 0}, "C": {2027: 0}, "D": {2027: 0}}
