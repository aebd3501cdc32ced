"""Where one workbook's delivery state lives: its ledger and its timetable, in a folder of
their own under state_dir, so that two workbooks kept side by side (two shops, one folder)
never share what was sent, nor a day already run.

A state_dir written before the folder existed held one workbook's state at its top: the
first workbook to run takes it over, once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from sheetcrm.settings import Settings

# What a state_dir held at its top before each workbook had a folder of its own.
_LEGACY = ("ledger.sqlite3", "ledger.sqlite3.runs", "schedule-last-run", "schedule.lock")


def workbook_state(settings: Settings) -> Path:
    """The workbook's state folder (created 0700: it holds names and phones)."""
    workbook = str(settings.workbook)
    digest = hashlib.sha256(workbook.encode("utf-8")).hexdigest()[:10]
    stem = re.sub(r"[^\w.-]+", "_", Path(workbook).stem)[:40] or "workbook"
    folder = settings.state_dir / f"{stem}-{digest}"
    if not folder.exists():
        settings.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(mode=0o700, exist_ok=True)
        _take_over_legacy(settings.state_dir, folder)
    return folder


def _take_over_legacy(state_dir: Path, folder: Path) -> None:
    for name in _LEGACY:
        old = state_dir / name
        if old.exists() and not (folder / name).exists():
            with contextlib.suppress(OSError):  # another process took it first: it keeps it
                os.replace(old, folder / name)
