"""Reading a workbook once: values through calamine, formulas and error cells by a byte scan.

calamine returns a formula cell's cached result and an error cell (#N/A) as "", so the few
cells that hold a formula or an error are found in the sheet XML directly; both are rare,
so the scan costs next to nothing.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO, cast

import python_calamine

from sheetcrm.backend import RawSheet, Snapshot
from sheetcrm.cells import CellValue, parse_a1
from sheetcrm.errors import BackendError
from sheetcrm.excel.package import Package

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="e"[^>]*>')
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_CELL_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def snapshot_token(data: bytes) -> str:
    return f"{len(data)}:{hashlib.sha256(data).hexdigest()}"


def read_snapshot(package: Package) -> Snapshot:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(package.path))
    except python_calamine.CalamineError as exc:
        raise BackendError(f"{package.path}: cannot read the workbook ({exc})") from None
    sheets: dict[str, RawSheet] = {}
    for entry in package.sheets:
        if not entry.is_worksheet or not package.has(entry.part):
            continue
        with package.zip.open(entry.part) as stream:
            formulas, errors = flagged_cells(stream)
        sheet = book.get_sheet_by_name(entry.name)
        rows = cast("list[list[CellValue]]", sheet.to_python(skip_empty_area=False))
        merged = tuple(
            ((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
        )
        del sheet  # calamine's copy of the sheet is as big as ours: free it before the next
        sheets[entry.name] = RawSheet(entry.name, rows, frozenset(formulas), errors, merged)
    return Snapshot(sheets=sheets, token=snapshot_token(package.data), date1904=package.date1904)


_CHUNK = 1 << 22
_OVERLAP = 1 << 16  # context kept across chunks: a cell's tag, formula and value fit in it


def flagged_cells(
    stream: IO[bytes],
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """(row, col) of cells holding a formula, and of cells holding an error value.

    The sheet XML is scanned in chunks (a 44 MB sheet need not sit in memory whole); a match
    is taken in the chunk where it starts, with enough context kept on either side.
    """
    formulas: set[tuple[int, int]] = set()
    errors: dict[tuple[int, int], str] = {}
    carry = b""
    scan_from = 0
    while True:
        block = stream.read(_CHUNK)
        buf = carry + block
        scan_to = len(buf) - _OVERLAP if block else len(buf)
        if scan_to > scan_from:
            _scan(buf, scan_from, scan_to, formulas, errors)
        if not block:
            return formulas, errors
        keep = max(scan_to, scan_from) - _OVERLAP
        carry = buf[max(keep, 0) :]
        scan_from = max(scan_to, scan_from) - max(keep, 0)


def _scan(
    xml: bytes,
    start: int,
    end: int,
    formulas: set[tuple[int, int]],
    errors: dict[tuple[int, int], str],
) -> None:
    # Matches may run past `end`: only where they start decides which chunk takes them.
    for m in _FORMULA.finditer(xml, start):
        if m.start() >= end:
            break
        ref = _enclosing_ref(xml, m.start())
        if ref is not None:
            formulas.add(ref)
    for m in _ERROR_CELL.finditer(xml, start):
        if m.start() >= end:
            break
        ref_match = _CELL_REF.search(m.group(0))
        if ref_match is None:
            continue
        cell_end = _CELL_END.search(xml, m.end())
        value = _VALUE.search(xml, m.end(), cell_end.end() if cell_end else len(xml))
        errors[parse_a1(ref_match.group(1).decode())] = (
            value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        )


def _enclosing_ref(xml: bytes, pos: int) -> tuple[int, int] | None:
    start = max(xml.rfind(b"<c ", 0, pos), xml.rfind(b":c ", 0, pos))
    if start < 0:
        return None
    tag_end = xml.find(b">", start)
    m = _CELL_REF.search(xml, start, tag_end)
    return parse_a1(m.group(1).decode()) if m else None
