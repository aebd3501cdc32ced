"""What managers get on a Google Sheet beside the values: the register's filter, the tier
colours as conditional-format rules (a colour follows its value when staff sort or type),
one filter view per tier ("Tier A" shows the A customers without disturbing anyone else's
view), and the job's columns protected with a warning (staff are asked before typing there).

Each is added once, when the sheet does not have it yet: a daily sync adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sheetcrm.google.grid import Grid
from sheetcrm.plan import SheetWrites

PROTECTED = "sheetcrm writes these columns; what you type here is replaced on the next sync"


def register_views(
    grid: Grid, writes: SheetWrites, columns: Mapping[str, int], header_row: int, width: int
) -> list[dict[str, Any]]:
    """The requests that add what the sheet lacks of the views above."""
    requests: list[dict[str, Any]] = []
    if writes.auto_filter and not grid.has_filter:
        requests.append(
            {"setBasicFilter": {"filter": {"range": _rows(grid, header_row, 0, width)}}}
        )
        grid.has_filter = True
    for owned in writes.owned:
        col = columns[owned.header]
        if owned.fills and col not in grid.coloured_columns:
            requests += [
                _colour_rule(grid, header_row, col, value, rgb) for value, rgb in owned.fills
            ]
            grid.coloured_columns.add(col)
        for value, _ in owned.fills:
            title = f"{owned.header} {value}"
            if title not in grid.filter_views:
                requests.append(_filter_view(grid, header_row, width, col, title, value))
                grid.filter_views.add(title)
    if PROTECTED not in grid.protected:
        for left, right in _runs(sorted(columns[o.header] for o in writes.owned)):
            requests.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": _rows(grid, header_row, left, right + 1),
                            "description": PROTECTED,
                            "warningOnly": True,
                        }
                    }
                }
            )
        grid.protected.add(PROTECTED)
    return requests


def _rows(grid: Grid, top: int, left: int, right: int) -> dict[str, int]:
    """From the header row down to the end of the sheet, columns left..right-1."""
    return {
        "sheetId": grid.sheet_id,
        "startRowIndex": top,
        "startColumnIndex": left,
        "endColumnIndex": right,
    }


def _colour_rule(grid: Grid, header_row: int, col: int, value: str, rgb: str) -> dict[str, Any]:
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {
        "addConditionalFormatRule": {
            "index": 0,
            "rule": {
                "ranges": [_rows(grid, header_row + 1, col, col + 1)],
                "booleanRule": {
                    "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": value}]},
                    "format": {"backgroundColor": {"red": red, "green": green, "blue": blue}},
                },
            },
        }
    }


def _filter_view(
    grid: Grid, header_row: int, width: int, col: int, title: str, value: str
) -> dict[str, Any]:
    return {
        "addFilterView": {
            "filter": {
                "title": title,
                "range": _rows(grid, header_row, 0, width),
                "filterSpecs": [
                    {
                        "columnIndex": col,
                        "filterCriteria": {
                            "condition": {
                                "type": "TEXT_EQ",
                                "values": [{"userEnteredValue": value}],
                            }
                        },
                    }
                ],
            }
        }
    }


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """Adjacent columns as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for col in columns:
        if runs and col == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], col)
        else:
            runs.append((col, col))
    return runs
