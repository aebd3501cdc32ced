"""The one small interface every workbook backend (Excel now, Google Sheets later) implements.

A backend reads the whole workbook once (`read`) and applies one write plan once (`write`).
The plan names cells by sheet, row key and column header, never by row number: the backend
finds the rows again itself right before it writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sheetcrm.cells import CellValue
from sheetcrm.plan import WritePlan


@dataclass(frozen=True)
class RawSheet:
    """One sheet as read: a rectangle of values anchored at A1 (row 0 is the sheet's row 1).

    `formulas` and `errors` hold the 0-based (row, col) of cells that hold a formula or an
    error value (#N/A, #DIV/0!...): their values are cached results, hints rather than data.
    `merged` holds the merged ranges as ((r0, c0), (r1, c1)) inclusive, 0-based.
    """

    name: str
    rows: Sequence[Sequence[CellValue]]  # tuples when read from Excel: smaller than lists
    formulas: frozenset[tuple[int, int]] = frozenset()
    errors: Mapping[tuple[int, int], str] = field(default_factory=dict)
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    # Columns where something is drawn over the cells (sparklines): no new owned column there.
    drawn_columns: frozenset[int] = frozenset()
    auto_filter: bool = False  # the sheet has an auto-filter (staff's or the job's)
    # The ranges conditional formats apply to, as written (e.g. "H2:H1048576").
    conditional_ranges: frozenset[str] = frozenset()
    # Columns 0..used_columns-1 hold a cell of some kind, a styled blank one included: a new
    # owned column goes right of them (and of merges and formulas), never into a used cell.
    used_columns: int = 0
    # Staff's dropdowns (data-validation lists, x14 ones included): (sqref, the words offered),
    # ranges on other sheets already resolved to their words.
    dropdowns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Rows that are a table's totals row (Excel's "Total Row": SUBTOTAL formulas under the
    # data): a sum of the records above, never a record itself.
    totals_rows: frozenset[int] = frozenset()

    def value(self, row: int, col: int) -> CellValue:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


@dataclass(frozen=True)
class Snapshot:
    """Everything one read saw. `token` identifies the version read (for change detection)."""

    sheets: Mapping[str, RawSheet]
    token: str
    date1904: bool = False


@dataclass(frozen=True)
class WriteResult:
    changed: bool
    cells_written: int
    sheets_written: tuple[str, ...]
    backup: str | None = None
    # Where staff and the job met during the write (a backend without a write precondition
    # finds them): owned cells staff changed since the read, kept as they typed them, as
    # "Sheet!A1 [Header]"; rows deleted meanwhile, by key; rows found elsewhere after it.
    kept: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    moved: int = 0


class Backend(Protocol):
    """A workbook the job can read and patch."""

    def read(self) -> Snapshot:
        """Read every sheet once."""
        ...

    def check_layout(self, plan: WritePlan, snapshot: Snapshot) -> None:
        """Refuse (BackendError) a plan whose owned columns the workbook cannot take safely
        (one would fall inside a table or a pivot table): `check` says so as `sync` would."""
        ...

    def check_writable(self, plan: WritePlan, snapshot: Snapshot) -> None:
        """Refuse (BackendError) now if writing `plan` would be refused (the layout, the
        workbook open or changed): the job sends nothing before it knows the workbook can
        take what it will write."""
        ...

    def write(self, plan: WritePlan, snapshot: Snapshot) -> WriteResult:
        """Apply `plan`; refuse (BackendError) if the workbook changed since `snapshot`."""
        ...
