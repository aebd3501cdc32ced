"""sheetcrm: the spreadsheets a small team already shares, run as a customer-relationship system."""

from sheetcrm.errors import BackendError, ConfigError, SheetCRMError

__all__ = ["BackendError", "ConfigError", "SheetCRMError"]
__version__ = "0.1.0"
