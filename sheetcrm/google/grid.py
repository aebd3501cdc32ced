"""A sheet of a Google Sheet as spreadsheets.get describes it: its size, the views on it,
the job's mark, and what its cells' number formats and data-validation rules say.

Values are read as serial numbers (a date cell is a number, whatever the spreadsheet's
locale shows); a number under a date format is that date. Sheets keeps number formats and
data-validation rules per cell (there is no sheet-wide list of them, and the sheets' titles
are unknown before this one request), so the read asks for every cell of every sheet,
masked to these two fields: a cell with neither costs `{}` in the answer, a date cell its
format's type, a dropdown's rule comes once per cell it covers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheetcrm.cells import CellValue, column_letter

# What the read asks spreadsheets.get for: the sheets, their views, and per cell the
# data-validation rule and the type of number format (a date's serial is a date).
FIELDS = (
    "spreadsheetId,properties(locale,timeZone),sheets(properties,basicFilter,"
    "conditionalFormats,filterViews,protectedRanges,developerMetadata(metadataKey),"
    "data(startRow,startColumn,rowData(values(dataValidation,effectiveFormat.numberFormat.type))))"
)
GENERATED_MARK = "sheetcrm_generated"  # developer metadata on each sheet the job generated
_EPOCH = dt.datetime(1899, 12, 30)  # Sheets' day 0
_DATE_TYPES = frozenset({"DATE", "DATE_TIME", "TIME"})


@dataclass
class Grid:
    """A sheet as spreadsheets.get describes it: its size, and the views already on it."""

    sheet_id: int
    rows: int
    columns: int
    has_filter: bool = False
    coloured_columns: set[int] = field(default_factory=set)  # with conditional formats
    filter_views: set[str] = field(default_factory=set)  # titles
    protected: set[str] = field(default_factory=set)  # descriptions
    generated: bool = False  # carries the job's GENERATED_MARK
    # Cells whose number format is a date, a date and time or a time: (row, col) -> type.
    dates: dict[tuple[int, int], str] = field(default_factory=dict)
    # Dropdowns: (A1 range, the rule's condition), one per column and rule.
    dropdowns: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)


def grids_from(meta: Mapping[str, Any]) -> dict[str, Grid]:
    """Each grid sheet by title (a chart sheet has no cells)."""
    grids = {}
    for sheet in meta.get("sheets", []):
        props = sheet.get("properties", {})
        if props.get("sheetType", "GRID") != "GRID":
            continue
        size = props.get("gridProperties", {})
        grid = Grid(
            props["sheetId"],
            size.get("rowCount", 1000),
            size.get("columnCount", 26),
            has_filter="basicFilter" in sheet,
            coloured_columns={
                c
                for rule in sheet.get("conditionalFormats", [])
                for r in rule.get("ranges", [])
                for c in range(r.get("startColumnIndex", 0), r.get("endColumnIndex", 0))
            },
            filter_views={v.get("title", "") for v in sheet.get("filterViews", [])},
            protected={p.get("description", "") for p in sheet.get("protectedRanges", [])},
            generated=any(
                m.get("metadataKey") == GENERATED_MARK for m in sheet.get("developerMetadata", [])
            ),
        )
        _read_cells(grid, sheet.get("data", []))
        grids[props["title"]] = grid
    return grids


def _read_cells(grid: Grid, data: Sequence[Mapping[str, Any]]) -> None:
    """The date cells, and each dropdown's rule with the rows of each column it covers."""
    rules: dict[tuple[int, str], tuple[Mapping[str, Any], int, int]] = {}
    for block in data:
        top, left = block.get("startRow", 0), block.get("startColumn", 0)
        for r, row in enumerate(block.get("rowData", []), top):
            for c, cell in enumerate(row.get("values", []), left):
                if not cell:
                    continue
                kind = cell.get("effectiveFormat", {}).get("numberFormat", {}).get("type")
                if kind in _DATE_TYPES:
                    grid.dates[(r, c)] = kind
                condition = cell.get("dataValidation", {}).get("condition")
                if condition:
                    key = (c, json.dumps(condition, sort_keys=True))
                    _, first, _ = rules.get(key, (condition, r, r))
                    rules[key] = (condition, first, r)
    for (c, _), (condition, first, last) in rules.items():
        letter = column_letter(c)
        grid.dropdowns.append((f"{letter}{first + 1}:{letter}{last + 1}", condition))


def cell_value(value: Any, date_kind: str | None) -> CellValue:
    """A value as the API gives it (UNFORMATTED_VALUE, SERIAL_NUMBER): numbers, booleans,
    texts; a number under a date format is the date, the moment or the time it shows."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else value if isinstance(value, str) else str(value)
    if date_kind is None:
        return value
    moment = _EPOCH + dt.timedelta(seconds=round(float(value) * 86400))
    if date_kind == "DATE":
        return moment.date()
    if date_kind == "TIME":
        return moment.time()
    return moment


def dropdown_words(
    condition: Mapping[str, Any], sheet: str, values: Mapping[str, list[list[CellValue]]]
) -> tuple[str, ...]:
    """The words a dropdown offers: its list, or the cells of its range (=Lists!A1:A9)."""
    given = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
    if condition.get("type") == "ONE_OF_LIST":
        return tuple(w.strip() for w in given if w.strip())
    if condition.get("type") != "ONE_OF_RANGE" or not given:
        return ()
    from sheetcrm.excel.reader import dropdown_words as range_words

    return range_words(given[0].removeprefix("="), sheet, dict(values))
