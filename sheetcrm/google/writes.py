"""What one write of a Google Sheet sends, and the structure requests both the staff
sheets and the generated ones need: a new sheet, room for the cells, a date format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue
from sheetcrm.google.grid import Grid

DATE_FORMATS = {
    "date": {"type": "DATE", "pattern": "yyyy-mm-dd"},
    "datetime": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"},
}
# The formats the Excel backend gives the job's columns (its built-in 1, 4 and 10), by kind.
NUMBER_FORMATS = {
    **DATE_FORMATS,
    "integer": {"type": "NUMBER", "pattern": "0"},
    "money": {"type": "NUMBER", "pattern": "#,##0.00"},
    "percent": {"type": "PERCENT", "pattern": "0.00%"},
}


@dataclass
class Write:
    """What one write sends: structure requests, then values, and what it counts."""

    structure: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, dict[tuple[int, int], CellValue]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    # The sheets as re-read (unchanged cells between changed ones are sent as they are, so
    # that a column's changes go as one range) and the cells never to send (staff's).
    current: dict[str, RawSheet] = field(default_factory=dict)
    held: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    # Per keyed sheet: its key column and the key of each row written, to read back.
    keys: dict[str, tuple[int, dict[int, str]]] = field(default_factory=dict)

    # Whether the job's generated sheets are marked here (then an unmarked one of their
    # names is staff's), and whether two of them are there (synced by a version that did
    # not mark them yet, when none is marked).
    marked: bool = False
    synced_before: bool = False

    def cells(self) -> int:
        return sum(len(v) for v in self.values.values())


def add_sheet(title: str, rows: int, columns: int, grids: dict[str, Grid], out: Write) -> Grid:
    sheet_id = max([0, *(g.sheet_id for g in grids.values())]) + 1
    grid = grids[title] = Grid(sheet_id, max(rows, 1), max(columns, 1))
    out.structure.append(
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": title,
                    "gridProperties": {
                        "rowCount": grid.rows,
                        "columnCount": grid.columns,
                        "frozenRowCount": 1,
                    },
                }
            }
        }
    )
    return grid


def grow(grid: Grid, rows: int, columns: int, out: Write) -> None:
    """Room for the cells: Sheets refuses a value outside the sheet's grid."""
    for dimension, need, have in (("ROWS", rows, grid.rows), ("COLUMNS", columns, grid.columns)):
        if need > have:
            out.structure.append(
                {
                    "appendDimension": {
                        "sheetId": grid.sheet_id,
                        "dimension": dimension,
                        "length": need - have,
                    }
                }
            )
    grid.rows, grid.columns = max(grid.rows, rows), max(grid.columns, columns)


def column_format(grid: Grid, col: int, first_row: int, kind: str) -> dict[str, Any]:
    return {
        "repeatCell": {
            "range": {
                "sheetId": grid.sheet_id,
                "startRowIndex": first_row,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "cell": {"userEnteredFormat": {"numberFormat": NUMBER_FORMATS[kind]}},
            "fields": "userEnteredFormat.numberFormat",
        }
    }
