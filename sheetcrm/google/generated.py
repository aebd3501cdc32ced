"""The sheets the job owns whole on a Google Sheet (Problems, Tier A…, the Outbox) and the
logs it appends to (Tier history): only cells that differ are sent. Each carries the job's
mark (developer metadata): a staff sheet of the same name is refused, never replaced."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sheetcrm.backend import RawSheet
from sheetcrm.cell_changes import last_filled_row, looks_generated, same_value
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.errors import BackendError
from sheetcrm.google.grid import GENERATED_MARK, Grid
from sheetcrm.google.writes import NUMBER_FORMATS, Write, add_sheet, column_format, grow
from sheetcrm.plan import AppendedSheet, GeneratedSheet


def generated_sheet(
    generated: GeneratedSheet,
    current: RawSheet | None,
    grids: dict[str, Grid],
    out: Write,
) -> None:
    """The whole sheet as the plan has it: only cells that differ, old cells below cleared."""
    rows = [generated.header, *generated.rows]
    width = max(len(r) for r in rows)
    if current is None:
        grid = add_sheet(generated.name, len(rows), width, grids, out)
        out.structure += [_mark(grid), *sheet_formats(grid, generated)]
        old: Sequence[Sequence[CellValue]] = []
    else:
        grid = grids[generated.name]
        check_generated(generated, current, grid, out)
        old = _shift_down(current.rows, rows, grid, out)
    cells: dict[tuple[int, int], CellValue] = {}
    for r in range(max(len(rows), len(old))):
        new_row = rows[r] if r < len(rows) else ()
        old_row = old[r] if r < len(old) else []
        for c in range(max(len(new_row), len(old_row))):
            new = new_row[c] if c < len(new_row) else ""
            now = old_row[c] if c < len(old_row) else ""
            if not same_value(now, new):
                cells[(r, c)] = new
    if not cells:
        return
    grow(grid, max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1, out)
    out.structure += _links(grid, generated, cells)
    out.values.setdefault(generated.name, {}).update(cells)
    if current is not None:
        out.current[generated.name] = current
    out.sheets.append(generated.name)


def _links(
    grid: Grid, generated: GeneratedSheet, cells: dict[tuple[int, int], CellValue]
) -> list[dict[str, Any]]:
    """The plan's link cells (a wa.me link) on rows this write changes, as cells whose text
    is a link (a text format run), never a formula; taken out of the values batch, whose
    plain text would drop the link. Rows the Outbox pushes down keep theirs: Sheets moves a
    cell's format with its row."""
    changed_rows = {r for r, _ in cells}
    requests = []
    for r, c, uri in generated.links:
        row = r + 1  # below the header
        if row not in changed_rows:
            continue
        text = as_text(generated.rows[r][c])
        cells.pop((row, c), None)
        requests.append(
            {
                "updateCells": {
                    "range": {"sheetId": grid.sheet_id, "startRowIndex": row,
                              "endRowIndex": row + 1, "startColumnIndex": c,
                              "endColumnIndex": c + 1},
                    "rows": [{"values": [{
                        "userEnteredValue": {"stringValue": text},
                        "textFormatRuns": [{"startIndex": 0, "format": {"link": {"uri": uri}}}],
                    }]}],
                    "fields": "userEnteredValue,textFormatRuns",
                }
            }
        )  # fmt: skip
    return requests


def check_generated(
    generated: GeneratedSheet | AppendedSheet, current: RawSheet, grid: Grid, out: Write
) -> None:
    """Refuse to write over a staff sheet that has a generated sheet's name (nothing is sent:
    the write has not begun). The job's sheets carry its mark; in a spreadsheet the job
    wrote before the mark existed (its other sheets there, none marked), a sheet is the job's
    when it has the job's header and nothing right of it: it is marked from then on, and
    gets what a sheet the job creates gets."""
    if grid.generated:
        return
    if out.marked or not out.synced_before or not looks_generated(current, generated.header):
        raise BackendError(
            f"the Google Sheet has a sheet {generated.name!r} that sheetcrm did not make; "
            "rename it, or set another name under sheets: in settings.yaml. Nothing was "
            "written."
        )
    whole = GeneratedSheet(
        generated.name, generated.header, generated.rows, generated.kinds, generated.widths
    )
    out.structure += [_mark(grid), *sheet_formats(grid, whole)]
    grid.generated = True


def _mark(grid: Grid) -> dict[str, Any]:
    """The job's mark on a sheet: developer metadata any project with access can read."""
    return {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": GENERATED_MARK,
                "metadataValue": "sheetcrm",
                "location": {"sheetId": grid.sheet_id},
                "visibility": "DOCUMENT",
            }
        }
    }


def sheet_formats(grid: Grid, generated: GeneratedSheet) -> list[dict[str, Any]]:
    """What the Excel backend gives a generated sheet besides its values, in Google's form:
    a bold header that stays in view, number formats, each column's width, and a wrapped
    message (the Outbox's text) read from the top of its cell. Sent once, with the sheet."""
    requests: list[dict[str, Any]] = [
        {
            "repeatCell": {
                "range": {"sheetId": grid.sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": grid.sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
    ]
    for col, kind in enumerate(generated.kinds):
        if kind in NUMBER_FORMATS:
            requests.append(column_format(grid, col, 1, kind))
        elif kind == "wrap":
            requests.append(
                {
                    "repeatCell": {
                        "range": {"sheetId": grid.sheet_id, "startRowIndex": 1,
                                  "startColumnIndex": col, "endColumnIndex": col + 1},
                        "cell": {
                            "userEnteredFormat": {"wrapStrategy": "WRAP",
                                                  "verticalAlignment": "TOP"}
                        },
                        "fields": "userEnteredFormat(wrapStrategy,verticalAlignment)",
                    }
                }
            )  # fmt: skip
    for col, width in enumerate(generated.widths):
        requests.append(
            {
                "updateDimensionProperties": {
                    "range": {"sheetId": grid.sheet_id, "dimension": "COLUMNS",
                              "startIndex": col, "endIndex": col + 1},
                    "properties": {"pixelSize": pixels(width)},
                    "fields": "pixelSize",
                }
            }
        )  # fmt: skip
    return requests


def pixels(width: float) -> int:
    """An Excel column width (characters of the default font) in pixels, as Excel shows it."""
    return round(width * 7 + 5)


_MAX_SHIFT = 5000  # rows put on top of a log in one day, at most, for the search below


def _shift_down(
    old: Sequence[Sequence[CellValue]], rows: Sequence[Sequence[CellValue]], grid: Grid, out: Write
) -> Sequence[Sequence[CellValue]]:
    """A sheet that gains rows on top each day (the Outbox, newest first): the rows it had
    are moved down by Google (insertDimension) rather than sent again, the rows that fell off
    the end are deleted; returns the old rows where they are then."""
    shift = _inserted_on_top(old, rows)
    if not shift:
        return old
    sheet_id = grid.sheet_id
    out.structure.append(
        {
            "insertDimension": {
                "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1,
                          "endIndex": 1 + shift},
                "inheritFromBefore": False,
            }
        }
    )  # fmt: skip
    moved: list[Sequence[CellValue]] = [old[0], *([] for _ in range(shift)), *old[1:]]
    grid.rows += shift
    if len(moved) > len(rows):
        out.structure.append(
            {
                "deleteDimension": {
                    "range": {"sheetId": sheet_id, "dimension": "ROWS",
                              "startIndex": len(rows), "endIndex": len(moved)},
                }
            }
        )  # fmt: skip
        grid.rows -= len(moved) - len(rows)
        moved = moved[: len(rows)]
    return moved


def _inserted_on_top(
    old: Sequence[Sequence[CellValue]], rows: Sequence[Sequence[CellValue]]
) -> int:
    """How many rows the plan puts above the sheet's first data row, when every old row
    follows in order (as many as fit); 0 when the sheet changed otherwise."""
    if len(old) < 2 or len(rows) < 3 or not _same_row(old[0], rows[0]):
        return 0
    for shift in range(1, min(len(rows) - 1, _MAX_SHIFT + 1)):
        if not _same_row(old[1], rows[1 + shift]):
            continue
        overlap = min(len(rows) - 1 - shift, len(old) - 1)
        if all(_same_row(old[1 + i], rows[1 + shift + i]) for i in range(overlap)):
            return shift
        return 0
    return 0


def _same_row(now: Sequence[CellValue], new: Sequence[CellValue]) -> bool:
    width = max(len(now), len(new))
    return all(
        same_value(now[c] if c < len(now) else "", new[c] if c < len(new) else "")
        for c in range(width)
    )


def appended_sheet(
    appended: AppendedSheet,
    current: RawSheet | None,
    grids: dict[str, Grid],
    out: Write,
) -> None:
    if not appended.rows:
        return
    if current is None:
        whole = GeneratedSheet(
            appended.name, appended.header, appended.rows, appended.kinds, appended.widths
        )
        generated_sheet(whole, None, grids, out)
        return
    grid = grids[appended.name]
    check_generated(appended, current, grid, out)
    bottom = last_filled_row(current)
    cells = {
        (bottom + 1 + i, c): v
        for i, row in enumerate(appended.rows)
        for c, v in enumerate(row)
        if not is_blank(v)
    }
    grow(grid, bottom + 1 + len(appended.rows), max(c for _, c in cells) + 1, out)
    out.values.setdefault(appended.name, {}).update(cells)
    out.sheets.append(appended.name)
