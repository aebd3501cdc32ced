"""A sheet's rows as the reader keeps them: the values calamine gave, each text, day and
whole number kept once, a key column (order numbers) left as it is."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetcrm.excel import sheet_rows as rows_module
from sheetcrm.excel.sheet_rows import SharedValues, key_columns, sheet_rows

DAY = dt.date(2027, 1, 5)


def _orders(n: int) -> list[list[object]]:
    """An order list: a number per order, a repeating customer, day and whole price, a
    fraction, a blank, and TRUE / 1.0 / FALSE / 0.0, which are equal and must stay apart."""
    head: list[object] = ["订单号", "客户编号", "日期", "金额", "利润", "备注", "已付"]
    flags: list[object] = [True, 1.0, False, 0.0]
    return [head] + [
        [f"O{i:06d}", f"C{i % 7:03d}", DAY, 1280.0, 0.1 * i, "", flags[i % 4]] for i in range(n)
    ]


def _one_by_one(rows: list[list[object]], pad: int = 0) -> list[tuple[object, ...]]:
    shared = SharedValues()
    return [(*[""] * pad, *map(shared.__getitem__, row)) for row in rows]


@pytest.mark.parametrize("n", [1, 5, 4095, 4096, 9000])
@pytest.mark.parametrize("pad", [0, 2])
def test_the_rows_are_the_values_calamine_gave_and_of_the_same_kind(n: int, pad: int) -> None:
    rows = _orders(n)
    got = sheet_rows(iter(rows), pad, SharedValues())
    assert got == _one_by_one(rows, pad)
    assert [tuple(map(type, r)) for r in got] == [
        tuple(map(type, r)) for r in _one_by_one(rows, pad)
    ]
    assert all(type(r) is tuple for r in got)


def test_texts_days_and_whole_numbers_are_kept_once_and_order_numbers_as_they_are() -> None:
    rows = _orders(9000)
    numbers = [row[0] for row in rows[1:]]
    shared = SharedValues()
    got = sheet_rows(iter(rows), 0, shared)
    assert all(r[0] is n for r, n in zip(got[1:], numbers, strict=True))  # not copied
    assert not any(isinstance(v, str) and v.startswith("O0") for v in shared)  # nor kept
    assert len({id(r[1]) for r in got[1:]}) == 7  # seven customers, seven objects
    assert len({id(r[2]) for r in got[1:]}) == 1 and len({id(r[3]) for r in got[1:]}) == 1


def _numbers(header: str, values: list[object]) -> list[list[object]]:
    """A column headed `header`, then 40 rows of `values` over and over."""
    return [[header], *([v] for v in values * 10)]


@pytest.mark.parametrize(
    ("rows", "keys"),
    [
        ([["No.", "Name"], ["O1", "Ana"], ["O2", "Ana"]], [True, False]),
        ([["No.", "Name"], ["O1", ""], ["O2", ""]], [True, False]),  # blanks repeat
        ([["No.", "Note"], ["O1", "late"], ["O2", "paid"]], [True, True]),
        ([["No."]], []),  # a header alone tells nothing
        ([["No.", "Name"], ["O1"]], []),  # rows of different lengths
        (_numbers("Profit", [713.64, 317.12, 713.64, 58.5]), [True]),  # fractions repeat too
        (_numbers("Quantity", [1.0, 2.0, 1.0, 3.0]), [False]),  # whole numbers repeat
        (_numbers("Price", [1200.0, 1600.0, 1200.5, 99.9]), [False]),  # half of them whole
        (_numbers("Profit", [713.64, "", 713.64, 2.5]), [False]),  # blanks repeat too
    ],
    ids=[
        "a repeated name",
        "blank cells",
        "every value new",
        "a header alone",
        "ragged",
        "fractions",
        "whole numbers",
        "prices",
        "fractions and blanks",
    ],
)
def test_a_column_left_as_it_is_has_first_rows_that_all_differ_or_are_fractions(
    rows: list[list[object]], keys: list[bool]
) -> None:
    assert key_columns(rows) == keys


def test_a_batch_of_ragged_rows_is_converted_row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows_module, "SAMPLE", 3)  # the numbers are a key column
    monkeypatch.setattr(rows_module, "BATCH", 2)
    rows: list[list[object]] = [["No.", "Day"], ["O1", DAY], ["O2", DAY], ["O3"], ["O4", DAY, 1.5]]
    assert sheet_rows(iter(rows), 1, SharedValues()) == _one_by_one(rows, 1)
