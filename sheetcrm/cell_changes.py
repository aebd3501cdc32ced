"""Which owned cells a write plan changes in a sheet as read.

Backend-neutral: it works on the values a backend read (`RawSheet`), finds the header by its
anchor, each owned column by its header (an absent one right of the header, in a free
column) and each row by its key, and yields only the cells whose value differs. The Excel
backend writes what it yields, and a dry run lists the same cells, so what a dry run shows
is what a sync writes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.errors import BackendError
from sheetcrm.plan import SheetWrites
from sheetcrm.rowkeys import fingerprint
from sheetcrm.rules.layout import HEADER_SEARCH_ROWS

log = logging.getLogger(__name__)

MAX_COLUMNS = 16_384  # A..XFD


def changed_cells(
    sheet: RawSheet, header_row: int, columns: Mapping[str, int], writes: SheetWrites
) -> Iterator[tuple[int, int, CellValue]]:
    """(row, column, new value) of each owned cell whose value the plan changes; 0-based."""
    rows_by_key = _rows_by_key(sheet, header_row, writes, set(columns.values()))
    cells_of = sheet.rows
    # Each pair of old and new values is compared once: a register's 170,000 owned cells
    # repeat their tiers, plans and dates. Keyed by type too: 1 == 1.0 == True.
    compared: dict[tuple[type, CellValue, type, CellValue], bool] = {}
    key, rows = None, []
    for cell in writes.cells:
        col, new = columns[cell.header], cell.value
        if cell.key != key:  # a row's cells come one after another: looked up once
            key, rows = cell.key, rows_by_key.get(cell.key, [])
        if not rows:
            log.warning("%s: no row with key %s any more; skipped", writes.sheet, cell.key)
        for r in rows:
            cells = cells_of[r]
            old = cells[col] if col < len(cells) else None
            if old is None or old == "":  # a new column's cells: changed unless blank
                # is_blank(new), written out: a first run's 160,000 cells pass here
                if new is not None and not (isinstance(new, str) and not new.strip()):
                    yield r, col, new
                continue
            if type(old) is type(new) and old == new:  # a rerun's: the value there already
                continue
            pair = (type(old), old, type(new), new)
            same = compared.get(pair)
            if same is None:
                same = compared[pair] = same_value(old, new)
            if not same:
                yield r, col, new


def last_filled_row(sheet: RawSheet) -> int:
    """The last row holding any value (0 for an empty sheet): a log's rows go below it."""
    return max(
        (r for r, row in enumerate(sheet.rows) if any(not is_blank(v) for v in row)), default=0
    )


def missing_headers(
    sheet: RawSheet, header_row: int, columns: Mapping[str, int]
) -> list[tuple[int, int, str]]:
    """(row, column, header) of each owned header the header row does not hold yet: a new
    owned column's, or one staff cleared."""
    return [
        (header_row, col, header)
        for header, col in columns.items()
        if text_at(sheet, header_row, col) != header
    ]


def find_header_row(sheet: RawSheet, anchor: str) -> int:
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        # A header may be a number (a column headed 2027): compared as the reader read it.
        if any(not is_blank(v) and as_text(v).strip() == anchor for v in row):
            return r
    raise BackendError(f"sheet {sheet.name!r}: no header {anchor!r} any more; nothing written")


def text_at(sheet: RawSheet, row: int, col: int) -> str:
    return as_text(sheet.value(row, col)).strip()


def owned_columns(sheet: RawSheet, header_row: int, writes: SheetWrites) -> dict[str, int]:
    """Column of each owned header: where it is, or, for a new one, right of every column
    the sheet uses (values, styled blank cells, formulas, merged ranges), never in a column
    a sparkline is drawn in. Beyond Excel's last column there is no room: refused."""
    header = sheet.rows[header_row]
    found = {as_text(v).strip(): c for c, v in enumerate(header) if not is_blank(v)}
    columns: dict[str, int] = {}
    next_free = None
    for owned in writes.owned:
        if owned.header in found:
            columns[owned.header] = found[owned.header]
            continue
        if next_free is None:
            next_free = first_unused_column(sheet)
        while next_free in sheet.drawn_columns:
            next_free += 1
        if next_free >= MAX_COLUMNS:
            raise BackendError(
                f"sheet {sheet.name!r}: no free column for {owned.header!r} right of the used "
                f"ones (Excel's last column is XFD); clear the cells far right of the header"
            )
        columns[owned.header] = next_free
        next_free += 1
    return columns


def first_unused_column(sheet: RawSheet) -> int:
    """The first column right of everything the sheet holds."""
    last = max(
        [
            _last_filled_column(sheet.rows, sheet.used_columns - 1),
            *(c for _, c in sheet.formulas),
            *(c1 for _, (_, c1) in sheet.merged),
        ]
    )
    return last + 1


def _last_filled_column(rows: Sequence[Sequence[CellValue]], known: int) -> int:
    """The rightmost column with a cell that is not blank, `known` at least. Column by
    column from the right, each column's distinct values only: the rows of a workbook
    read are rarely wider than its used range, and a row-by-row loop spent 0.05 s of a
    check on 200,000 rows to find that out."""
    width = max(map(len, rows), default=0)
    for c in range(width - 1, known, -1):
        values = {row[c] for row in rows if len(row) > c}
        if not all(is_blank(v) for v in values):
            return c
    return known


def _rows_by_key(
    sheet: RawSheet, header_row: int, writes: SheetWrites, owned: set[int]
) -> Mapping[str, list[int]]:
    """The rows of each key the plan writes to: on a sheet keyed by id, every id's; on a
    fingerprinted one, only the keys written (on a 100,000-row contact log a map of every
    row's fingerprint would cost 24 MB)."""
    rows: dict[str, list[int]] = defaultdict(list)
    if not writes.cells:
        return rows
    if writes.key_header is not None:
        # Every id: the register's rows are few next to its cells, and a set of the keys
        # written would cost more than the rows it leaves out.
        key_col = _key_column(sheet, header_row, writes.key_header)
        for r in range(header_row + 1, len(sheet.rows)):
            value = sheet.value(r, key_col)
            if not is_blank(value):
                rows[as_text(value).strip()].append(r)
        return rows
    wanted = {cell.key for cell in writes.cells}
    candidates: Sequence[int] = range(header_row + 1, len(sheet.rows))
    if writes.hints and wanted:
        # Identical rows share every cell, so only rows whose first staff cells match a
        # hinted row's can hold a wanted key: fingerprint those, not the whole log.
        first = next(c for c in itertools.count() if c not in owned)
        end = first + 2 if first + 1 not in owned else first + 1  # two cells when adjacent
        rows_ = sheet.rows
        firsts = {tuple(rows_[r][first:end]) for r in writes.hints if r < len(rows_)}
        candidates = [r for r in candidates if tuple(rows_[r][first:end]) in firsts]
    for r in candidates:
        key = fingerprint(sheet.rows[r], skip=owned)
        if key in wanted:
            rows[key].append(r)
    return rows


def _key_column(sheet: RawSheet, header_row: int, key_header: str) -> int:
    for c, v in enumerate(sheet.rows[header_row]):
        if as_text(v).strip() == key_header:
            return c
    raise BackendError(f"sheet {sheet.name!r}: no column {key_header!r} any more")


def same_value(current: CellValue, new: CellValue) -> bool:
    if is_blank(current) and is_blank(new):
        return True
    if is_blank(current) or is_blank(new):
        return False
    if isinstance(new, str) or isinstance(current, str):
        return as_text(current) == str(new)
    if isinstance(new, dt.date) or isinstance(current, dt.date):
        return _as_date(current) == _as_date(new)
    try:
        return float(current) == float(new)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _as_date(v: CellValue) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def looks_generated(sheet: RawSheet | None, header: tuple[str, ...]) -> bool:
    """The job's header, and nothing in any row right of it: how both backends tell a sheet
    the job wrote before it marked its sheets from a staff sheet of the same name."""
    if sheet is None or not sheet.rows:
        return False
    found = tuple(as_text(v).strip() for v in sheet.rows[0])
    width = len(header)
    return found[:width] == header and not any(
        not is_blank(v) for row in sheet.rows for v in row[width:]
    )
