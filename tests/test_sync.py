"""The whole pipeline on demo workbooks in each language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import python_calamine

from sheetcrm import sync
from sheetcrm.demo import generate_demo
from sheetcrm.settings import load_settings
from sheetcrm.starter import starter_settings

TODAY = dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("language", "sheet", "header"),
    [
        ("es", "Problemas", ["Hoja", "Celda", "Columna", "Valor", "Problema", "Gravedad"]),
        ("zh-Hant", "問題", ["工作表", "儲存格", "欄名", "填寫內容", "問題", "級別"]),
        ("en", "Problems", ["Sheet", "Cell", "Column", "Value", "Problem", "Severity"]),
    ],
)
def test_a_demo_workbook_gets_its_report_in_its_own_language(
    tmp_path: Path, language: str, sheet: str, header: list[str]
) -> None:
    generate_demo(tmp_path / "customers.xlsx", customers=80, language=language, today=TODAY)
    config = tmp_path / "settings.yaml"
    config.write_text(starter_settings(language), "utf-8")
    report = sync.run(load_settings(config), today=TODAY)
    assert report.language == language
    assert report.errors > 0  # the demo plants wrong cells
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "customers.xlsx"))
    rows = book.get_sheet_by_name(sheet).to_python()
    assert rows[0] == header
    assert len(rows) == len(report.problems) + 1
    assert sync.run(load_settings(config), today=TODAY).result.changed is False  # type: ignore[union-attr]


def test_sync_writes_tier_score_and_vip_on_the_register(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "crm.xlsx"
    book = xlsxwriter.Workbook(str(path))
    register = book.add_worksheet("Customers")
    register.write_row(0, 0, ["Customer ID", "Name", "Status"])
    people = [
        ("C1", "customer"),
        ("C2", "customer"),
        ("C3", ""),
        ("C4", "customer"),
        ("C5", "lost"),
        ("C6", "prospect"),
    ]
    for r, (cid, status) in enumerate(people, start=1):
        register.write_row(r, 0, [cid, f"Name {cid}", status])
    orders = book.add_worksheet("Orders")
    orders.write_row(0, 0, ["Date", "Customer ID", "Amount", "Profit"])
    lines = [
        ("C1", 100, 10),
        ("C2", 100, 10),
        ("C2", 100, 10),
        ("C3", 100, 15),
        ("C3", 100, 15),
        ("C4", 50, 5),
        ("C5", 12_000, 900),
    ]
    for r, (cid, amount, profit) in enumerate(lines, start=1):
        orders.write_row(r, 0, ["2027-01-10", cid, amount, profit])
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\ndates: {day_first: true}\n", "utf-8")
    sync.run(load_settings(config), today=TODAY)
    rows = (
        python_calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name("Customers")
        .to_python()
    )
    assert rows[0][3:7] == ["Problems", "Tier", "Score", "VIP"]
    # The hand-computed weighted ranking of tests/test_tiers.py; C5 is lost (D, but VIP by
    # its single order of 12,000); C6 never bought: no tier.
    assert {r[0]: tuple(r[4:7]) for r in rows[1:]} == {
        "C1": ("C", 30.0, ""),
        "C2": ("C", 76.7, ""),
        "C3": ("A", 90.0, ""),
        "C4": ("D", 3.3, ""),
        "C5": ("D", "", "yes"),
        "C6": ("", "", ""),
    }
    assert rows[0][7:14] == [
        "Recent amount",
        "Recent profit",
        "Profit share",
        "Purchase frequency",
        "Last purchase",
        "Lifetime spend",
        "RFM",
    ]
    # C3: 200 in two orders, 30 of the 965 profit; recency ties (3), two orders is the top
    # frequency (5), 200 ranks 4th of five amounts (4). C6 never bought: all blank.
    values = {r[0]: r[7:14] for r in rows[1:]}
    assert values["C3"] == [200.0, 30.0, 0.0311, 2.0, dt.date(2027, 1, 10), 200.0, "354"]
    assert values["C5"][6] == "325"
    assert values["C6"] == ["", "", "", "", "", "", ""]


def test_a_managers_override_counts_only_with_an_approver(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "crm.xlsx"
    book = xlsxwriter.Workbook(str(path))
    register = book.add_worksheet("客户")
    register.write_row(0, 0, ["客户编号", "姓名", "人工等级", "审批人", "VIP审批人"])
    register.write_row(1, 0, ["C1", "王芳", "A类", "张经理", ""])
    register.write_row(2, 0, ["C2", "李明", "A类", "", ""])
    register.write_row(3, 0, ["C3", "陈静", "", "", "张经理"])
    orders = book.add_worksheet("订单")
    orders.write_row(0, 0, ["日期", "客户编号", "金额"])
    for r, (cid, amount) in enumerate([("C1", 10), ("C2", 20), ("C3", 30)], start=1):
        orders.write_row(r, 0, ["2027-01-10", cid, amount])
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\n", "utf-8")
    report = sync.run(load_settings(config), today=TODAY)
    assert [(p.cell, p.code) for p in report.problems] == [("C3", "tier.override_unapproved")]
    rows = (
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("客户").to_python()
    )
    assert rows[0][5:9] == ["问题", "客户等级", "价值得分", "VIP"]
    got = {r[0]: (r[6], r[8]) for r in rows[1:]}
    # Computed: C3 A (100), C2 C, C1 C. C1's approved override makes it A; C2's is ignored.
    assert got == {"C1": ("A", ""), "C2": ("C", ""), "C3": ("A", "是")}
    assert rows[2][5].startswith("人工等级: 人工指定的等级须由经理填写审批人后才生效")
