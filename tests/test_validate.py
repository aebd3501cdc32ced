"""Validation: every bad cell becomes a precise problem, and nothing else is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pytest

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue
from sheetcrm.rules.layout import find_layout
from sheetcrm.rules.rows import ParseOptions
from sheetcrm.rules.validate import SheetInput, Validated, validate
from sheetcrm.schema import SheetKind

TODAY = dt.date(2027, 2, 1)
OPTIONS = ParseOptions(phone_region="CN", day_first=True, decimal_comma=False, today=TODAY)

CUSTOMERS = ["客户编号", "姓名", "电话", "负责人", "生日"]
VISITS = ["日期", "客户编号", "电话", "类型", "员工"]
ORDERS = ["日期", "客户编号", "金额"]
STAFF = ["姓名", "在职"]

GOOD_CUSTOMERS: list[list[CellValue]] = [
    ["C001", "王芳", "138 0013 8000", "李明", dt.date(1980, 3, 5)],
    ["C002", "José Martínez", "+34 612 345 678", "李明", None],
]


def workbook(
    customers: list[list[CellValue]] | None = None,
    visits: list[list[CellValue]] | None = None,
    orders: list[list[CellValue]] | None = None,
    staff: list[list[CellValue]] | None = None,
    errors: dict[tuple[int, int], str] | None = None,
    formulas: frozenset[tuple[int, int]] = frozenset(),
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (),
) -> Validated:
    """Validate a workbook of the given rows; errors/formulas/merged apply to the register."""
    sheets = {
        SheetKind.CUSTOMERS: RawSheet(
            "客户", [CUSTOMERS, *(customers or GOOD_CUSTOMERS)], formulas, errors or {}, merged
        ),
        SheetKind.VISITS: RawSheet("拜访记录", [VISITS, *(visits or [])]),
        SheetKind.ORDERS: RawSheet("订单", [ORDERS, *(orders or [])]),
        SheetKind.STAFF: RawSheet("员工", [STAFF, *(staff or [["李明", "是"]])]),
    }
    return validate_sheets(sheets, OPTIONS)


def validate_sheets(sheets: Mapping[SheetKind, RawSheet], options: ParseOptions) -> Validated:
    """Validate sheets as sync does, each with the layout found in it."""
    inputs = {}
    for kind, sheet in sheets.items():
        layout = find_layout(sheet, kind)
        assert layout is not None
        inputs[kind] = SheetInput(sheet, layout)
    return validate(inputs, options)


def codes(result: Validated) -> list[tuple[str, str, str]]:
    return [(p.sheet, p.cell, p.code) for p in result.problems]


def test_a_clean_workbook_has_no_problems() -> None:
    result = workbook(
        visits=[[dt.date(2027, 1, 5), "C001", None, "拜访", "李明"]],
        orders=[[dt.date(2027, 1, 6), "C002", "¥80,000"]],
    )
    assert result.problems == ()
    assert [c.id for c in result.customers] == ["C001", "C002"]
    assert result.customers[0].phone == "+8613800138000"
    assert result.orders[0].amount == Decimal(80000)
    assert result.rows_read == {"员工": 1, "客户": 2, "拜访记录": 1, "订单": 1}


@pytest.mark.parametrize(
    ("customers", "expected"),
    [
        (
            [["C001", "王芳", "12345", "李明", None]],
            [("客户", "C2", "phone.invalid")],
        ),
        (
            [["C001", "王芳", None, "李明", None], ["C001", "王军", None, "李明", None]],
            [("客户", "A2", "customer.duplicate_id"), ("客户", "A3", "customer.duplicate_id")],
        ),
        (
            [["C001", None, None, "李明", None]],
            [("客户", "B2", "required.missing")],
        ),
        (
            [["C001", "王芳", None, "张伟", None]],
            [("客户", "D2", "ref.unknown_staff")],
        ),
        (
            [["C001", "王芳", None, "李明", dt.date(2030, 1, 1)]],
            [("客户", "E2", "date.in_future")],
        ),
        (
            [
                ["C001", "王芳", None, None, None],
                [None, None, None, None, None],
                [None, "合计", None, None, None],
            ],
            [("客户", "B4", "row.no_id")],
        ),
    ],
    ids=[
        "bad phone",
        "duplicate customer id",
        "name missing",
        "owner not on staff list",
        "birthday in the future",
        "blank row skipped, total row reported",
    ],
)
def test_register_problems(customers: list[list[CellValue]], expected: list[object]) -> None:
    assert codes(workbook(customers=customers)) == expected


def test_a_customer_with_a_bad_phone_is_still_a_customer() -> None:
    result = workbook(customers=[["C001", "王芳", "12345", "李明", None]])
    assert [(c.id, c.name, c.phone) for c in result.customers] == [("C001", "王芳", None)]


def test_a_duplicate_id_keeps_the_first_customer() -> None:
    result = workbook(
        customers=[["C001", "王芳", None, None, None], ["C001", "王军", None, None, None]]
    )
    assert [c.name for c in result.customers] == ["王芳"]
    assert "2, 3" in result.problems[0].message("en")


@pytest.mark.parametrize(
    ("visit", "expected", "linked"),
    [
        (
            [dt.date(2027, 1, 5), "C009", None, "电话", "李明"],
            [("拜访记录", "B2", "ref.unknown_customer")],
            None,
        ),
        ([dt.date(2027, 1, 5), None, "13800138000", "电话", "李明"], [], "C001"),
        (
            [dt.date(2027, 1, 5), None, "13900139000", "电话", "李明"],
            [("拜访记录", "C2", "ref.unknown_phone")],
            None,
        ),
        (
            [dt.date(2027, 1, 5), None, None, "电话", "李明"],
            [("拜访记录", "B2", "ref.no_customer")],
            None,
        ),
        (
            ["31/02/2027", "C001", None, "电话", "李明"],
            [("拜访记录", "A2", "date.impossible")],
            None,
        ),
        (
            [dt.date(2027, 1, 5), "C001", None, "飞鸽传书", "李明"],
            [("拜访记录", "D2", "enum.unknown_word")],
            None,
        ),
        (
            [dt.date(2027, 1, 5), "C001", None, "queja", "Pedro"],
            [("拜访记录", "E2", "ref.unknown_staff")],
            "C001",
        ),
    ],
    ids=[
        "unknown customer id",
        "found by phone number [004]",
        "phone of nobody",
        "no id and no phone",
        "impossible date",
        "unknown contact type",
        "unknown staff, Spanish type word",
    ],
)
def test_contact_log_problems(
    visit: list[CellValue], expected: list[object], linked: str | None
) -> None:
    result = workbook(visits=[visit])
    assert codes(result) == expected
    assert [c.customer_id for c in result.contacts] == ([linked] if linked else [])


@pytest.mark.parametrize(
    ("order", "expected", "kept"),
    [
        ([dt.date(2027, 1, 6), "C404", 100], [("订单", "B2", "ref.unknown_customer")], False),
        ([dt.date(2027, 1, 6), "C001", "八万五千"], [], True),
        ([dt.date(2027, 1, 6), "C001", "lots"], [("订单", "C2", "amount.unreadable")], False),
        ([dt.date(2027, 1, 6), "C001", None], [("订单", "C2", "required.missing")], False),
        ([dt.date(2027, 3, 1), "C001", 10], [("订单", "A2", "date.in_future")], True),
        ([dt.date(2027, 1, 6), "C001", -10], [("订单", "C2", "amount.negative")], True),
    ],
    ids=[
        "order of an unknown customer",
        "amount in Chinese numerals",
        "amount unreadable",
        "amount missing",
        "order dated after today",
        "negative amount",
    ],
)
def test_order_problems(order: list[CellValue], expected: list[object], kept: bool) -> None:
    result = workbook(orders=[order])
    assert codes(result) == expected
    assert len(result.orders) == (1 if kept else 0)


def test_error_values_and_formulas_without_results_are_reported() -> None:
    result = workbook(
        customers=[["C001", "王芳", "", "李明", None], ["C002", "", None, "李明", None]],
        errors={(1, 2): "#N/A"},
        formulas=frozenset({(2, 1)}),
    )
    assert codes(result) == [
        ("客户", "C2", "cell.error_value"),
        ("客户", "B3", "cell.formula_no_result"),
    ]
    assert "#N/A" in result.problems[0].message("en")


def test_merged_cells_in_the_data_are_a_warning() -> None:
    result = workbook(merged=(((1, 1), (2, 1)),))
    assert codes(result) == [("客户", "B2", "cell.merged")]
    assert "B2:B3" in result.problems[0].message("en")


@pytest.mark.parametrize("language", ["en", "zh-Hans", "zh-Hant", "es"])
def test_messages_exist_in_every_language(language: str) -> None:
    result = workbook(
        customers=[["C001", "王芳", "12345", "张伟", None], ["C001", None, None, None, None]],
        visits=[[dt.date(2027, 1, 5), "C404", None, "电话", "李明"]],
    )
    assert result.problems
    for p in result.problems:
        assert p.message(language).strip()


@pytest.mark.parametrize(
    ("kind", "record"),
    [
        (SheetKind.CUSTOMERS, "Customer"),
        (SheetKind.VISITS, "Contact"),
        (SheetKind.ORDERS, "Order"),
        (SheetKind.STAFF, "StaffMember"),
    ],
)
def test_every_column_of_a_sheet_is_a_field_of_its_record(kind: SheetKind, record: str) -> None:
    import dataclasses

    from sheetcrm import records
    from sheetcrm.schema import FIELDS

    names = {f.name for f in dataclasses.fields(getattr(records, record))}
    assert {f.name for f in FIELDS[kind]} <= names


@pytest.mark.parametrize(
    ("numbers", "kept", "reported"),
    [
        (["D001", "D002", "D003"], [1, 2, 3], []),
        (["D001", "D002", "D001"], [1, 2], ["D2", "D4"]),
        (["D001", None, None], [1, 2, 3], []),  # orders without a number are not repeats
    ],
    ids=["every number once", "a number twice", "no number"],
)
def test_a_clean_order_list_keeps_the_first_of_a_repeated_order_number(
    numbers: list[str | None], kept: list[int], reported: list[str]
) -> None:
    # Nothing else is wrong with these orders: the whole list is taken at once.
    orders = [
        [dt.date(2027, 1, day), "C001", 100 * day, number]
        for day, number in enumerate(numbers, start=1)
    ]
    sheets = {
        SheetKind.CUSTOMERS: RawSheet("客户", [CUSTOMERS, *GOOD_CUSTOMERS]),
        SheetKind.ORDERS: RawSheet("订单", [[*ORDERS, "订单号"], *orders]),
        SheetKind.STAFF: RawSheet("员工", [STAFF, ["李明", "是"]]),
    }
    validated = validate_sheets(sheets, OPTIONS)
    assert [o.row for o in validated.orders] == kept
    assert [p.cell for p in validated.problems if p.code == "order.duplicate_id"] == reported
    assert [p.code for p in validated.problems if p.code != "order.duplicate_id"] == []
