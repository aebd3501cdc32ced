"""A sync's or a check's read of the workbook begins as the process starts
(sheetcrm/excel/early_read.py): the settings file names the workbook the way the settings
will, and the backend takes the read only for that same file, unchanged; anything else is
let go and the workbook read as usual."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from sheetcrm.cli import cli, execute
from sheetcrm.entry import READ_THREADS, READS_FIRST
from sheetcrm.excel import ExcelBackend, early_read, reader
from sheetcrm.excel.package import Package
from sheetcrm.excel.reader import read_snapshot
from sheetcrm.settings import load_settings
from tests.excel_fixtures import REGISTER, staff_workbook
from tests.loaded_modules import loaded
from tests.test_reader_threads import Events, four_sheets, noted_calamine


@pytest.fixture(autouse=True)
def nothing_begun() -> Iterator[None]:
    """Each test ends with no read begun, and no thread of a read let go still parsing: a
    later test that forks (can_fork: one thread only) or counts threads must not see it."""
    yield
    early_read.let_go()
    for thread in threading.enumerate():
        if thread.name.startswith(READ_THREADS):
            thread.join(timeout=30)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A shop's folder: settings.yaml naming books/shop.xlsx, a workbook another writer
    (xlsxwriter) shaped, with formulas, merged cells, a dropdown, a data bar and a table."""
    (tmp_path / "books").mkdir()
    staff_workbook(tmp_path / "books" / "shop.xlsx", tmp_path)
    (tmp_path / "settings.yaml").write_text("workbook: books/shop.xlsx\n", encoding="utf-8")
    return tmp_path


def children() -> list[int]:
    """This process's child processes (the byte scan's copy is one while it lives)."""
    found = []
    for listing in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        with suppress(FileNotFoundError):  # a thread that has just ended
            found += [int(pid) for pid in Path(listing).read_text().split()]
    return found


ARGUMENTS = [
    (["-c", "{cfg}", "sync"], True),
    (["--config", "{cfg}", "check", "--today", "2027-02-01"], True),
    (["--config={cfg}", "-q", "sync", "--dry-run"], True),
    (["-v", "-c", "{cfg}", "check"], True),
    (["-c", "{cfg}", "sync", "--help"], False),
    (["-c", "{cfg}", "run"], False),
    (["-c", "{cfg}", "preview"], False),
    (["-c", "{cfg}", "demo"], False),
    (["--version"], False),
    (["-c"], False),
    ([], False),
    (["--unknown", "-c", "{cfg}", "sync"], False),
]


@pytest.mark.parametrize(("argv", "reads"), ARGUMENTS)
def test_only_a_sync_or_a_check_begins_reading(shop: Path, argv: list[str], reads: bool) -> None:
    cfg = shop / "settings.yaml"
    named = early_read.workbook_named([a.format(cfg=cfg) for a in argv], READS_FIRST, os.environ)
    assert named == (load_settings(cfg).workbook if reads else None)


def test_the_options_read_before_the_command_are_the_command_lines(shop: Path) -> None:
    # An option the guess does not know begins no read (safe, only slower): the options it
    # knows are the group's own, so that a new one is taught to it.
    group = {opt for param in cli.params for opt in (*param.opts, *param.secondary_opts)}
    assert group == {*early_read._CONFIG, *early_read._FLAGS, "--version"}


def test_the_read_begins_before_the_pipeline_imports() -> None:
    # The read begins 0.08 s into the process because the reader loads alone.
    heavy = ["sheetcrm.excel.backend", "sheetcrm.settings", "sheetcrm.sync", "pydantic", "click"]
    assert loaded("import sheetcrm.excel.early_read", heavy) == []


SETTINGS = [
    # settings.yaml's workbook line, and whether the read begins
    ("workbook: books/shop.xlsx", True),  # relative to the settings file's folder
    ("workbook: ${SHOP_BOOKS}/shop.xlsx", True),
    ("workbook: ${NOT_SET_ANYWHERE}/shop.xlsx", False),
    ("workbook: books/shop.xlsx\ngoogle: {credentials: key.json}", False),
    ("workbook: https://docs.google.com/spreadsheets/d/1AbCdEf/edit", False),
    ("workbook: books/no-such-book.xlsx", False),
    ("workbook: books/shop.csv", False),
    ("workbook: [books/shop.xlsx]", False),
    ("workbook: books/shop.xlsx\n  : [not yaml", False),
    ("workbook: ~no-such-user-of-sheetcrm/shop.xlsx", False),  # no such home
    ('workbook: "books/shop\\x00.xlsx"', False),  # a NUL in the path
]


@pytest.mark.parametrize(("line", "reads"), SETTINGS)
def test_the_workbook_is_found_as_the_settings_find_it(shop: Path, line: str, reads: bool) -> None:
    cfg = shop / "settings.yaml"
    cfg.write_text(line + "\n", encoding="utf-8")
    environ = {"SHOP_BOOKS": str(shop / "books")}
    named = early_read.workbook_named(["-c", str(cfg), "check"], READS_FIRST, environ)
    if reads:
        assert named == load_settings(cfg, environ=environ).workbook == shop / "books/shop.xlsx"
    else:
        assert named is None


def test_without_c_the_working_directorys_settings_then_the_embedded_default(
    shop: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shop)
    assert early_read.workbook_named(["sync"], READS_FIRST, {}) == shop / "books/shop.xlsx"
    empty = tmp_path_factory.mktemp("empty")
    monkeypatch.chdir(empty)
    assert early_read.workbook_named(["sync"], READS_FIRST, {}) is None  # no demo yet
    demo = load_settings(None).workbook  # the embedded default's, in the working directory
    demo.parent.mkdir(parents=True)
    four_sheets(demo)
    assert early_read.workbook_named(["check"], READS_FIRST, {}) == demo


def test_the_begun_read_is_the_read_of_the_workbook(shop: Path) -> None:
    book = shop / "books/shop.xlsx"
    threads = threading.active_count()
    early_read.begin(["-c", str(shop / "settings.yaml"), "check"], READS_FIRST)
    taken = early_read.take(book)
    with Package(book) as package:
        plain = read_snapshot(package)
    assert taken is not None
    assert taken == plain
    assert taken.sheets[REGISTER].formulas and taken.sheets[REGISTER].merged
    assert early_read.take(book) is None  # taken once
    assert threading.active_count() == threads and children() == []


def test_the_backend_reads_what_was_begun(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = shop / "books/shop.xlsx"
    early_read.begin(["-c", str(shop / "settings.yaml"), "sync"], READS_FIRST)
    taken = []
    take = early_read.take
    monkeypatch.setattr(early_read, "take", lambda path: taken.append(take(path)) or taken[-1])
    snapshot = ExcelBackend(book, backups=0).read()
    assert taken and taken[0] is snapshot


def replaced(book: Path, tmp: Path) -> None:
    """Another workbook put in its place, as a sync or a save from Excel does."""
    four_sheets(tmp / "other.xlsx")
    os.replace(tmp / "other.xlsx", book)


def touched(book: Path, tmp: Path) -> None:
    """The same file written in place: its modification time moves."""
    stat = book.stat()
    os.utime(book, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("change", [replaced, touched])
def test_a_workbook_changed_after_the_read_began_is_read_again(
    shop: Path, tmp_path_factory: pytest.TempPathFactory, change: object
) -> None:
    book = shop / "books/shop.xlsx"
    early_read.begin(["-c", str(shop / "settings.yaml"), "sync"], READS_FIRST)
    change(book, tmp_path_factory.mktemp("other"))  # type: ignore[operator]
    assert early_read.take(book) is None
    with Package(book) as package:
        assert ExcelBackend(book, backups=0).read() == read_snapshot(package)
    assert children() == []  # the begun read's scan is stopped


def test_a_read_nothing_takes_is_let_go(shop: Path, tmp_path: Path) -> None:
    book = shop / "books/shop.xlsx"
    early_read.begin(["-c", str(shop / "settings.yaml"), "check"], READS_FIRST)
    assert early_read.take(four_sheets(tmp_path / "another.xlsx")) is None  # another workbook
    early_read.begin(["-c", str(shop / "settings.yaml"), "check"], READS_FIRST)
    early_read.let_go()  # the command failed before reading
    assert children() == []
    assert early_read.take(book) is None
    assert ExcelBackend(book, backups=0).read().sheets[REGISTER].rows


def test_the_command_line_says_what_it_says_without_the_begun_read(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["-c", str(shop / "settings.yaml"), "check", "--today", "2027-02-01"]
    status = execute(argv)  # in this process: nothing begun
    here = capsys.readouterr().out
    done = subprocess.run(
        [sys.executable, "-m", "sheetcrm", *argv], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (status, here)


def test_a_read_let_go_waits_for_no_parse_and_converts_nothing(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = shop / "books/shop.xlsx"
    events = Events(held=threading.Event())  # every parse waits until it is set
    monkeypatch.setattr(reader, "python_calamine", noted_calamine(events, book))
    threads = set(threading.enumerate())
    early_read.begin(["-c", str(shop / "settings.yaml"), "check"], READS_FIRST)
    early_read.let_go()  # returns while both parses are still held
    assert events.held is not None
    events.held.set()
    for thread in set(threading.enumerate()) - threads:
        thread.join(timeout=10)
    assert [e for e in events.seen if e.startswith("parsed")]
    assert not [e for e in events.seen if e.startswith("converting")]


def test_a_big_sheet_waiting_for_the_other_converts_nothing_once_let_go(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where the two big sheets are held (a 100,000-customer workbook), the first parsed
    # waits for the second: a read let go meanwhile converts neither.
    book = shop / "books/shop.xlsx"
    with Package(book) as package:
        sizes = {i.filename: i.compress_size for i in package.infos}
        big = sorted(package.sheets, key=lambda e: -sizes.get(e.part, 0))[:2]
    events = Events(slow=big[1].name)  # its parse ends 0.3 s after the other's
    monkeypatch.setattr(reader, "python_calamine", noted_calamine(events, book))
    monkeypatch.setattr(reader, "HOLD_BYTES", 0)  # every workbook is huge here
    early_read.begin(["-c", str(shop / "settings.yaml"), "check"], READS_FIRST)
    for _ in range(100):
        if f"parsed {big[0].name}" in events.seen:
            break
        threading.Event().wait(0.01)
    early_read.let_go()  # the first big sheet is parsed and waits for the second
    for thread in threading.enumerate():
        if thread.name.startswith(READ_THREADS):
            thread.join(timeout=10)
    assert f"parsed {big[1].name}" in events.seen
    assert not [e for e in events.seen if e.startswith("converting")]
