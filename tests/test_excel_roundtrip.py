"""sync on a real staff workbook: every part it does not own comes out byte-identical, and
LibreOffice reads what it wrote. Run on the xlsxwriter original and on LibreOffice's re-save."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from sheetcrm import sync
from sheetcrm.excel.package import Package
from sheetcrm.settings import load_settings
from sheetcrm.sync import SyncReport
from tests.excel_fixtures import (
    REGISTER,
    csv_of_every_sheet,
    members,
    outside_sheet_data,
    resave_with_libreoffice,
    staff_workbook,
)
from tests.excel_fixtures import cells as sheet_cells
from tests.xlsx_rules import assert_sync_kept_it_valid, problems_of, sdk_errors

TODAY = dt.date(2027, 2, 1)
# Parts a sync may change: the register's sheet, and the entries for the Problems sheet.
WORKBOOK_PARTS = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "xl/styles.xml",
}


@pytest.fixture(params=["xlsxwriter", "libreoffice"])
def workbook(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    book = staff_workbook(tmp_path / "crm.xlsx", tmp_path)
    if request.param == "libreoffice":
        shutil.move(resave_with_libreoffice(book, tmp_path), book)
    return book


def run_sync(book: Path) -> SyncReport:
    config = book.parent / "settings.yaml"
    config.write_text(f"workbook: {book.name}\ndates: {{day_first: true}}\n", "utf-8")
    return sync.run(load_settings(config), today=TODAY)


def register_part(book: Path) -> str:
    return Package(book).sheet(REGISTER).part


def test_every_part_the_job_does_not_own_is_byte_identical(workbook: Path) -> None:
    before = members(workbook)
    part = register_part(workbook)
    report = run_sync(workbook)
    assert report.result is not None and report.result.changed
    after = members(workbook)
    added = set(after) - set(before)
    # Problems, the four tier sheets, the Outbox and the Tier history.
    assert len(added) == 7 and all(a.startswith("xl/worksheets/") for a in added)
    assert set(before) <= set(after)
    for name, data in before.items():
        if name not in WORKBOOK_PARTS | {part}:
            assert after[name] == data, f"{name} changed"


def test_in_the_register_only_owned_cells_change(workbook: Path) -> None:
    part = register_part(workbook)
    before = members(workbook)[part]
    run_sync(workbook)
    after = members(workbook)[part]
    old, new = sheet_cells(before), sheet_cells(after)
    for ref, xml in old.items():
        assert new[ref] == xml, f"cell {ref} changed"
    added = set(new) - set(old)
    # Problems, tier, score, VIP, the seven value columns and the six plan columns; G is
    # skipped: a sparkline is drawn in G3.
    assert {re.sub(r"\d", "", ref) for ref in added} == {"F", *"HIJKLMNOPQRSTUVW"}
    # Outside the cells, only the tier colours are new: staff's auto-filter stays as it is.
    tier_fills = re.compile(
        rb'<conditionalFormatting sqref="H3:H1048576">.*?</conditionalFormatting>'
    )
    assert len(tier_fills.findall(after)) == 1
    assert tier_fills.sub(b"", outside_sheet_data(after)) == outside_sheet_data(before)
    root = re.compile(rb"<(\w+:)?worksheet\b[^>]*>")
    assert root.search(after).group(0) == root.search(before).group(0)  # type: ignore[union-attr]


def test_libreoffice_reads_the_values_sync_wrote(workbook: Path, tmp_path: Path) -> None:
    run_sync(workbook)
    sheets = csv_of_every_sheet(workbook, tmp_path / "read")
    register = sheets[REGISTER].splitlines()
    assert register[1].split(",")[5] == "问题"
    assert "不是有效的 CN 电话号码" in register[3]  # C002 typed 12345
    assert "日期不存在" in register[4]  # C003 born on 31 February
    assert register[2].split(",")[5] == ""  # C001 is clean
    problems = sheets["问题"].splitlines()
    assert problems[0] == "工作表,单元格,列名,填写内容,问题,级别"
    assert "客户,C4,电话,12345,不是有效的 CN 电话号码" in sheets["问题"]
    assert sheets["Notas"].splitlines()[0] == "Lo que sea,42"


def test_what_sync_writes_keeps_the_rules_excel_enforces(workbook: Path) -> None:
    assert problems_of(workbook) == []  # the input itself is sound
    sdk_before = sdk_errors(workbook)
    run_sync(workbook)
    assert_sync_kept_it_valid(workbook, sdk_before)


def test_a_second_sync_changes_no_byte(workbook: Path) -> None:
    run_sync(workbook)
    first = workbook.read_bytes()
    report = run_sync(workbook)
    assert report.result is not None and not report.result.changed
    assert workbook.read_bytes() == first


def test_openpyxl_still_opens_it(workbook: Path) -> None:
    run_sync(workbook)
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[-7:] == [
        *("问题", "A类客户", "B类客户", "C类客户", "D类客户", "发送记录", "等级变更记录")
    ]
    assert book[REGISTER]["F2"].value == "问题"
    assert book[REGISTER]["B3"].comment is not None
