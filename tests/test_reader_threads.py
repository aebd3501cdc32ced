"""The read parses two sheets at once but turns one sheet at a time into Python values.

Two conversions side by side only take turns on the interpreter's lock, while both sheets'
parsed cells stay alive: with 100,000 customers that alone decided whether the read peaked
at 1.4 or 1.6 GB. Here calamine's sheets are wrapped so that a conversion pauses (as the
interpreter switches threads) and every conversion in progress is counted.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import python_calamine
import xlsxwriter

from sheetcrm.excel import reader
from sheetcrm.excel.package import Package

SHEETS = {"Customers": 300, "Contacts log": 900, "Orders": 600, "Staff": 5}


def four_sheets(path: Path) -> Path:
    """A workbook of four sheets made by xlsxwriter (shared strings, typed dates)."""
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in SHEETS.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["ID", "Name", "Amount", "Date"])
        for r in range(1, rows + 1):
            sheet.write_row(r, 0, [f"{name[0]}{r:05d}", f"name {r % 37}", r * 1.5])
            sheet.write_datetime(r, 3, dt.datetime(2026, 1, 1 + r % 28), day)
    book.close()
    return path


class Watch:
    """How many sheets are being converted at once, at most."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0

    def rows(self, sheet: Any) -> Iterator[list[Any]]:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            for i, row in enumerate(sheet.iter_rows()):
                if i % 100 == 0:
                    time.sleep(0.005)  # lets any other thread convert meanwhile
                yield row
        finally:
            with self.lock:
                self.now -= 1


class WatchedSheet:
    def __init__(self, sheet: Any, watch: Watch) -> None:
        self._sheet, self._watch = sheet, watch
        self.start, self.merged_cell_ranges = sheet.start, sheet.merged_cell_ranges

    def iter_rows(self) -> Iterator[list[Any]]:
        return self._watch.rows(self._sheet)


def watched_calamine(watch: Watch) -> SimpleNamespace:
    class Workbook:
        def __init__(self, book: Any) -> None:
            self._book = book

        @classmethod
        def from_path(cls, path: str) -> Workbook:
            return cls(python_calamine.CalamineWorkbook.from_path(path))

        def get_sheet_by_name(self, name: str) -> WatchedSheet:
            time.sleep(0.01)  # every sheet parsed before the first conversion ends
            return WatchedSheet(self._book.get_sheet_by_name(name), watch)

    return SimpleNamespace(
        CalamineWorkbook=Workbook,
        PasswordError=python_calamine.PasswordError,
        CalamineError=python_calamine.CalamineError,
    )


def test_two_sheets_are_never_converted_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    with Package(path) as package:
        expected = reader.read_snapshot(package)
    watch = Watch()
    monkeypatch.setattr(reader, "python_calamine", watched_calamine(watch))
    with Package(path) as package:
        snapshot = reader.read_snapshot(package)
    assert watch.most == 1
    assert {n: s.rows for n, s in snapshot.sheets.items()} == {
        n: s.rows for n, s in expected.sheets.items()
    }
    assert {n: len(s.rows) for n, s in snapshot.sheets.items()} == {
        n: rows + 1 for n, rows in SHEETS.items()
    }
