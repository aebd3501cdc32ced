"""The read parses two sheets at once but turns one sheet at a time into Python values.

Two conversions side by side only take turns on the interpreter's lock, while both sheets'
parsed cells stay alive: with 100,000 customers that alone decided whether the read peaked
at 1.4 or 1.6 GB. Here calamine's sheets are wrapped so that a conversion pauses (as the
interpreter switches threads) and every conversion in progress is counted.

On a huge workbook the two largest sheets are converted only once both are parsed (the end
of a parse holds the cells twice for a moment, and a conversion under way then decided the
peak): calamine's parse is wrapped so that the order of parses and conversions is seen.

The byte scan waits in its copy until the two largest sheets are parsed, to take a core only
once one is free.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import python_calamine
import xlsxwriter

from sheetcrm.errors import ConfigError, SheetCRMError
from sheetcrm.excel import reader
from sheetcrm.excel.package import Package
from sheetcrm.forked import can_fork

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


def snapshot_of(path: Path) -> Any:
    with Package(path) as package:
        return reader.read_snapshot(package)


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
    expected = snapshot_of(path)
    watch = Watch()
    monkeypatch.setattr(reader, "python_calamine", watched_calamine(watch))
    snapshot = snapshot_of(path)
    assert watch.most == 1
    assert {n: s.rows for n, s in snapshot.sheets.items()} == {
        n: s.rows for n, s in expected.sheets.items()
    }
    assert {n: len(s.rows) for n, s in snapshot.sheets.items()} == {
        n: rows + 1 for n, rows in SHEETS.items()
    }


class Events:
    """What happened to each sheet, in order: its parse's end and its conversion's start."""

    def __init__(
        self,
        slow: str = "",
        refused: str = "",
        *,
        everywhere: bool = False,
        held: threading.Event | None = None,
    ) -> None:
        self.seen: list[str] = []
        self.slow, self.refused = slow, refused  # a sheet whose parse is slow / refused
        self.everywhere = everywhere  # refused in the workbook itself too, not only the copy
        self.held = held  # every parse ends only once this is set
        self.lock = threading.Lock()
        self.when: dict[str, float] = {}

    def note(self, event: str) -> None:
        with self.lock:
            self.seen.append(event)
            self.when[event] = time.monotonic()  # the system's clock: a copy's too

    def at(self, event: str) -> int:
        return self.seen.index(event)


def noted_calamine(events: Events, original: Path) -> SimpleNamespace:
    class Sheet:
        def __init__(self, sheet: Any, name: str) -> None:
            self._sheet, self._name = sheet, name
            self.start, self.merged_cell_ranges = sheet.start, sheet.merged_cell_ranges

        def iter_rows(self) -> Iterator[list[Any]]:
            events.note(f"converting {self._name}")
            return iter(self._sheet.iter_rows())

    class Workbook:
        def __init__(self, book: Any, path: str) -> None:
            self._book, self._path = book, path

        @classmethod
        def from_path(cls, path: str) -> Workbook:
            return cls(python_calamine.CalamineWorkbook.from_path(path), path)

        def get_sheet_by_name(self, name: str) -> Sheet:
            if name == events.refused and (events.everywhere or self._path != str(original)):
                time.sleep(0.2)  # the other big sheet is parsed and waits meanwhile
                raise python_calamine.CalamineError(f"{name}: refused in the copy")
            if name == events.slow:
                time.sleep(0.3)
            if events.held is not None:
                events.held.wait(timeout=10)
            sheet = self._book.get_sheet_by_name(name)
            events.note(f"parsed {name}")
            return Sheet(sheet, name)

    return SimpleNamespace(
        CalamineWorkbook=Workbook,
        PasswordError=python_calamine.PasswordError,
        CalamineError=python_calamine.CalamineError,
    )


def _read_noted(path: Path, events: Events, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(reader, "python_calamine", noted_calamine(events, path))
    done: list[Any] = []

    def read() -> None:
        try:
            done.append(snapshot_of(path))
        except SheetCRMError as error:
            done.append(error)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, "the read never ended: a sheet waits for a parse that will not end"
    return done[0]


def test_on_a_huge_workbook_the_two_largest_sheets_are_converted_once_both_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    expected = snapshot_of(path)
    monkeypatch.setattr(reader, "HOLD_BYTES", 0)  # every workbook is huge here
    events = Events(slow="Contacts log")
    snapshot = _read_noted(path, events, monkeypatch)
    assert events.at("converting Orders") > events.at("parsed Contacts log")
    assert snapshot.sheets == expected.sheets


def _big_parses(log_bytes: int, then: Any = reader._nothing, sheets: int = 2) -> Any:
    """_BigParses of a workbook whose log has `log_bytes` of XML, its orders half that;
    of its first `sheets` largest sheets."""
    sizes = {"log.xml": log_bytes, "orders.xml": log_bytes // 2, "customers.xml": 1_000}
    infos = {part: SimpleNamespace(file_size=size) for part, size in sizes.items()}
    package = SimpleNamespace(zip=SimpleNamespace(getinfo=infos.__getitem__))
    largest = [SimpleNamespace(name="Contacts log", part="log.xml"),
               SimpleNamespace(name="Orders", part="orders.xml")]  # fmt: skip
    return reader._BigParses(package, largest[:sheets], then)


def _returns_at_once(call: Any) -> bool:
    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(timeout=0.5)
    return not worker.is_alive()


def test_a_big_sheet_waits_for_the_other_big_parse_and_a_small_sheet_for_none() -> None:
    parses = _big_parses(reader.HOLD_BYTES)
    assert _returns_at_once(lambda: parses.parsed("Customers"))
    orders = threading.Thread(target=parses.parsed, args=("Orders",), daemon=True)
    orders.start()
    orders.join(timeout=0.5)
    assert orders.is_alive()  # held: the log is still parsed
    parses.parsed("Contacts log")
    orders.join(timeout=5)
    assert not orders.is_alive()


def test_under_the_size_nothing_waits_and_a_failed_parse_releases_the_other() -> None:
    assert _returns_at_once(lambda: _big_parses(reader.HOLD_BYTES // 2).parsed("Orders"))
    parses = _big_parses(reader.HOLD_BYTES)
    orders = threading.Thread(target=parses.parsed, args=("Orders",), daemon=True)
    orders.start()
    parses.parsed("Contacts log", wait=False)  # its parse failed: nothing to convert
    orders.join(timeout=5)
    assert not orders.is_alive()


@pytest.mark.parametrize("log_bytes", [reader.HOLD_BYTES // 2, reader.HOLD_BYTES])
def test_what_waits_for_the_two_largest_parses_goes_on_once_both_are_done_or_failed(
    log_bytes: int,
) -> None:
    calls: list[str] = []
    parses = _big_parses(log_bytes, lambda: calls.append("then"))
    parses.parsed("Customers")
    parses.parsed("Orders", wait=False)
    assert calls == []
    parses.parsed("Contacts log", wait=False)  # its parse failed: it counts as done
    assert calls == ["then"]
    parses.parsed("Contacts log", wait=False)  # read again from the workbook itself
    parses.parsed("Orders", wait=False)
    assert calls == ["then"]  # once


@pytest.mark.parametrize("sheets", [0, 1])
def test_a_workbook_of_fewer_sheets_waits_for_what_it_has(sheets: int) -> None:
    calls: list[str] = []
    parses = _big_parses(reader.HOLD_BYTES // 2, lambda: calls.append("then"), sheets)
    assert calls == (["then"] if sheets == 0 else [])  # without sheets: at once
    parses.parsed("Contacts log", wait=False)
    assert calls == ["then"]


def test_a_workbook_of_common_size_converts_a_sheet_as_soon_as_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    events = Events(slow="Contacts log")
    _read_noted(path, events, monkeypatch)
    assert events.at("converting Orders") < events.at("parsed Contacts log")


def test_a_big_sheet_refused_in_the_copy_does_not_hold_the_other_up_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    expected = snapshot_of(path)
    monkeypatch.setattr(reader, "HOLD_BYTES", 0)
    events = Events(refused="Contacts log")
    snapshot = _read_noted(path, events, monkeypatch)
    # The log was read from the workbook itself; Orders waited for that parse.
    assert events.at("converting Orders") > events.at("parsed Contacts log")
    assert snapshot.sheets == expected.sheets


def test_a_big_sheet_that_cannot_be_read_ends_the_read_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    monkeypatch.setattr(reader, "HOLD_BYTES", 0)
    error = _read_noted(path, Events(refused="Contacts log", everywhere=True), monkeypatch)
    assert isinstance(error, ConfigError) and "crm.xlsx" in str(error)


def _scans_noted(monkeypatch: pytest.MonkeyPatch, scans: Path) -> None:
    """Each sheet's byte scan notes where and when it started in `scans`."""
    scan = reader._scan_part

    def noted(path: Path, part: str) -> Any:
        with scans.open("a") as file:
            file.write(f"{os.getpid()} {time.monotonic()}\n")
        return scan(path, part)

    monkeypatch.setattr(reader, "_scan_part", noted)


@pytest.mark.timeout(60)
def test_the_copy_scans_only_once_the_two_largest_sheets_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    expected = snapshot_of(path)
    _scans_noted(monkeypatch, tmp_path / "scans")
    events = Events(slow="Contacts log")
    monkeypatch.setattr(reader, "python_calamine", noted_calamine(events, path))
    assert can_fork(), "no fork here: a thread left running by another test?"
    snapshot = snapshot_of(path)  # on this thread: the scans are forked
    started = [line.split() for line in (tmp_path / "scans").read_text().splitlines()]
    assert len(started) == len(SHEETS)
    assert all(int(pid) != os.getpid() for pid, _ in started)
    last_parse = max(events.when["parsed Contacts log"], events.when["parsed Orders"])
    assert min(float(at) for _, at in started) >= last_parse
    assert snapshot.sheets == expected.sheets


@pytest.mark.timeout(60)
def test_a_big_sheet_unreadable_everywhere_ends_a_forked_read_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = four_sheets(tmp_path / "crm.xlsx")
    monkeypatch.setattr(
        reader,
        "python_calamine",
        noted_calamine(Events(refused="Contacts log", everywhere=True), path),
    )
    assert can_fork()
    with pytest.raises(ConfigError, match=r"crm\.xlsx"):
        snapshot_of(path)
