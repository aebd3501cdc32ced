"""A busy office: one sync at a time per workbook, and nothing sent before the write is known
to be possible (the workbook open in LibreOffice or Excel refuses first) [issue 17]."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import xlsxwriter

from sheetcrm import locks, sync
from sheetcrm.cli import execute
from sheetcrm.errors import BackendError
from sheetcrm.reminders import ledger_entries
from sheetcrm.settings import load_settings
from sheetcrm.state import workbook_state

TODAY = dt.date(2027, 2, 1)
NOON = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


CUSTOMERS = [["C1", "Ana Ruiz", "+34 612 345 678", "Kim Lee", "1980-02-03"]]


def shop_book(path: Path, customers: list[list[str]] = CUSTOMERS) -> Path:
    """The register and the staff list; the staff get a digest today."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([["Customer ID", "Name", "Phone", "Owner", "Birthday"], *customers]):
        sheet.write_row(r, 0, row)
    staff = book.add_worksheet("Staff")
    staff.write_row(0, 0, ["Name", "E-mail", "Active"])
    staff.write_row(1, 0, ["Kim Lee", "kim@example.com", "yes"])
    book.close()
    return path


def shop(folder: Path) -> Path:
    """A register whose staff get a digest today: something would be sent."""
    shop_book(folder / "crm.xlsx")
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    return config


@pytest.mark.parametrize(
    ("lock_name", "content", "who"),
    [
        (
            ".~lock.crm.xlsx#",
            ",Ana García,office-pc,01.02.2027 09:12,file:///C:/Users/ana;",
            "Ana García",
        ),
        ("~$crm.xlsx", b"\x07Kim Lee" + bytes(40), "Kim Lee"),
    ],
    ids=["LibreOffice", "Excel"],
)
def test_an_open_workbook_refuses_before_anything_is_sent(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lock_name: str,
    content: str | bytes,
    who: str,
) -> None:
    config = shop(tmp_path)
    lock = tmp_path / lock_name
    lock.write_bytes(content.encode() if isinstance(content, str) else content)
    before = (tmp_path / "crm.xlsx").read_bytes()
    os.environ["SHEETCRM_NOW"] = NOON.isoformat()
    try:
        assert execute(["-c", str(config), "sync", "--today", TODAY.isoformat()]) == 3
    finally:
        del os.environ["SHEETCRM_NOW"]
    err = capsys.readouterr().err
    assert f"crm.xlsx is open in another program by {who} (lock file {lock_name})" in err
    assert "Nothing was sent or written. If nobody has it open, the lock file is stale" in err
    assert ledger_entries(load_settings(config), None) == []  # nothing went out
    assert (tmp_path / "crm.xlsx").read_bytes() == before
    # Closed again, the same sync sends the day's messages and writes.
    lock.unlink()
    report = sync.run(load_settings(config), today=TODAY, now=NOON)
    assert report.delivery is not None and report.delivery.outcomes
    assert ledger_entries(load_settings(config), None) != []


def test_a_second_sync_waits_then_names_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(shop(tmp_path))
    monkeypatch.setattr(locks, "LOCK_WAIT", 0.5)
    path = locks.lock_path(settings.state_dir, str(settings.workbook))
    with locks.workbook_lock(path, "crm.xlsx"), pytest.raises(BackendError) as refused:
        sync.run(settings, today=TODAY, now=NOON)
    assert str(refused.value).startswith(
        f"another sheetcrm (PID {os.getpid()}) is syncing crm.xlsx; waited 0.5 s."
    )
    report = sync.run(settings, today=TODAY, now=NOON)  # the lock is free again
    assert report.result is not None and report.result.changed


def test_a_symlinked_workbook_is_written_through_to_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    config = shop(shared)
    link = tmp_path / "crm.xlsx"
    link.symlink_to(shared / "crm.xlsx")
    config.write_text(f"workbook: {link}\nlanguage: en\n", "utf-8")
    before = (shared / "crm.xlsx").read_bytes()
    report = sync.run(load_settings(config), today=TODAY, now=NOON)
    assert report.result is not None and report.result.changed
    assert link.is_symlink() and link.resolve() == (shared / "crm.xlsx").resolve()
    assert (shared / "crm.xlsx").read_bytes() != before


def test_a_full_disk_is_one_line_and_the_workbook_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    import sheetcrm.excel.backend as excel_backend

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(excel_backend, "_write_package", full)
    config = shop(tmp_path)
    before = (tmp_path / "crm.xlsx").read_bytes()
    assert execute(["-c", str(config), "sync", "--today", TODAY.isoformat()]) == 3
    assert capsys.readouterr().err == (
        "Error: cannot write crm.xlsx: No space left on device; the workbook was not changed\n"
    )
    assert (tmp_path / "crm.xlsx").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_ledger_is_readable_by_the_job_s_user_only(tmp_path: Path) -> None:
    settings = load_settings(shop(tmp_path))
    sync.run(settings, today=TODAY, now=NOON)
    assert settings.state_dir.stat().st_mode & 0o777 == 0o700
    assert workbook_state(settings).stat().st_mode & 0o777 == 0o700
    assert (workbook_state(settings) / "ledger.sqlite3").stat().st_mode & 0o777 == 0o600


def test_two_shops_in_one_folder_never_share_what_was_sent(tmp_path: Path) -> None:
    """Two workbooks and their settings side by side, one state_dir: each Outbox lists its
    own shop's messages only."""
    first = load_settings(shop(tmp_path))
    other = tmp_path / "other"
    other.mkdir()
    shop(other)
    (tmp_path / "other.xlsx").write_bytes((other / "crm.xlsx").read_bytes())
    config = tmp_path / "other.yaml"
    config.write_text("workbook: other.xlsx\nlanguage: en\n", "utf-8")
    second = load_settings(config)
    assert first.state_dir == second.state_dir
    sync.run(first, today=TODAY, now=NOON)
    assert ledger_entries(first, None) != []
    assert ledger_entries(second, None) == []  # nothing of the first shop's


def test_a_state_dir_of_before_is_taken_over_by_its_workbook(tmp_path: Path) -> None:
    settings = load_settings(shop(tmp_path))
    sync.run(settings, today=TODAY, now=NOON)
    sent = ledger_entries(settings, None)
    state = workbook_state(settings)
    for name in ("ledger.sqlite3", "ledger.sqlite3.runs"):
        (state / name).rename(settings.state_dir / name)  # as an earlier version kept it
    state.rmdir()
    assert ledger_entries(settings, None) == sent  # found, and moved into the shop's folder
    assert not (settings.state_dir / "ledger.sqlite3").exists()


def test_problems_on_screen_mask_phones_and_e_mails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, ["Customer ID", "Name", "Phone", "E-mail"])
    sheet.write_row(1, 0, ["C1", "Ana", "+34 612 345 6789", "ana.ruiz@@example.com"])
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    assert execute(["-c", str(config), "check", "--today", TODAY.isoformat()]) == 1
    out = capsys.readouterr().out
    assert "Customers!C2 [Phone]" in out and "Customers!D2 [E-mail]" in out
    assert "612 345 6789" not in out and "ana.ruiz@" not in out
