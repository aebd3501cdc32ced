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
