"""The problem report: one problems cell per row key, fixed rows cleared, a capped sheet."""

from __future__ import annotations

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue
from sheetcrm.plan import CellWrite
from sheetcrm.problems import Problem, Severity
from sheetcrm.rowkeys import fingerprint
from sheetcrm.rules.layout import find_layout
from sheetcrm.rules.problem_report import problem_column_writes, problems_sheet
from sheetcrm.schema import SheetKind


def problem(row: int, cell: str, code: str = "required.missing", header: str = "姓名") -> Problem:
    return Problem("客户", cell, "", code, header=header, row=row)


def register(*rows: list[CellValue]) -> RawSheet:
    return RawSheet("客户", [["客户编号", "姓名", "问题"], *[list(r) for r in rows]])


def test_problems_go_to_the_row_of_their_customer_id_in_the_report_language() -> None:
    sheet = register(["C1", "", ""], ["C2", "王芳", ""])
    layout = find_layout(sheet, SheetKind.CUSTOMERS)
    assert layout is not None
    writes = problem_column_writes(sheet, layout, [problem(1, "B2")], "en")
    assert writes.key_header == "客户编号" and writes.anchor == "客户编号"
    assert writes.cells == (CellWrite("C1", "问题", "姓名: this row needs a value here"),)


def test_a_row_whose_problems_were_fixed_is_cleared() -> None:
    sheet = register(["C1", "王芳", "姓名: 此行这一项不能为空"], ["C2", "李明", ""])
    layout = find_layout(sheet, SheetKind.CUSTOMERS)
    assert layout is not None
    writes = problem_column_writes(sheet, layout, [], "zh-Hans")
    assert writes.cells == (CellWrite("C1", "问题", ""),)


def test_rows_of_the_contact_log_are_keyed_by_their_content() -> None:
    sheet = RawSheet("拜访记录", [["日期", "类型"], ["2027-01-05", "飞鸽"], ["2027-01-06", "电话"]])
    layout = find_layout(sheet, SheetKind.VISITS)
    assert layout is not None
    bad = Problem(
        "拜访记录", "B2", "飞鸽", "enum.unknown", (("expected", "visit"),), header="类型", row=1
    )
    writes = problem_column_writes(sheet, layout, [bad], "en")
    assert writes.key_header is None
    assert [c.key for c in writes.cells] == [fingerprint(sheet.rows[1])]


def test_the_problems_sheet_lists_in_workbook_order_and_is_capped() -> None:
    problems = [
        Problem("订单", "C2", "x", "amount.unreadable", row=1),
        Problem("客户", "B3", "", "required.missing", row=2, header="姓名"),
        Problem("客户", "AA2", "", "required.missing", row=1, header="备注"),
        Problem("客户", "B2", "", "required.missing", row=1, severity=Severity.WARNING),
    ]
    sheet = problems_sheet("问题", problems, "zh-Hans", {"客户": 0, "订单": 1}, limit=3)
    assert sheet.header == ("工作表", "单元格", "列名", "填写内容", "问题", "级别")
    assert [row[:2] for row in sheet.rows[:3]] == [("客户", "B2"), ("客户", "AA2"), ("客户", "B3")]
    assert sheet.rows[0][5] == "提醒"
    assert sheet.rows[-1][4] == "……另有 1 个问题未列出"
