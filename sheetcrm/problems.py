"""Problem records: one bad cell (or row, or column), reported in the staff's language.

Bad cells are data, not exceptions: validation returns these and the job keeps going.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sheetcrm.messages import render


class Severity(StrEnum):
    ERROR = "error"  # the cell's value could not be used
    WARNING = "warning"  # the value was used, but staff should look at it


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str  # A1 address of the cell (or of the row's first cell for row problems)
    value: str  # the value as typed
    code: str  # key of the message catalog
    params: tuple[tuple[str, str], ...] = ()
    severity: Severity = Severity.ERROR
    header: str = ""  # the column's header as staff typed it, when the problem is a cell's
    row: int = -1  # 0-based sheet row; -1 for sheet-level problems
    also: tuple[int, ...] = ()  # other rows the same problem is about (an unknown word's)

    def message(self, language: str) -> str:
        return render(self.code, dict(self.params), language)

    def line(self, language: str) -> str:
        """One line for the row's problems column: 'Phone: not a valid phone number'."""
        text = self.message(language)
        return f"{self.header}: {text}" if self.header else text
