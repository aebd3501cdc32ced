"""The Excel backend: reads with calamine, writes by patching the .xlsx package."""

from sheetcrm.excel.backend import ExcelBackend

__all__ = ["ExcelBackend"]
