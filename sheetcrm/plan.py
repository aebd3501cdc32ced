"""A write plan: what the job wants the workbook to look like, as data.

Cells are named by sheet, row key and column header, never by row number, so a backend can
find the rows again right before it writes (staff sort and insert rows while the job runs).
"""

from __future__ import annotations

from dataclasses import dataclass

from sheetcrm.cells import CellValue
from sheetcrm.frozen_builder import builder

# Style hints a backend turns into number formats: "" (general), "text", "date", "integer",
# "money", "percent".
Kind = str


@dataclass(frozen=True)
class OwnedColumn:
    """A computed column the job owns on a staff sheet; created right of the header if absent.

    `fills` colours the column's cells by value (tier A green...), as a rule the spreadsheet
    applies itself, so a colour follows its value when staff sort or type: (value, RRGGBB).
    """

    header: str
    kind: Kind = ""
    fills: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)  # slots: a sync makes 170,000 of these
class CellWrite:
    """Set the owned column `header` of the row(s) whose key is `key` to `value`.

    A blank value ("" or None) clears the cell.
    """

    key: str
    header: str
    value: CellValue


# CellWrite(key, header, value) at a third less: a register's 160,000 (see frozen_builder).
cell_write = builder(CellWrite)


@dataclass(frozen=True)
class SheetWrites:
    """Writes into one staff sheet.

    `anchor` is the exact text of a header cell staff typed: the header row is the first row
    that holds it. `key_header` names the column whose value identifies a row (the customer
    id); None means rows are keyed by `sheetcrm.rowkeys.fingerprint` of their staff cells, and
    one key may then match several identical rows, each of which gets the write.
    `owned` lists every column the job owns on this sheet, so the backend can tell staff cells
    from owned ones.
    """

    sheet: str
    anchor: str
    key_header: str | None
    owned: tuple[OwnedColumn, ...]
    cells: tuple[CellWrite, ...] = ()
    # An auto-filter over the header row and every column, unless staff already set one.
    auto_filter: bool = False
    # Rows (0-based, as read) where the keys were seen: a hint that lets a backend check a
    # few rows instead of fingerprinting a whole contact log. Keys stay what counts.
    hints: tuple[int, ...] = ()


@dataclass(frozen=True)
class GeneratedSheet:
    """A sheet the job owns whole (Problems; later Outbox, tier views): regenerated each sync."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    # Per-column style hints (see Kind); shorter than header is fine.
    kinds: tuple[Kind, ...] = ()
    # Column widths in characters, optional.
    widths: tuple[float, ...] = ()
    # Cells that are hyperlinks: (row of `rows`, column, address), e.g. a wa.me link that
    # opens WhatsApp with the message typed. A link, never a formula.
    links: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class AppendedSheet:
    """A log the job only appends to (Tier history): `rows` go below the last row there is.

    Rows already in the sheet are never rewritten; the sheet is created with `header` when
    it does not exist.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    kinds: tuple[Kind, ...] = ()
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class WritePlan:
    sheets: tuple[SheetWrites, ...] = ()
    generated: tuple[GeneratedSheet, ...] = ()
    appended: tuple[AppendedSheet, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            any(s.cells for s in self.sheets)
            or self.generated
            or any(a.rows for a in self.appended)
        )
