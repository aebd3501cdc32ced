"""The Excel backend: reads with calamine, writes by patching the .xlsx package.

ExcelBackend is imported when first asked for: a read begun at start-up (see
excel/early_read.py) imports the reader alone, before the rest of the backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sheetcrm.excel.backend import ExcelBackend

__all__ = ["ExcelBackend"]


def __getattr__(name: str) -> Any:
    if name == "ExcelBackend":
        from sheetcrm.excel.backend import ExcelBackend

        return ExcelBackend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
