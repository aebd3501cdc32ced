"""Property: whatever staff type, sync does not crash and changes no cell it does not own."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetcrm import sync
from sheetcrm.settings import load_settings

HEADER = ["Customer ID", "Name", "Phone", "E-mail", "Birthday", "Status", "Notes"]

cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["=1+1", "+34 612 345 678", "12345", "8万", "05/03/1980", "lost", "是"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
)
row = st.lists(cell, min_size=len(HEADER), max_size=len(HEADER))


def write_book(path: Path, rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Customers")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()


def read_values(path: Path) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    values: list[list[object]] = book.get_sheet_by_name("Customers").to_python(
        skip_empty_area=False
    )
    return values


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=12))
def test_sync_changes_no_cell_it_does_not_own(rows: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "crm.xlsx"
        write_book(book, rows)
        before = read_values(book)
        config = Path(tmp) / "settings.yaml"
        config.write_text("workbook: crm.xlsx\ndates: {day_first: true}\n", "utf-8")
        sync.run(load_settings(config), today=dt.date(2027, 2, 1))
        after = read_values(book)
        problems_col = after[0].index("Problems") if "Problems" in after[0] else None
        width = len(HEADER)
        assert len(after) >= len(before)
        for r, original in enumerate(before):
            kept = [v for c, v in enumerate(after[r][:width]) if c != problems_col]
            assert kept == [v for c, v in enumerate(original[:width]) if c != problems_col]
