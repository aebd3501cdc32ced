"""Which owned cells a write plan changes: only those whose value differs from what the
sheet holds, compared as staff read them (1 and 1.0 are one number, a date is the same day
whatever its time of day, a cell of spaces is empty). A dry run lists these cells and the
Excel and Google backends write them, so the rule is the same everywhere."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from sheetcrm.backend import RawSheet
from sheetcrm.cell_changes import changed_cells, find_header_row, owned_columns
from sheetcrm.cells import CellValue
from sheetcrm.plan import CellWrite, OwnedColumn, SheetWrites

DAY = dt.date(2027, 3, 1)

# (what the cell holds, what the plan writes, whether it is a change)
CASES: list[tuple[CellValue, CellValue, bool]] = [
    (None, "A", True),  # a new owned column
    ("", "A", True),
    (None, "", False),  # nothing written into nothing
    ("", None, False),
    (None, "   ", False),  # spaces are nothing too
    ("   ", "", False),
    ("A", "A", False),  # a rerun: the value there already
    ("A", "B", True),
    ("A", "", True),  # cleared
    (3.0, 3, False),  # calamine reads every number as a float
    (3.0, 3.5, True),
    ("12", 12, False),  # typed as text, the same digits
    (dt.datetime(2027, 3, 1, 0, 0), DAY, False),  # a date cell read with its time
    (dt.datetime(2027, 3, 1, 0, 0), DAY + dt.timedelta(days=1), True),
    (DAY, DAY, False),
    (DAY, "2027-03-01", False),  # a date staff typed as text
    (True, True, False),
    (True, False, True),
]


def _sheet(held: CellValue) -> RawSheet:
    return RawSheet(
        "Customers",
        [("ID", "Name", "Tier"), ("C001", "王芳", held), ("C002", "José", "A")],
    )


def _writes(*cells: CellWrite) -> SheetWrites:
    return SheetWrites("Customers", "ID", "ID", (OwnedColumn("Tier"),), cells)


def _changed(sheet: RawSheet, writes: SheetWrites) -> list[tuple[int, int, CellValue]]:
    header_row = find_header_row(sheet, writes.anchor)
    return list(changed_cells(sheet, header_row, owned_columns(sheet, header_row, writes), writes))


@pytest.mark.parametrize(("held", "written", "changes"), CASES)
def test_a_cell_changes_only_when_its_value_does(
    held: CellValue, written: CellValue, changes: bool
) -> None:
    changed = _changed(_sheet(held), _writes(CellWrite("C001", "Tier", written)))
    assert changed == ([(1, 2, written)] if changes else [])


def test_a_new_owned_column_gets_every_value_but_the_blank_ones() -> None:
    sheet = RawSheet(
        "Customers",
        [("ID", "Name"), ("C001", "王芳"), ("C002", "José"), ("C003", "Lucía"), ("C004", "李")],
    )
    writes = SheetWrites(
        "Customers",
        "ID",
        "ID",
        (OwnedColumn("Tier"), OwnedColumn("Next contact", "date"), OwnedColumn("Overdue")),
        (
            CellWrite("C001", "Tier", "A"),
            CellWrite("C001", "Next contact", DAY),
            CellWrite("C002", "Tier", ""),
            CellWrite("C002", "Next contact", DAY),
            CellWrite("C003", "Tier", "  "),  # spaces are blank too
            CellWrite("C003", "Next contact", None),
            CellWrite("C003", "Overdue", 0),  # nought is a value
            CellWrite("C004", "Overdue", False),
        ),
    )
    assert _changed(sheet, writes) == [
        (1, 2, "A"),
        (1, 3, DAY),
        (2, 3, DAY),
        (3, 4, 0),
        (4, 4, False),
    ]


def test_each_row_is_found_by_its_key_whatever_order_the_cells_come_in() -> None:
    sheet = RawSheet(
        "Customers",
        [("ID", "Tier", "Score"), ("C001", "B", 1.0), ("C002", "B", 2.0), ("C003", "B", 3.0)],
    )
    writes = SheetWrites(
        "Customers",
        "ID",
        "ID",
        (OwnedColumn("Tier"), OwnedColumn("Score")),
        (
            CellWrite("C003", "Tier", "A"),
            CellWrite("C001", "Tier", "A"),
            CellWrite("C003", "Score", 9),
            CellWrite("C002", "Tier", "B"),
            CellWrite("C001", "Score", 1),
            CellWrite("C001", "Tier", "C"),
        ),
    )
    assert _changed(sheet, writes) == [(3, 1, "A"), (1, 1, "A"), (3, 2, 9), (1, 1, "C")]


def test_a_key_written_to_every_row_it_names_and_a_key_gone_is_skipped_with_a_word(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sheet = RawSheet(
        "Customers",
        [("ID", "Tier"), ("C001", None), ("C002", None), ("C001", None)],  # C001 twice
    )
    writes = SheetWrites(
        "Customers",
        "ID",
        "ID",
        (OwnedColumn("Tier"),),
        (CellWrite("C001", "Tier", "A"), CellWrite("C404", "Tier", "B")),
    )
    with caplog.at_level(logging.WARNING):
        assert _changed(sheet, writes) == [(1, 1, "A"), (3, 1, "A")]
    assert "no row with key C404 any more" in caplog.text
