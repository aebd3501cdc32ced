"""A staff save landing in any phase of a sync is never lost [issue 17]: whichever phase it
lands in (read, compute, send, patch, right before or right after the rename), the staff's
bytes end up as the workbook, and sync either refused (saying so) or had finished before the
save. A save before the sending starts also means nothing was sent."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import sheetcrm.excel.backend as excel_backend
import sheetcrm.excel.save as excel_save
from sheetcrm import reminders, sync
from sheetcrm.errors import BackendError
from sheetcrm.excel import ExcelBackend
from sheetcrm.reminders import ledger_entries
from sheetcrm.settings import load_settings
from tests.test_busy_office import CUSTOMERS, NOON, TODAY, shop, shop_book

PHASES = ["read", "compute", "send", "patch", "before the rename", "after the rename"]
SENT_BEFORE = {"send", "patch", "before the rename", "after the rename"}


def staff_version(folder: Path) -> bytes:
    """The register with a customer a staff member just added."""
    added = ["C2", "Sol Vega", "+34 632 345 678", "Kim Lee", "1985-05-06"]
    return shop_book(folder / "staff.xlsx", [*CUSTOMERS, added]).read_bytes()


def after(function: Callable[..., Any], then: Callable[[], None]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        then()
        return result

    return wrapped


def before(function: Callable[..., Any], first: Callable[[], None]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        first()
        return function(*args, **kwargs)

    return wrapped


@pytest.mark.parametrize("how", ["in place", "by rename, as Excel saves"])
@pytest.mark.parametrize("phase", PHASES)
def test_a_staff_save_in_any_phase_of_a_sync_is_never_lost(
    phase: str, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(shop(tmp_path))
    book = tmp_path / "crm.xlsx"
    staff = staff_version(tmp_path)
    saved: list[bool] = []

    def staff_saves() -> None:
        if saved:
            return
        saved.append(True)
        if how == "in place":
            with book.open("r+b") as f:
                f.truncate(0)
                f.write(staff)
        else:
            (tmp_path / "~saving.tmp").write_bytes(staff)
            os.replace(tmp_path / "~saving.tmp", book)

    hooks = {
        "read": lambda: monkeypatch.setattr(
            ExcelBackend, "read", after(ExcelBackend.read, staff_saves)
        ),
        "compute": lambda: monkeypatch.setattr(sync, "compute", after(sync.compute, staff_saves)),
        "send": lambda: monkeypatch.setattr(reminders, "send", before(reminders.send, staff_saves)),
        "patch": lambda: monkeypatch.setattr(
            excel_backend, "_write_package", after(excel_backend._write_package, staff_saves)
        ),
        "before the rename": lambda: monkeypatch.setattr(
            excel_save, "_hold", before(excel_save._hold, staff_saves)
        ),
        "after the rename": lambda: monkeypatch.setattr(
            excel_save, "_fsync_dir", before(excel_save._fsync_dir, staff_saves)
        ),
    }
    hooks[phase]()
    try:
        report = sync.run(settings, today=TODAY, now=NOON)
        refused = None
    except BackendError as exc:
        report, refused = None, str(exc)
    assert saved
    assert book.read_bytes() == staff  # the staff's version is the workbook, whatever happened
    if phase == "after the rename":
        assert report is not None and report.result is not None  # the save came later
    else:
        assert refused is not None and ("staff edits win" in refused or "their version" in refused)
    if phase not in SENT_BEFORE:
        assert ledger_entries(settings, None) == []  # refused before anything was sent
