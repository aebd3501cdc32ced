"""The problem report as a write plan: a problems column on each row, and a Problems sheet.

Pure: validation results in, plan pieces out. Rows are named by key (the customer id on the
register, a fingerprint of the row elsewhere), never by row number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.messages import text
from sheetcrm.plan import CellWrite, GeneratedSheet, OwnedColumn, SheetWrites
from sheetcrm.problems import Problem
from sheetcrm.rowkeys import fingerprint
from sheetcrm.rules.layout import SheetLayout
from sheetcrm.rules.owned import OWNED_SUFFIX
from sheetcrm.schema import PROBLEMS_COLUMN, SheetKind, header_text

SEPARATOR = "; "


def owned_header(layout: SheetLayout, name: str, default: str) -> str:
    """An owned column keeps the header it has (staff may have renamed the language); where
    a staff column already has the name, the job's takes the name with OWNED_SUFFIX."""
    col = layout.owned.get(name)
    if col is not None:
        return layout.headers[col]
    if any(c.name == name for c in layout.clashes):
        return default + OWNED_SUFFIX
    return default


def row_key(sheet: RawSheet, layout: SheetLayout, row: int) -> str | None:
    """How a backend finds this row again: the customer id on the register, else a fingerprint."""
    if row >= len(sheet.rows):
        return None  # a sheet-level note below the data: no row to write to
    cells = sheet.rows[row]
    if layout.kind is SheetKind.CUSTOMERS:
        value = cells[layout.columns["id"]] if layout.columns["id"] < len(cells) else None
        return None if is_blank(value) else as_text(value).strip()
    return fingerprint(cells, skip=set(layout.owned.values()))


def key_header(layout: SheetLayout) -> str | None:
    return layout.header_of("id") if layout.kind is SheetKind.CUSTOMERS else None


def anchor(layout: SheetLayout) -> str:
    """A header cell staff typed, by which the backend finds the header row again."""
    if layout.kind is SheetKind.CUSTOMERS:
        return layout.header_of("id")
    return layout.headers[min(layout.columns.values())]


def problem_column(sheet: RawSheet, layout: SheetLayout, language: str) -> SheetWrites:
    """The problems column of one staff sheet, without its cells: what a backend checks the
    layout with before anything is sent."""
    header = owned_header(layout, "problems", header_text(PROBLEMS_COLUMN, language))
    return SheetWrites(
        sheet=sheet.name,
        anchor=anchor(layout),
        key_header=key_header(layout),
        owned=(OwnedColumn(header, "text"),),
    )


def problem_column_writes(
    sheet: RawSheet, layout: SheetLayout, problems: Iterable[Problem], language: str
) -> SheetWrites:
    """The problems column of one staff sheet: this run's problems, and clears of fixed rows."""
    column = problem_column(sheet, layout, language)
    header = column.owned[0].header
    lines: dict[str, list[str]] = defaultdict(list)
    hints: set[int] = set()
    for p in problems:
        line = p.line(language)
        for row in (p.row, *p.also):  # an unknown word: each row that holds it points at it
            if row <= layout.header_row:
                continue
            key = row_key(sheet, layout, row)
            hints.add(row)
            if key is not None and line not in lines[key]:
                lines[key].append(line)
    cells = [CellWrite(key, header, SEPARATOR.join(found)) for key, found in lines.items()]
    col = layout.owned.get("problems")
    if col is not None:
        # Rows that had problems on the last run and have none now are cleared.
        rows = sheet.rows
        for r in range(layout.header_row + 1, len(rows)):
            cells_of_row = rows[r]
            if col < len(cells_of_row) and not is_blank(cells_of_row[col]):
                key = row_key(sheet, layout, r)
                if key is not None and key not in lines:
                    cells.append(CellWrite(key, header, ""))
                    lines[key] = []
                    hints.add(r)
    return replace(
        column,
        cells=tuple(cells),
        hints=tuple(sorted(hints)) if layout.kind is not SheetKind.CUSTOMERS else (),
    )


def problems_sheet(
    name: str,
    problems: Sequence[Problem],
    language: str,
    sheet_order: Mapping[str, int],
    limit: int,
) -> GeneratedSheet:
    """The Problems sheet: one row per problem, in workbook order, capped at `limit` rows."""
    ordered = sorted(problems, key=lambda p: (sheet_order.get(p.sheet, 99), p.row, _col(p.cell)))
    rows: list[tuple[CellValue, ...]] = [
        (
            p.sheet,
            p.cell,
            p.header,
            p.value,
            p.message(language),
            text(f"severity.{p.severity.value}", language),
        )
        for p in ordered[:limit]
    ]
    if len(ordered) > limit:
        rows.append(("", "", "", "", text("more", language, n=len(ordered) - limit), ""))
    header = tuple(
        text(k, language)
        for k in ("col.sheet", "col.cell", "col.column", "col.value", "col.problem", "col.severity")
    )
    return GeneratedSheet(
        name=name,
        header=header,
        rows=tuple(rows),
        kinds=("text",) * len(header),
        widths=(14, 8, 14, 24, 70, 10),
    )


def _col(cell: str) -> tuple[int, str]:
    letters = cell.rstrip("0123456789")
    return (len(letters), letters)
