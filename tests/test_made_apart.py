"""The generated sheets are made in a copy of the process started before the staff sheets'
edits are worked out (issue 10), with the styles the edits are guessed to take; what the
edits took is compared with the guess, and a sheet the guess got wrong is made again here.

Where the guess holds (a first run, the run after it) the copy's parts are written; where
it does not, the workbook is still the one the edits call for, style by style.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.demo import generate_demo
from sheetcrm.excel import backend as excel_backend
from sheetcrm.excel import made_apart
from sheetcrm.excel.backend import ExcelBackend
from sheetcrm.excel.made_apart import Make, PartsApart
from sheetcrm.excel.styles import Styles
from sheetcrm.excel.zipwriter import Deflated
from sheetcrm.plan import CellWrite, GeneratedSheet, OwnedColumn, SheetWrites, WritePlan
from sheetcrm.settings import load_settings
from tests.excel_fixtures import staff_workbook

TODAY = dt.date(2027, 2, 6)  # the Spring Festival: an Outbox full of greetings too


@pytest.fixture
def copies_used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """For each write: how many generated sheets came from the early copy (0: made here)."""
    used: list[int] = []

    class Counted(PartsApart):
        def results(self, here: Sequence[Make]) -> list[tuple[Deflated, int]]:
            made = super().results(here)
            used.append(len(made) - len(here))
            return made

    monkeypatch.setattr(excel_backend, "PartsApart", Counted)
    # Every generated sheet is worth a copy here, however few its cells.
    monkeypatch.setattr(excel_backend, "WORTH_A_COPY", 0)
    return used


def _demo(folder: Path, language: str) -> Path:
    book = folder / "crm.xlsx"
    generate_demo(book, customers=120, language=language, messy=0.08, today=TODAY)
    return book


WORKBOOKS = {
    "demo zh-Hans": lambda f: _demo(f, "zh-Hans"),
    "demo es": lambda f: _demo(f, "es"),
    "xlsxwriter staff workbook": lambda f: staff_workbook(f / "crm.xlsx", f),
}


def _sync(folder: Path) -> dict[str, bytes]:
    config = folder / "settings.yaml"
    if not config.exists():
        config.write_text("workbook: crm.xlsx\nbackups: 0\nstate_dir: state\n", "utf-8")
    settings = load_settings(config)
    now = dt.datetime(2027, 2, 6, 10, 30, tzinfo=ZoneInfo(settings.schedule.timezone))
    sync.run(settings, today=TODAY, now=now)
    with zipfile.ZipFile(settings.workbook) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_the_copys_sheets_are_written_on_a_first_run_and_the_next(
    tmp_path: Path, copies_used: list[int], workbook: str
) -> None:
    WORKBOOKS[workbook](tmp_path)
    first = _sync(tmp_path)
    second = _sync(tmp_path)
    assert len(copies_used) == 2 and all(copies_used), copies_used
    # The second run changes no cell of the first's: the same sheets, the same styles.
    assert second["xl/styles.xml"] == first["xl/styles.xml"]


def _wrong_guess(styles: Styles, sheets: Sequence[SheetWrites]) -> Styles:
    guess = made_apart.styles_guessed(styles, sheets)
    guess.for_kind("wrap")  # a style the edits never take: every later one is numbered on
    guess.for_kind("date")
    return guess


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_sheets_guessed_wrong_are_made_again_into_the_same_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copies_used: list[int], workbook: str
) -> None:
    written = {}
    for guess in ("right", "wrong"):
        folder = tmp_path / guess
        folder.mkdir()
        WORKBOOKS[workbook](folder)
        if guess == "wrong":
            monkeypatch.setattr(excel_backend, "styles_guessed", _wrong_guess)
        written[guess] = _sync(folder)
    assert copies_used[0] > 0 and copies_used[1] == 0  # the wrong guess's copy: let go
    assert written["wrong"] == written["right"]


def test_a_column_staff_filled_already_is_not_styled_and_the_guess_is_caught(
    tmp_path: Path, copies_used: list[int]
) -> None:
    """The guess takes a kind's style at the first value the plan gives; the edits only
    where a value changes. A register whose "Spent" column already holds the plan's
    amounts gets no money style from the edits, and the report sheet, which takes the
    date style and then the money one, must get them in that order."""
    book = tmp_path / "crm.xlsx"
    with xlsxwriter.Workbook(book) as wb:
        sheet = wb.add_worksheet("Customers")
        sheet.write_row(0, 0, ["ID", "Name", "Spent"])
        for n in range(1, 31):
            sheet.write_row(n, 0, [f"C{n:03}", f"Customer {n}", 10.0 * n])
    spent = OwnedColumn("Spent", "money")
    plan = WritePlan(
        sheets=(
            SheetWrites(
                "Customers",
                "ID",
                "ID",
                (spent,),
                tuple(CellWrite(f"C{n:03}", "Spent", 10.0 * n) for n in range(1, 31)),
            ),
        ),
        generated=(
            GeneratedSheet(
                "Report",
                ("Day", "Spent"),
                tuple((TODAY - dt.timedelta(days=n), 2.5 * n) for n in range(40)),
                ("date", "money"),
            ),
        ),
    )
    backend = ExcelBackend(book, backups=0)
    backend.write(plan, backend.read())
    assert copies_used == [0]  # the copy's sheet had the guessed styles: made again
    wb = openpyxl.load_workbook(book)
    report, register = wb["Report"], wb["Customers"]
    assert report["A2"].number_format == "yyyy-mm-dd"
    assert report["B2"].number_format == "#,##0.00"
    assert report["A1"].font.b
    assert register["C2"].value == 10.0 and register["C2"].number_format == "General"
