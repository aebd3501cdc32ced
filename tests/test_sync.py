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
    assert rows[0][3:] == ["Problems", "Tier", "Score", "VIP"]
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
