"""Staff columns that happen to share a name with one of the job's ("Plan", "VIP", "Score")
are staff's: never written over, reported once, and the job writes its own beside them under
its name with " (sheetcrm)". The job's own block of columns stays the job's, run after run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.backend import RawSheet
from sheetcrm.cell_changes import first_unused_column
from sheetcrm.errors import BackendError
from sheetcrm.schema import SheetKind
from sheetcrm.settings import load_settings
from tests.xlsx_rules import assert_sync_kept_it_valid, sdk_errors

HEADER = ["Customer ID", "Name", "Plan", "VIP", "Score", "Phone"]
CUSTOMERS = [
    ["C1", "Ana Ruiz", "Gold membership 2027", "Gold", 4.5, "+34 612 345 678"],
    ["C2", "Luis Gil", "Silver", "", 3, "+34 622 345 678"],
    ["C3", "Eva Sanz", "", "Platinum", "", "+34 632 345 678"],
]
ORDERS = [["Order ID", "Date", "Customer ID", "Amount"]] + [
    [f"O{i}", f"2027-01-{10 + i:02d}", f"C{1 + i % 3}", 1000 * (i + 1)] for i in range(6)
]


def register(folder: Path, columns: tuple[int, ...] = tuple(range(len(HEADER)))) -> Path:
    """The register with these of its columns (all: staff's Plan, VIP and Score too)."""
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([HEADER, *CUSTOMERS]):
        sheet.write_row(r, 0, [row[c] for c in columns])
    orders = book.add_worksheet("Orders")
    for r, row in enumerate(ORDERS):
        orders.write_row(r, 0, row)
    book.close()
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    return config


def test_staff_columns_named_like_the_job_s_are_never_written_over(tmp_path: Path) -> None:
    config = register(tmp_path)
    book = tmp_path / "crm.xlsx"
    sdk_before = sdk_errors(book)
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        report = sync.run(load_settings(config), today=today)
        assert_sync_kept_it_valid(book, sdk_before)
        sheet = openpyxl.load_workbook(book)["Customers"]
        header = [c.value for c in sheet[1]]
        assert [[c.value for c in row[:6]] for row in sheet.iter_rows(min_row=2)] == [
            [None if v == "" else v for v in row] for row in CUSTOMERS
        ]
        for name in ("Plan", "VIP", "Score"):
            assert header.count(name) == 1 and header.count(f"{name} (sheetcrm)") == 1
        assert header.count("Tier") == 1  # the job's block, found again on the second run
        tiers = [sheet.cell(r, header.index("Tier") + 1).value for r in (2, 3, 4)]
        assert set(tiers) <= {"A", "B", "C", "D"} and all(tiers)
        clashes = [(p.cell, p.header) for p in report.problems if p.code == "column.owned_clash"]
        assert clashes == [("C1", "Plan"), ("D1", "VIP"), ("E1", "Score")]


def test_the_clash_names_a_value_of_staff_s_and_the_job_s_column(tmp_path: Path) -> None:
    report = sync.check(load_settings(register(tmp_path)), today=dt.date(2027, 2, 1))
    (plan, *_) = [p for p in report.problems if p.code == "column.owned_clash"]
    assert plan.message("en") == (
        "this column of yours has the name of one the job writes, and holds your values "
        "('Gold membership 2027' in C2): it is left alone, and the job writes its own as "
        "Plan (sheetcrm)"
    )


@pytest.mark.parametrize(
    ("values", "taken"),
    [
        (["", "", ""], True),  # an empty column named Plan: nothing of staff's to lose
        (["Gold", "", ""], False),
    ],
)
def test_an_empty_column_named_like_the_job_s_is_the_job_s(
    values: list[str], taken: bool, tmp_path: Path
) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, ["Customer ID", "Name", "VIP"])
    for r, value in enumerate(values, start=1):
        sheet.write_row(r, 0, [f"C{r}", f"Name {r}", value])
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    settings = load_settings(config)
    layout = sync.compute(settings, sync.open_backend(settings).read(), dt.date(2027, 2, 1))
    register_layout = layout.inputs[SheetKind.CUSTOMERS].layout
    assert ("vip" in register_layout.owned) is taken


def test_a_staff_sheet_named_tier_a_with_the_job_s_header_is_not_written_over(
    tmp_path: Path,
) -> None:
    """Staff made their own "Tier A" (the job's header, their own rows) before the first
    sync: the job did not make it, so it refuses rather than replace it."""
    config = register(tmp_path)
    book = tmp_path / "crm.xlsx"
    sync.run(load_settings(config), today=dt.date(2027, 2, 1))
    header = [c.value for c in openpyxl.load_workbook(book)["Tier A"][1]]
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    config = register(fresh)
    staff = openpyxl.load_workbook(fresh / "crm.xlsx")
    mine = staff.create_sheet("Tier A")
    mine.append(header)
    mine.append(["C9", "My best customer ever"])
    staff.save(fresh / "crm.xlsx")
    before = (fresh / "crm.xlsx").read_bytes()
    with pytest.raises(BackendError, match="has a sheet 'Tier A' that sheetcrm did not make"):
        sync.run(load_settings(config), today=dt.date(2027, 2, 1))
    assert (fresh / "crm.xlsx").read_bytes() == before
    # Refused before the day's messages: nothing recorded as sent or handed to staff.
    from sheetcrm.reminders import ledger_entries

    assert ledger_entries(load_settings(config), None) == []


def test_the_job_s_sheets_carry_its_mark_and_stay_its_own(tmp_path: Path) -> None:
    config = register(tmp_path)
    book = tmp_path / "crm.xlsx"
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        sync.run(load_settings(config), today=today)
    workbook = openpyxl.load_workbook(book)
    marked = {
        workbook.sheetnames[i]
        for i, sheet in enumerate(workbook.worksheets)
        if "_sheetcrm_generated" in sheet.defined_names
    }
    assert marked == {"Problems", "Tier A", "Tier B", "Tier C", "Tier D", "Outbox"} | (
        {"Tier history"} & set(workbook.sheetnames)
    )


def test_a_workbook_synced_before_the_mark_is_taken_as_the_job_s(tmp_path: Path) -> None:
    """Sheets written by a version that did not mark them: the job's header, nothing right
    of it, the other generated sheets there: adopted, and marked from then on."""
    config = register(tmp_path)
    book = tmp_path / "crm.xlsx"
    sync.run(load_settings(config), today=dt.date(2027, 2, 1))
    unmarked = openpyxl.load_workbook(book)
    for sheet in unmarked.worksheets:
        if "_sheetcrm_generated" in sheet.defined_names:
            del sheet.defined_names["_sheetcrm_generated"]
    unmarked.save(book)
    sync.run(load_settings(config), today=dt.date(2027, 9, 1))
    workbook = openpyxl.load_workbook(book)
    assert "_sheetcrm_generated" in workbook["Tier A"].defined_names


def test_a_plan_column_staff_add_left_of_the_job_s_block_is_theirs(tmp_path: Path) -> None:
    """After a sync, staff insert a column of their own called Plan left of the job's block:
    it is reported and left alone; the job moves to "Plan (sheetcrm)" (a writer finding
    columns by header must never find staff's first)."""
    config = register(tmp_path, columns=(0, 1, 5))  # no Plan of theirs yet
    sync.run(load_settings(config), today=dt.date(2027, 2, 1))
    synced = openpyxl.load_workbook(tmp_path / "crm.xlsx")
    customers = synced["Customers"]
    customers.insert_cols(3)
    customers.cell(1, 3, "Plan")
    customers.cell(2, 3, "Gold membership 2027")
    synced.save(tmp_path / "crm.xlsx")
    sync.run(load_settings(config), today=dt.date(2027, 9, 1))
    after = openpyxl.load_workbook(tmp_path / "crm.xlsx")["Customers"]
    assert after.cell(2, 3).value == "Gold membership 2027"
    header = [c.value for c in after[1]]
    assert "Plan (sheetcrm)" in header


@pytest.mark.parametrize(
    ("rows", "sheet", "first_free"),
    [
        ([["ID", "Name"], ["C1", "Ana"]], {}, 2),
        # rows as Google gives them: each as long as its last filled cell
        ([["ID", "Name"], ["C1", "Ana", "", "", "note far right"], ["C2"]], {}, 5),
        # a cell of spaces, or an empty one, holds nothing
        ([["ID", "Name", "   ", None], ["C1", "Ana", "", ""]], {}, 2),
        # a styled blank cell is used (the dimension says so): never written into
        ([["ID", "Name"], ["C1", "Ana"]], {"used_columns": 4}, 4),
        # a formula whose cached result is blank, a merge reaching right
        ([["ID", "Name", ""], ["C1", "Ana", ""]], {"formulas": frozenset({(1, 2)})}, 3),
        ([["ID", "Name"], ["C1", "Ana"]], {"merged": (((0, 0), (0, 6)),)}, 7),
        ([], {}, 0),
    ],
)
def test_the_job_s_new_columns_go_right_of_everything_the_sheet_holds(
    rows: list[list[object]], sheet: dict[str, object], first_free: int
) -> None:
    raw = RawSheet("Customers", [tuple(r) for r in rows], **sheet)  # type: ignore[arg-type]
    assert first_unused_column(raw) == first_free
