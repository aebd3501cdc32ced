"""`sheetcrm init DIRECTORY --google ADDRESS`: settings.yaml for a shared Google Sheet, and the
four sheets with their headers (and sample rows with --sample) created in it."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from sheetcrm.cells import CellValue
from sheetcrm.errors import ConfigError, SheetCRMError
from sheetcrm.settings import load_settings
from sheetcrm.starter import starter_settings, write_starter_workbook


def create_google_starter(
    directory: Path,
    *,
    address: str,
    credentials: Path,
    endpoint: str | None,
    language: str,
    customers: int,
    sample: bool,
    today: dt.date,
    country: str | None = None,
) -> Path:
    """Write DIRECTORY/settings.yaml naming the sheet, then create its sheets; the settings
    file is taken back if the sheet cannot be filled (share it, then run init again)."""
    settings = directory / "settings.yaml"
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with settings.open("x", encoding="utf-8") as out:
            out.write(_settings_text(address, credentials, endpoint, language, country))
    except FileExistsError:
        raise ConfigError(f"{settings} already exists; choose an empty folder") from None
    try:
        from sheetcrm.google.backend import GoogleBackend

        loaded = load_settings(settings)
        if loaded.google is None or loaded.google.spreadsheet is None:
            raise ConfigError(f"--google: {address!r} is not a Google Sheet's address or id")
        GoogleBackend(loaded.google).create_sheets(
            _starter_sheets(language, customers, sample, today, country)
        )
    except (SheetCRMError, OSError):
        settings.unlink(missing_ok=True)
        raise
    return settings


def _settings_text(
    address: str, credentials: Path, endpoint: str | None, language: str, country: str | None
) -> str:
    text = starter_settings(language, country)
    lines = [
        line if not line.startswith("workbook:") else f"workbook: {address}"
        for line in text.splitlines()
    ]
    google = ["", "google:", f"  credentials: {credentials.resolve()}"]
    if endpoint:
        google.append(f"  endpoint: {endpoint}")
    return "\n".join([*lines, *google]) + "\n"


def _starter_sheets(
    language: str, customers: int, sample: bool, today: dt.date, country: str | None
) -> Mapping[str, Sequence[Sequence[CellValue]]]:
    """The starter workbook's sheets as rows: the same names, headers and sample data."""
    import python_calamine

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "starter.xlsx"
        write_starter_workbook(book, customers, language, today, country)
        workbook = python_calamine.CalamineWorkbook.from_path(str(book))
        sheets = {
            name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names
        }
    return {name: rows if sample else rows[:1] for name, rows in sheets.items()}
