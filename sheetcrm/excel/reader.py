"""Reading a workbook once: values through calamine, formulas and error cells by a byte scan.

calamine returns a formula cell's cached result and an error cell (#N/A) as "", so the few
cells that hold a formula or an error are found in the sheet XML directly; both are rare,
so the scan costs next to nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import cast

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
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.data))
    except python_calamine.CalamineError as exc:
        raise BackendError(f"{package.path}: cannot read the workbook ({exc})") from None
    sheets: dict[str, RawSheet] = {}
    for entry in package.sheets:
        if not entry.is_worksheet or not package.has(entry.part):
            continue
        sheet = book.get_sheet_by_name(entry.name)
        rows = cast("list[list[CellValue]]", sheet.to_python(skip_empty_area=False))
        formulas, errors = flagged_cells(package.read(entry.part))
        merged = tuple(
            ((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
        )
        sheets[entry.name] = RawSheet(entry.name, rows, frozenset(formulas), errors, merged)
    return Snapshot(sheets=sheets, token=snapshot_token(package.data), date1904=package.date1904)


def flagged_cells(xml: bytes) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """(row, col) of cells holding a formula, and of cells holding an error value."""
    formulas: set[tuple[int, int]] = set()
    for m in _FORMULA.finditer(xml):
        ref = _enclosing_ref(xml, m.start())
        if ref is not None:
            formulas.add(ref)
    errors: dict[tuple[int, int], str] = {}
    for m in _ERROR_CELL.finditer(xml):
        ref_match = _CELL_REF.search(m.group(0))
        if ref_match is None:
            continue
        end = _CELL_END.search(xml, m.end())
        value = _VALUE.search(xml, m.end(), end.end() if end else len(xml))
        errors[parse_a1(ref_match.group(1).decode())] = (
            value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        )
    return formulas, errors


def _enclosing_ref(xml: bytes, pos: int) -> tuple[int, int] | None:
    start = max(xml.rfind(b"<c ", 0, pos), xml.rfind(b":c ", 0, pos))
    if start < 0:
        return None
    tag_end = xml.find(b">", start)
    m = _CELL_REF.search(xml, start, tag_end)
    return parse_a1(m.group(1).decode()) if m else None
