"""The Google Sheets backend: the workbook is a Google Sheet shared with a service account.

A read is two requests (the sheets, their grid sizes, date cells and staff's dropdowns;
every sheet's values in one values.batchGet, dates as serial numbers). A write re-reads the
sheets it writes to right before writing — Sheets has no write precondition, so rows are
found again where they are now — then sends at most one spreadsheets.batchUpdate (new
sheets, grid growth, date formats) and one values.batchUpdate of only the cells whose value
changes (RAW: a name that starts with = stays text), split in chunks of at most 2 MB. A
second sync with nothing new sends no write at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sheetcrm.backend import RawSheet, Snapshot, WriteResult
from sheetcrm.cell_changes import (
    changed_cells,
    find_header_row,
    missing_headers,
    owned_columns,
    same_value,
)
from sheetcrm.cells import CellValue, as_text, column_letter, is_blank
from sheetcrm.errors import BackendError
from sheetcrm.google.api import SheetsApi
from sheetcrm.google.dates import Order, date_order
from sheetcrm.google.generated import appended_sheet, check_generated, generated_sheet
from sheetcrm.google.grid import FIELDS, Grid, cell_value, dropdown_words, grids_from
from sheetcrm.google.views import register_views
from sheetcrm.google.writes import NUMBER_FORMATS, Write, add_sheet, column_format, grow
from sheetcrm.plan import AppendedSheet, GeneratedSheet, SheetWrites, WritePlan
from sheetcrm.settings import GoogleSettings

_EPOCH = dt.date(1899, 12, 30)  # Sheets' day 0, as in Excel's 1900 system after February 1900
_CHUNK_BYTES = 2_000_000  # JSON per values.batchUpdate request


class GoogleBackend:
    """A shared Google Sheet, read and written through the Sheets API."""

    def __init__(self, settings: GoogleSettings) -> None:
        self.api = SheetsApi(settings)
        self._read_grids: dict[str, Grid] | None = None
        self._order: Order | None = None  # how the spreadsheet's locale writes dates

    def read(self) -> Snapshot:
        grids = self._read_grids = self._grids()
        titles = list(grids)
        found = self.api.values([_whole(t) for t in titles])
        sheets = {
            t: _raw_sheet(t, rows, self._order) for t, rows in zip(titles, found, strict=True)
        }
        values = {t: s.rows for t, s in sheets.items()}
        for title, grid in grids.items():
            if grid.dropdowns:
                offered = tuple(
                    (sqref, dropdown_words(rule, title, values)) for sqref, rule in grid.dropdowns
                )
                sheets[title] = replace(sheets[title], dropdowns=offered)
        digest = hashlib.sha256(json.dumps(found, default=str).encode()).hexdigest()
        return Snapshot(sheets=sheets, token=f"sheets:{digest}")

    def check_layout(self, plan: WritePlan, snapshot: Snapshot) -> None:
        """Nothing in a Google Sheet stops an owned column: no tables or pivot tables here."""

    def check_writable(self, plan: WritePlan, snapshot: Snapshot) -> None:
        """A Google Sheet is never locked by another program, and the write re-reads first;
        a staff sheet named like a generated one is refused now, from the read (no request),
        before any message goes out."""
        if self._read_grids is None:
            return
        grids = {t: replace(g) for t, g in self._read_grids.items()}  # left as read
        out = _owning(plan, grids)
        logs = [a for a in plan.appended if a.rows]
        sheets: list[GeneratedSheet | AppendedSheet] = [*plan.generated, *logs]
        for sheet in sheets:
            current = snapshot.sheets.get(sheet.name)
            if sheet.name in grids and current is not None:
                check_generated(sheet, current, grids[sheet.name], out)

    def write(self, plan: WritePlan, snapshot: Snapshot) -> WriteResult:
        # The sheets as the read saw them (a sheet staff add meanwhile is refused by Google
        # when the job adds one of that name; the next run finishes): one request saved, so
        # a daily sync stays within six with the read-back below.
        grids = self._read_grids if self._read_grids is not None else self._grids()
        wanted = [
            *(w.sheet for w in plan.sheets),
            *(g.name for g in plan.generated),
            *(a.name for a in plan.appended),
        ]
        present = [t for t in dict.fromkeys(wanted) if t in grids]
        found = self.api.values([_whole(t) for t in present])
        # Cells are dates where the read saw date formats (the job's date columns are
        # formatted whole: a row staff moved meanwhile is still one).
        fresh = {
            t: _raw_sheet(t, rows, self._order) for t, rows in zip(present, found, strict=True)
        }
        out = _owning(plan, grids)
        for writes in plan.sheets:
            _staff_sheet(writes, snapshot.sheets.get(writes.sheet), fresh, grids, out)
        for generated in plan.generated:
            generated_sheet(generated, fresh.get(generated.name), grids, out)
        for appended in plan.appended:
            appended_sheet(appended, fresh.get(appended.name), grids, out)
        self.api.update_structure(out.structure)
        data = _value_ranges(out.values, out.current, out.held)
        for chunk in _chunks(data):
            self.api.update_values(chunk)
        cells = out.cells()
        return WriteResult(
            bool(cells or out.structure),
            cells,
            tuple(out.sheets),
            kept=tuple(out.kept),
            deleted=tuple(out.deleted),
            moved=self._moved(out.keys) if cells else 0,
        )

    def _moved(self, keys: Mapping[str, tuple[int, Mapping[int, str]]]) -> int:
        """Rows whose key is not where the job wrote (staff sorted during the write)."""
        if not keys:
            return 0
        titles = list(keys)
        ranges = [
            f"{_whole(t)}!{column_letter(keys[t][0])}:{column_letter(keys[t][0])}" for t in titles
        ]
        moved = 0
        for title, rows in zip(titles, self.api.values(ranges), strict=True):
            _, written = keys[title]
            now = {
                r: as_text(cell_value(row[0], self._order)).strip() if row else ""
                for r, row in enumerate(rows)
            }
            moved += sum(1 for r, key in written.items() if now.get(r, "") != key)
        return moved

    def create_sheets(self, sheets: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        """Add these sheets, with their rows, to a spreadsheet that has none of them yet
        (`sheetcrm init --google`); a date column gets a date format."""
        grids = self._grids()
        taken = [title for title in sheets if title in grids]
        if taken:
            raise BackendError(
                f"the Google Sheet already has a sheet named {taken[0]!r}; init fills a new, "
                "empty spreadsheet (or rename that sheet)"
            )
        out = Write()
        for title, rows in sheets.items():
            width = max((len(r) for r in rows), default=1)
            grid = add_sheet(title, len(rows), width, grids, out)
            for col in range(width):
                kind = _date_kind([r[col] for r in rows[1:] if col < len(r)])
                if kind:
                    out.structure.append(column_format(grid, col, 1, kind))
            out.values[title] = {
                (r, c): v
                for r, row in enumerate(rows)
                for c, v in enumerate(row)
                if not is_blank(v)
            }
        self.api.update_structure(out.structure)
        for chunk in _chunks(_value_ranges(out.values, {}, {})):
            self.api.update_values(chunk)

    def _grids(self) -> dict[str, Grid]:
        meta = self.api.metadata(FIELDS)
        self._order = date_order(str(meta.get("properties", {}).get("locale", "")))
        return grids_from(meta)


def _owning(plan: WritePlan, grids: Mapping[str, Grid]) -> Write:
    """A write that knows whether the job's sheets are marked here, and whether two of
    them are there (a spreadsheet synced before the mark)."""
    return Write(
        marked=any(g.generated for g in grids.values()),
        synced_before=sum(1 for g in plan.generated if g.name in grids) >= 2,
    )


# -- reading ---------------------------------------------------------------------------------


def _whole(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


# What a formula's error reads as: the values API gives it as this text, like Excel's error
# cells (a problem on the cell, never a customer called "#N/A").
ERROR_VALUES = frozenset(
    ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!")
)


def _raw_sheet(title: str, rows: Sequence[Sequence[Any]], order: Order | None) -> RawSheet:
    values = [[cell_value(v, order) for v in row] for row in rows]
    width = max((len(r) for r in values), default=0)
    errors = {
        (r, c): v
        for r, row in enumerate(values)
        for c, v in enumerate(row)
        if type(v) is str and v in ERROR_VALUES
    }
    return RawSheet(title, values, used_columns=width, errors=errors)


# -- writing ---------------------------------------------------------------------------------


def _staff_sheet(
    writes: SheetWrites,
    read: RawSheet | None,
    fresh: Mapping[str, RawSheet],
    grids: Mapping[str, Grid],
    out: Write,
) -> None:
    sheet = fresh.get(writes.sheet)
    if sheet is None:
        raise BackendError(f"the Google Sheet has no sheet named {writes.sheet!r} any more")
    header_row = find_header_row(sheet, writes.anchor)
    columns = owned_columns(sheet, header_row, writes)
    changed = list(changed_cells(sheet, header_row, columns, writes))
    missing = missing_headers(sheet, header_row, columns)
    if not changed and missing:
        return  # a clean sheet stays untouched, without even an empty owned column
    if read is not None and writes.key_header is not None:
        changed = _not_staff_edits(writes, read, sheet, header_row, columns, changed, out)
    cells = {(r, c): v for r, c, v in [*missing, *changed]}
    if not cells:
        return
    grid = grids[writes.sheet]
    grow(grid, max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1, out)
    created = {c for _, c, _ in missing}
    for owned in writes.owned:
        col = columns[owned.header]
        if col in created and owned.kind in NUMBER_FORMATS:
            out.structure.append(column_format(grid, col, header_row + 1, owned.kind))
    out.values.setdefault(writes.sheet, {}).update(cells)
    out.current[writes.sheet] = sheet
    out.sheets.append(writes.sheet)
    width = max([sheet.used_columns, *columns.values()]) + 1
    out.structure += register_views(grid, writes, columns, header_row, width)


def _not_staff_edits(
    writes: SheetWrites,
    read: RawSheet,
    sheet: RawSheet,
    header_row: int,
    columns: Mapping[str, int],
    changed: list[tuple[int, int, CellValue]],
    out: Write,
) -> list[tuple[int, int, CellValue]]:
    """The changes to send, without the owned cells staff typed into since the read (kept as
    they typed them, and reported), noting rows deleted meanwhile and the keys written."""
    assert writes.key_header is not None
    key_col = _column_of(sheet, header_row, writes.key_header)
    read_row = find_header_row(read, writes.anchor)
    read_key = _column_of(read, read_row, writes.key_header)
    read_columns = owned_columns(read, read_row, writes)
    header_of = {col: header for header, col in columns.items()}
    rows_read = _rows_by_key(read, read_row, read_key)
    rows_now = _rows_by_key(sheet, header_row, key_col)
    out.deleted += sorted({c.key for c in writes.cells} & set(rows_read) - set(rows_now))
    kept: list[tuple[int, int, CellValue]] = []
    for r, c, value in changed:
        key = as_text(sheet.value(r, key_col)).strip()
        then = rows_read.get(key)
        header = header_of[c]
        known = then is not None and header in read_columns
        was = read.value(then, read_columns[header]) if known and then is not None else None
        if known and not same_value(was, sheet.value(r, c)):
            out.kept.append(f"{writes.sheet}!{column_letter(c)}{r + 1} [{header}]")
            out.held.setdefault(writes.sheet, set()).add((r, c))
            continue
        kept.append((r, c, value))
        out.keys.setdefault(writes.sheet, (key_col, {}))[1][r] = key
    return kept


def _column_of(sheet: RawSheet, header_row: int, header: str) -> int:
    row = sheet.rows[header_row] if header_row < len(sheet.rows) else []
    return next(c for c, v in enumerate(row) if as_text(v).strip() == header)


def _rows_by_key(sheet: RawSheet, header_row: int, key_col: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for r in range(header_row + 1, len(sheet.rows)):
        key = as_text(sheet.value(r, key_col)).strip()
        if key:
            found.setdefault(key, r)
    return found


def _date_kind(column: Sequence[CellValue]) -> str:
    if any(isinstance(v, dt.datetime) for v in column):
        return "datetime"
    return "date" if any(isinstance(v, dt.date) for v in column) else ""


def _value_ranges(
    values: Mapping[str, Mapping[tuple[int, int], CellValue]],
    current: Mapping[str, RawSheet],
    held: Mapping[str, set[tuple[int, int]]],
) -> list[dict[str, Any]]:
    """One range per run of changed cells down a column: the cells between two changes (up to
    _GAP of them) go along as they are now, so a column that changes on every row — days
    overdue, each morning — is one range, not ten thousand."""
    data = []
    for title, cells in values.items():
        sheet = current.get(title)
        by_column: dict[int, list[int]] = {}
        for r, c in cells:
            by_column.setdefault(c, []).append(r)
        for c, rows in sorted(by_column.items()):
            for top, bottom in _spans(
                sorted(rows), {r for r, col in held.get(title, ()) if col == c}
            ):
                run = [
                    cells[(r, c)] if (r, c) in cells else (sheet.value(r, c) if sheet else "")
                    for r in range(top, bottom + 1)
                ]
                letter = column_letter(c)
                data.append(
                    {
                        "range": f"{_whole(title)}!{letter}{top + 1}:{letter}{bottom + 1}",
                        "majorDimension": "COLUMNS",
                        "values": [[_json(v) for v in run]],
                    }
                )
    return data


_GAP = 20  # unchanged cells sent along rather than a new range started


def _spans(rows: list[int], held: set[int]) -> Iterable[tuple[int, int]]:
    """Runs of rows with gaps of at most _GAP and no held row inside, as (top, bottom)."""
    top = bottom = rows[0]
    for r in rows[1:]:
        if r - bottom <= _GAP + 1 and not any(bottom < h < r for h in held):
            bottom = r
            continue
        yield top, bottom
        top = bottom = r
    yield top, bottom


def _json(value: CellValue) -> Any:
    """A cell value as the API takes it (RAW): dates as serial numbers, money as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - dt.datetime.combine(_EPOCH, dt.time())
        return delta.days + delta.seconds / 86400
    if isinstance(value, dt.date):
        return (value - _EPOCH).days
    return str(value)


def _chunks(data: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    """The value ranges in requests of at most _CHUNK_BYTES of JSON each."""
    chunk: list[dict[str, Any]] = []
    size = 0
    for item in data:
        length = len(json.dumps(item, ensure_ascii=False).encode())
        if chunk and size + length > _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += length
    if chunk:
        yield chunk
