"""A sheet of a Google Sheet as spreadsheets.get describes it: its size, the views on it,
the job's mark, and the data-validation rules of its cells.

Sheets keeps data-validation rules per cell (there is no sheet-wide list of them, and the
sheets' titles are unknown before this one request), so the read asks for every cell of
every sheet, masked to that field: a cell without one costs `{}` in the answer (about 12 MB
at 10,000 customers and their 200,000 log rows), a dropdown's rule comes once per cell it
covers. It is that or a third request in every read, past the daily sync's six.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheetcrm.cells import CellValue, column_letter
from sheetcrm.google.dates import Order, shown_date

# What the read asks spreadsheets.get for: the locale (how dates show), the sheets, their
# views and marks, and each cell's data-validation rule.
FIELDS = (
    "spreadsheetId,properties(locale,timeZone),sheets(properties,basicFilter,"
    "conditionalFormats,filterViews,protectedRanges,developerMetadata(metadataKey),"
    "data(startRow,startColumn,rowData(values(dataValidation))))"
)
GENERATED_MARK = "sheetcrm_generated"  # developer metadata on each sheet the job generated


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
    """Each dropdown's rule with the rows of each column it covers."""
    rules: dict[tuple[int, str], tuple[Mapping[str, Any], int, int]] = {}
    for block in data:
        top, left = block.get("startRow", 0), block.get("startColumn", 0)
        for r, row in enumerate(block.get("rowData", []), top):
            for c, cell in enumerate(row.get("values", []), left):
                if not cell:
                    continue
                condition = cell.get("dataValidation", {}).get("condition")
                if condition:
                    key = (c, json.dumps(condition, sort_keys=True))
                    _, first, _ = rules.get(key, (condition, r, r))
                    rules[key] = (condition, first, r)
    for (c, _), (condition, first, last) in rules.items():
        letter = column_letter(c)
        grid.dropdowns.append((f"{letter}{first + 1}:{letter}{last + 1}", condition))


def cell_value(value: Any, order: Order | None) -> CellValue:
    """A value as the API gives it (UNFORMATTED_VALUE, FORMATTED_STRING): numbers, booleans,
    texts; a date as the text its format shows, read back as the date (sheetcrm.google.dates).
    """
    if isinstance(value, str):
        return shown_date(value, order) if value[:1].isdigit() else value
    if isinstance(value, bool | int | float):
        return value
    return "" if value is None else str(value)


def dropdown_words(
    condition: Mapping[str, Any], sheet: str, values: Mapping[str, Sequence[Sequence[CellValue]]]
) -> tuple[str, ...]:
    """The words a dropdown offers: its list, or the cells of its range (=Lists!A1:A9)."""
    given = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
    if condition.get("type") == "ONE_OF_LIST":
        return tuple(w.strip() for w in given if w.strip())
    if condition.get("type") != "ONE_OF_RANGE" or not given:
        return ()
    from sheetcrm.excel.reader import dropdown_words as range_words

    return range_words(given[0].removeprefix("="), sheet, values)
