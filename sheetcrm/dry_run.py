"""What a sync would change, cell by cell, without writing: `sheetcrm sync --dry-run`.

The cells come from the same lookup the Excel backend writes with (cell_changes.py), against
the workbook as it was read, so the list is what a sync would write, by sheet and A1 address.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheetcrm.backend import Snapshot
from sheetcrm.cell_changes import changed_cells, find_header_row, missing_headers, owned_columns
from sheetcrm.cells import CellValue, column_letter
from sheetcrm.errors import BackendError
from sheetcrm.plan import WritePlan


@dataclass(frozen=True)
class PlannedCell:
    """One owned cell a sync would change: where, under which header, from what to what."""

    sheet: str
    cell: str  # A1 address
    header: str
    old: CellValue
    new: CellValue


def planned_cells(snapshot: Snapshot, plan: WritePlan) -> tuple[PlannedCell, ...]:
    """Every owned cell of the staff sheets whose value the plan changes, sheet by sheet in
    row order; a new owned column's header cell included."""
    found: list[PlannedCell] = []
    for writes in plan.sheets:
        sheet = snapshot.sheets.get(writes.sheet)
        if sheet is None:
            continue
        try:
            header_row = find_header_row(sheet, writes.anchor)
        except BackendError:
            continue  # the write itself reports it
        columns = owned_columns(sheet, header_row, writes)
        headers = {col: header for header, col in columns.items()}
        changed = list(changed_cells(sheet, header_row, columns, writes))
        if not changed:
            continue  # as the write: a clean sheet is not given empty owned columns
        cells: list[tuple[int, int, CellValue]] = [
            *missing_headers(sheet, header_row, columns),
            *changed,
        ]
        found += (
            PlannedCell(
                writes.sheet, f"{column_letter(c)}{r + 1}", headers[c], sheet.value(r, c), new
            )
            for r, c, new in sorted(cells, key=lambda rc: (rc[0], rc[1]))
        )
    return tuple(found)
