"""The register, the contact log and the orders are checked column by column, and only the
rows where a check finds something are taken row by row. Whatever the mix of clean and bad
rows, that gives the records and the problems, in the same order, that checking every row
one by one gives."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue
from sheetcrm.rules import rows
from sheetcrm.rules.layout import find_layout
from sheetcrm.rules.rows import (
    ParseOptions,
    RowReader,
    Table,
    _mostly_distinct,
    _parse_distinct,
    _parse_each,
    parsers_for,
)
from sheetcrm.rules.validate import (
    SheetInput,
    Validated,
    validate_log,
    validate_orders,
    validate_register,
)
from sheetcrm.schema import FieldType, SheetKind
from sheetcrm.vocabulary import Calendar
from tests.test_validate import validate_sheets

TODAY = dt.date(2027, 2, 1)
DAY = dt.date(2027, 1, 5)
OPTIONS = ParseOptions(phone_region="CN", day_first=True, decimal_comma=False, today=TODAY)

# The register, with each kind of row a register holds, clean ones between.
CUSTOMERS: list[list[CellValue]] = [
    ["客户编号", "姓名", "电话", "生日", "负责人"],
    ["C001", "王芳", "138 0013 8000", dt.date(1985, 3, 8), "李明"],
    ["C002", "José Martínez", "+34 612 345 678", None, "付超"],
    ["C003", None, None, None, None],  # no name
    ["C004", "赵六", "12345", None, None],  # a phone nobody can dial
    [None, "没有编号", None, None, None],  # no id
    ["C001", "王芳二", None, None, "李明"],  # the id of an earlier customer
    ["C005", "钱七", None, "农历三月初八", None],  # a lunar birthday
    ["C006", "孙八", None, dt.date(2030, 1, 1), None],  # born after today
    ["C007", "周九", None, None, "张三"],  # an owner not on the Staff sheet
    ["C008", "吴十", None, "31/02/1985", None],  # an impossible date
    ["C009", "郑十一", None, None, "李明"],  # an error value for a name (below)
    ["C002", None, None, dt.date(2031, 1, 1), "张三"],  # all of it at once, and a repeat
    ["C010", "冯十二", None, None, None],  # an error value for an id (below)
    ["C011", "陈十三", "139 0013 9001", dt.date(1990, 12, 1), "付超"],
]
CUSTOMER_ERRORS = {(11, 1): "#N/A", (13, 0): "#REF!"}
STAFF = [["姓名", "在职"], ["李明", "是"], ["付超", "是"]]

# The log's "what" and "how" columns, with each kind of row a log holds, clean ones between.
LOG: list[list[CellValue]] = [
    ["日期", "客户编号", "电话", "类型", "方式", "员工", "备注"],
    [DAY, "C001", None, "拜访", None, "李明", "送货"],
    [DAY, None, "138 0013 8000", "电话", None, "李明", None],  # found by phone [004]
    [DAY, None, "139 0013 9000", "电话", None, None, None],  # the phone of nobody
    [DAY, "C999", None, "拜访", None, "李明", None],  # an unknown customer
    [None, "C001", None, "拜访", None, "李明", None],  # no date
    ["31/02/2027", "C002", None, "拜访", None, None, None],  # an impossible date
    [DAY, "C001", None, "跳舞", None, None, None],  # a word nobody knows
    [DAY, "C002", None, None, None, None, None],  # no type at all
    [DAY, "C002", None, None, "微信", None, "只有方式"],  # the "how" alone
    [DAY, "C001", None, "电话", "投诉", "付超", "投诉写在方式里"],  # the purpose in "how"
    [DAY, "C002", None, "拜访", None, "张三", None],  # not on the Staff sheet
    [DAY, None, None, "拜访", None, None, None],  # no id, no phone
    [DAY, "C001", None, "拜访", None, "李明", "=公式"],  # an error value (below)
    [dt.date(2027, 1, 6), "C002", None, "微信", None, "付超", None],
    [dt.date(2027, 1, 7), "C001", None, "拜访", None, None, None],
    [DAY, None, "不知道", "电话", None, None, None],  # no id, and a phone nobody can dial
    [DAY, None, "+34 612 345 678", "微信", None, "付超", None],  # found by phone again
]
LOG_ERRORS = {(13, 0): "#REF!"}

ORDERS: list[list[CellValue]] = [
    ["日期", "客户编号", "金额", "订单号", "销售员"],
    [DAY, "C001", 100, "O1", "李明"],
    [DAY, "C404", 100, "O2", "李明"],  # an unknown customer
    [DAY, "C001", "八万五千", "O3", None],  # Chinese numerals
    [DAY, "C001", "lots", "O4", None],  # unreadable
    [DAY, "C001", None, "O5", None],  # no amount
    [dt.date(2027, 3, 1), "C002", 10, "O6", None],  # after today
    [DAY, "C002", -10, "O7", None],  # negative
    [DAY, "C002", 30, "O1", None],  # the id of an earlier order
    [DAY, "C002", 40, None, "张三"],  # no order id; not on the Staff sheet
    [None, None, None, "O9", None],  # an id alone
    [DAY, "C001", None, "O10", "付超"],  # a formula with no result (below)
    [DAY, "C002", 60, "O11", None],
]
ORDER_FORMULAS = frozenset({(11, 2)})


def _sheets() -> dict[SheetKind, RawSheet]:
    return {
        SheetKind.CUSTOMERS: RawSheet("客户", CUSTOMERS, errors=CUSTOMER_ERRORS),
        SheetKind.STAFF: RawSheet("员工", STAFF),
        SheetKind.VISITS: RawSheet("拜访记录", LOG, errors=LOG_ERRORS),
        SheetKind.ORDERS: RawSheet("订单", ORDERS, formulas=ORDER_FORMULAS),
    }


def _validate() -> Validated:
    return validate_sheets(_sheets(), OPTIONS)


def _inputs() -> dict[SheetKind, SheetInput]:
    return {kind: SheetInput(sheet, find_layout(sheet, kind)) for kind, sheet in _sheets().items()}


@pytest.mark.parametrize("row_by_row", [False, True], ids=["column by column", "row by row"])
def test_problems_only_reports_what_the_records_run_reports(
    monkeypatch: pytest.MonkeyPatch, row_by_row: bool
) -> None:
    """check validates the log and the orders without making their records: the same
    problems in the same order, and no record."""
    if row_by_row:
        _row_by_row(monkeypatch)
    register = validate_register(_inputs(), OPTIONS)
    for check in (validate_log, validate_orders):
        full = check(_inputs(), OPTIONS, register)
        quick = check(_inputs(), OPTIONS, register, records=False)
        assert (quick.problems, quick.rows_read) == (full.problems, full.rows_read)
        assert full.problems and full.records and not quick.records


def _row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row flagged: each goes through the row-by-row checks."""
    table = RowReader.table

    def every_row_flagged(self: RowReader) -> Table:
        found = table(self)
        return Table(found.rows, found.parsed, frozenset(range(len(found))))

    monkeypatch.setattr(RowReader, "table", every_row_flagged)


def test_the_register_the_log_and_the_orders_say_what_is_wrong() -> None:
    by_column = _validate()
    found = {(p.sheet, p.cell, p.code) for p in by_column.problems}
    assert {
        ("客户", "B4", "required.missing"),
        ("客户", "C5", "phone.invalid"),
        ("客户", "B6", "row.no_id"),  # at its first filled cell
        ("客户", "A2", "customer.duplicate_id"),
        ("客户", "A7", "customer.duplicate_id"),
        ("客户", "D9", "date.in_future"),
        ("客户", "E10", "ref.unknown_staff"),
        ("客户", "D11", "date.impossible"),
        ("客户", "B12", "cell.error_value"),
        ("客户", "A14", "cell.error_value"),
        ("客户", "B13", "required.missing"),
        ("客户", "D13", "date.in_future"),
        ("客户", "E13", "ref.unknown_staff"),
        ("拜访记录", "C4", "ref.unknown_phone"),
        ("拜访记录", "B5", "ref.unknown_customer"),
        ("拜访记录", "A6", "required.missing"),
        ("拜访记录", "A7", "date.impossible"),
        ("拜访记录", "D8", "enum.unknown_word"),
        ("拜访记录", "D9", "required.missing"),
        ("拜访记录", "F12", "ref.unknown_staff"),
        ("拜访记录", "B13", "ref.no_customer"),
        ("拜访记录", "A14", "cell.error_value"),
        ("拜访记录", "C17", "phone.not_a_number"),
        ("订单", "B3", "ref.unknown_customer"),
        ("订单", "C5", "amount.unreadable"),
        ("订单", "C6", "required.missing"),
        ("订单", "A7", "date.in_future"),
        ("订单", "C8", "amount.negative"),
        ("订单", "D9", "order.duplicate_id"),
        ("订单", "E10", "ref.unknown_staff"),
        ("订单", "C12", "cell.formula_no_result"),
    } <= found
    customers = {c.row: c for c in by_column.customers}
    assert sorted(customers) == [1, 2, 3, 4, 7, 8, 9, 10, 11, 14]  # not the repeats, nor C010
    assert customers[7].birthday_calendar is Calendar.LUNAR and customers[8].birthday is None
    assert customers[11].name == ""  # its name an error: the customer kept, the name not
    linked = {c.row: c.customer_id for c in by_column.contacts}
    assert (linked[2], linked[17]) == ("C001", "C002")  # by phone
    complaint = next(c for c in by_column.contacts if c.row == 10)
    assert (complaint.type.value, complaint.channel and complaint.channel.value) == (
        "complaint",
        "call",
    )


def test_column_by_column_gives_what_row_by_row_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    by_column = _validate()
    _row_by_row(monkeypatch)
    one_by_one = _validate()
    assert by_column.customers == one_by_one.customers
    assert by_column.contacts == one_by_one.contacts
    assert by_column.orders == one_by_one.orders
    assert by_column.problems == one_by_one.problems
    assert by_column.rows_read == one_by_one.rows_read
    assert len(by_column.contacts) > 5 and len(by_column.orders) > 5


def _distinct_ids(n: int) -> list[CellValue]:
    """A column of ids, each its own, with what staff leave in one: blanks, a cell of
    spaces, a fraction, a date, a repeat."""
    cells: list[CellValue] = [f"C{i:06d}" for i in range(n)]
    cells[10], cells[11], cells[12] = "", None, "   "
    cells[20], cells[21], cells[22] = 17.5, dt.date(2027, 1, 1), cells[5]
    return cells


def _distinct_names(n: int) -> list[CellValue]:
    cells: list[CellValue] = [f"客户{i}" for i in range(n)]
    cells[7] = "很长的名字" * 100  # over the cap: a warning, its start kept
    cells[8] = ""
    return cells


def _distinct_amounts(n: int) -> list[CellValue]:
    cells: list[CellValue] = [1000 + i * 0.5 for i in range(n)]
    cells[3], cells[4], cells[5] = "八万五千", "lots", 1000  # 1000 == 1000.0: read alike
    cells[6], cells[7] = "   ", None  # a cell of spaces is blank in a column of numbers
    return cells


@pytest.mark.parametrize(
    ("name", "field_type", "cells"),
    [
        ("order_id", FieldType.ID, _distinct_ids(3_000)),
        ("name", FieldType.TEXT, _distinct_names(3_000)),
        ("amount", FieldType.AMOUNT, _distinct_amounts(3_000)),
    ],
    ids=["ids", "names", "amounts"],
)
def test_a_column_of_distinct_values_reads_cell_by_cell_as_it_reads_by_distinct_value(
    name: str, field_type: FieldType, cells: list[CellValue]
) -> None:
    parse = parsers_for(OPTIONS)[field_type]
    words = field_type not in (FieldType.ID, FieldType.TEXT)
    assert _mostly_distinct(cells)
    each = _parse_each(name, cells, parse, words)
    once = _parse_distinct(name, cells, parse, words)
    assert each.values == once.values
    assert sorted(each.special) == sorted(once.special) and each.special
    assert (each.blanks == 0, each.blanks == each.distinct) == (
        once.blanks == 0,
        once.blanks == once.distinct,
    )


def _amounts_and_an_infinity(n: int) -> list[CellValue]:
    cells = _distinct_amounts(n)
    cells[2_500] = math.inf  # a number, but no amount: the guard of a block taken as it is
    return cells


@pytest.mark.parametrize(
    ("name", "field_type", "exact", "cells", "in_blocks"),
    [
        ("order_id", FieldType.ID, True, _distinct_ids(3_000), True),
        ("amount", FieldType.AMOUNT, False, _amounts_and_an_infinity(3_000), True),
        ("amount", FieldType.AMOUNT, True, _amounts_and_an_infinity(3_000), False),  # Decimals
    ],
    ids=["ids", "amounts without Decimals (check)", "amounts as Decimals (sync)"],
)
def test_blocks_of_cells_that_read_as_themselves_read_as_cell_by_cell(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    field_type: FieldType,
    exact: bool,
    cells: list[CellValue],
    in_blocks: bool,
) -> None:
    # Three blocks of cells: odd ones in the first (and an infinity in the last), the rest clean.
    parse = parsers_for(replace(OPTIONS, exact_amounts=exact))[field_type]
    words = field_type is not FieldType.ID
    # Blocks are taken as they are only with a parser _AS_IS knows (by identity): were it not
    # found, the comparison below would hold without testing anything.
    assert (getattr(parse, "func", parse) in rows._AS_IS) is in_blocks
    taken = [read(name, cells, parse, words) for read in (_parse_each, _parse_distinct)]
    monkeypatch.setattr(rows, "_AS_IS", {})
    parsed = [read(name, cells, parse, words) for read in (_parse_each, _parse_distinct)]
    for by_blocks, cell_by_cell in zip(taken, parsed, strict=True):
        assert by_blocks.values == cell_by_cell.values
        assert list(map(type, by_blocks.values)) == list(map(type, cell_by_cell.values))
        assert by_blocks.special == cell_by_cell.special and by_blocks.special
        assert (by_blocks.distinct, by_blocks.blanks) == (
            cell_by_cell.distinct,
            cell_by_cell.blanks,
        )


# A first field holding each kind of value, with and without something typed further on.
FIRST_CELLS: list[CellValue] = [DAY, "C001", "", None, "   ", "\u3000", 0.0, False, "\t\n"]


def test_the_rows_kept_are_those_with_something_staff_typed() -> None:
    # _record_rows keeps a row whose first field is filled without asking _blank: the rows
    # it keeps are still those _blank finds something typed in.
    rows: list[tuple[CellValue, ...]] = [tuple(LOG[0])]
    for first in FIRST_CELLS:
        rows += [
            (first,),  # a short row
            (first, None, None, None, None, None, None),
            (first, "", "  ", None, None, None, "备注"),
            (first, "C002", None, None, None, None, None),
        ]
    errors = {(len(rows) - 3, 3): "#N/A"}  # an error value in a row otherwise blank
    sheet = RawSheet("拜访记录", rows, errors=errors)
    reader = RowReader(sheet, find_layout(sheet, SheetKind.VISITS), OPTIONS)
    kept = reader._record_rows()
    assert kept == [r for r in range(1, len(rows)) if not reader._blank(r, rows[r])]
    # Four firsts filled (a day, an id, 0 and False: every row kept), five blank (the rows
    # with a note or an id kept), and the row with an error value.
    assert len(kept) == 4 * 4 + 5 * 2 + 1


def test_a_repeating_column_reads_a_value_from_its_last_cell() -> None:
    # 0.0 and -0.0 are one key of a repeating column, and two Decimals: the last one read.
    cells: list[CellValue] = [0.0, 5.0, -0.0] * 1_000
    parse = parsers_for(OPTIONS)[FieldType.AMOUNT]
    column = _parse_distinct("amount", cells, parse, True)
    assert {str(v) for v in column.values[::3]} == {str(parse(-0.0))} == {"-0.0"}
