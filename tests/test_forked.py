"""Work on the second core: a forked copy gives what this process would have made, and a
copy that fails or is not wanted never costs the result.

A read scans the sheets' XML in a copy; check validates the contact log in a copy; a sync
folds the log, renders its messages and makes the generated sheets in copies. Each is
compared here with the same work in one process (SHEETCRM_ONE_PROCESS=1).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import shutil
import threading
import time
import weakref
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheetcrm import forked, reminders, sync
from sheetcrm.demo import generate_demo
from sheetcrm.excel import backend as excel_backend
from sheetcrm.outbound import MessageKind
from sheetcrm.schema import SheetKind
from sheetcrm.settings import load_settings
from sheetcrm.sheets import sheet_inputs
from sheetcrm.starter import starter_settings
from tests.excel_fixtures import REGISTER, staff_workbook

TODAY = dt.date(2027, 2, 1)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The pids of the copies forked while the test runs."""
    assert forked.can_fork(), "no fork here: a thread left running by another test?"
    pids: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", counted)
    yield pids


def test_a_copy_gives_the_result_of_the_work(forks: list[int]) -> None:
    parent = os.getpid()
    with forked.Apart(lambda: (os.getpid(), [1, 2, 3])) as apart:
        worker, value = apart.result()
    assert value == [1, 2, 3]
    assert worker != parent and forks == [worker]


@pytest.mark.parametrize(
    "failure",
    [lambda: os._exit(3), lambda: os.kill(os.getpid(), 9)],
    ids=["exits", "killed"],
)
def test_a_copy_that_ends_early_leaves_the_work_to_this_process(
    forks: list[int], failure: object
) -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            failure()  # type: ignore[operator]
        return os.getpid()

    with forked.Apart(work) as apart:
        assert apart.result() == parent
    assert len(forks) == 1


_PREPARED: list[int] = []  # the pids in_copy ran in


def _prepare() -> None:
    _PREPARED.append(os.getpid())


def test_what_is_done_in_the_copy_only_is_done_there_before_the_work(forks: list[int]) -> None:
    _PREPARED.clear()
    with forked.Apart(lambda: list(_PREPARED), in_copy=_prepare) as apart:
        assert apart.result() == forks  # seen by the work, in the copy
    assert _PREPARED == []  # never here


@pytest.mark.parametrize("copied", [True, False], ids=["the copy fails", "no copy"])
def test_work_done_here_after_all_is_done_without_what_was_for_the_copy(
    forks: list[int], copied: bool
) -> None:
    _PREPARED.clear()
    parent = os.getpid()

    def work() -> list[int]:
        if os.getpid() != parent:
            os._exit(3)
        return list(_PREPARED)

    with forked.Apart(work, fork=copied, in_copy=_prepare) as apart:
        assert apart.result() == []
    assert len(forks) == int(copied) and _PREPARED == []


def test_an_error_in_the_work_is_raised_here(forks: list[int]) -> None:
    def work() -> int:
        raise ValueError("bad cell")

    with forked.Apart(work) as apart, pytest.raises(ValueError, match="bad cell"):
        apart.result()
    assert len(forks) == 1


def test_a_copy_whose_result_nobody_asks_for_is_stopped(forks: list[int]) -> None:
    with pytest.raises(RuntimeError), forked.Apart(lambda: __import__("time").sleep(60)):
        raise RuntimeError("the run fails before it asks")
    (pid,) = forks
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no process outlives the run


@pytest.mark.parametrize("fork", [True, False])
def test_the_work_and_what_it_holds_are_let_go_once_its_result_is_in(
    forks: list[int], fork: bool
) -> None:
    """A run keeps its Apart in scope while it goes on: the records its work was given must
    not stay alive with it (at 100,000 customers they weigh on the write's peak)."""

    class Records(list[int]):
        pass

    records = Records(range(3))
    held = weakref.ref(records)
    with forked.Apart(partial(sum, records), fork=fork) as apart:
        del records
        assert apart.result() == 3
        gc.collect()
        assert held() is None
        with pytest.raises(RuntimeError, match="once"):
            apart.result()
    assert len(forks) == (1 if fork else 0)


def test_work_kept_here_when_its_result_is_too_big_to_send(forks: list[int]) -> None:
    with forked.Apart(os.getpid, fork=False) as apart:
        assert apart.result() == os.getpid()
    assert forks == []


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forked.ONE_PROCESS, "1")
    assert not forked.can_fork()
    with forked.Apart(os.getpid) as apart:
        assert apart.result() == os.getpid()


def _after_the_gate(gate: forked.Gate) -> float:
    gate.wait()
    return time.monotonic()


@pytest.mark.timeout(60)
def test_a_copy_waits_at_its_gate_until_this_process_opens_it(forks: list[int]) -> None:
    with forked.Gate() as gate, forked.Apart(partial(_after_the_gate, gate)) as apart:
        time.sleep(0.3)
        opened = time.monotonic()
        gate.open()
        assert apart.result() >= opened
    assert len(forks) == 1


@pytest.mark.timeout(60)
def test_a_gate_opens_when_its_block_ends(forks: list[int]) -> None:
    gate = forked.Gate()
    with forked.Apart(partial(_after_the_gate, gate)) as apart:
        with gate:
            time.sleep(0.3)
            left = time.monotonic()  # a failing run leaves the block: the copy goes on
        assert apart.result() >= left


@pytest.mark.timeout(60)
def test_work_done_here_passes_its_shut_gate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forked.ONE_PROCESS, "1")
    with forked.Gate() as gate, forked.Apart(partial(_after_the_gate, gate)) as apart:
        assert apart.result() <= time.monotonic()


def test_a_gate_opened_from_two_threads_at_once_closes_its_pipe_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A reading thread opens the gate once the big sheets are parsed; a read let go meanwhile
    # opens it too, leaving its block. Each close is slowed so that both come at once.
    closed: list[int] = []
    close = os.close

    def slow_close(fd: int) -> None:
        time.sleep(0.05)
        closed.append(fd)
        close(fd)

    with forked.Gate() as gate:
        monkeypatch.setattr(os, "close", slow_close)
        both = threading.Barrier(2)

        def open_it() -> None:
            both.wait()
            gate.open()

        threads = [threading.Thread(target=open_it) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        monkeypatch.setattr(os, "close", close)
    assert len(closed) == len(set(closed)) == 1


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 7])
def test_work_on_both_cores_keeps_the_order_of_the_items(forks: list[int], count: int) -> None:
    done = forked.mapped_apart(lambda n: (n * n, os.getpid()), range(count))
    assert [square for square, _ in done] == [n * n for n in range(count)]
    workers = {pid for _, pid in done}
    assert workers == ({os.getpid(), *forks} if count >= 3 else {os.getpid()} if count else set())
    assert len(forks) == (1 if count >= 3 else 0)  # a copy only when it has an item to do


def test_work_the_caller_judges_too_small_stays_here(forks: list[int]) -> None:
    done = forked.mapped_apart(lambda n: (n * n, os.getpid()), range(7), apart=False)
    assert done == [(n * n, os.getpid()) for n in range(7)]
    assert forks == []


GREETING, DIGEST, SUMMARY = (
    MessageKind.HOLIDAY,
    MessageKind.STAFF_DIGEST,
    MessageKind.MANAGER_SUMMARY,
)


@pytest.mark.parametrize(
    ("kinds", "apart"),
    [
        ([GREETING] * 199, False),  # a small shop's festival: 20 ms of work, less than a fork
        ([GREETING] * 200, True),
        ([DIGEST] * 19, False),
        ([DIGEST] * 20, True),  # a digest is ten greetings' work: a sales team's morning
        ([DIGEST] * 19 + [SUMMARY], True),
        ([GREETING] * 100 + [DIGEST] * 10, True),
        ([], False),
    ],
)
def test_messages_are_rendered_on_both_cores_by_the_work_they_take(
    kinds: list[MessageKind], apart: bool
) -> None:
    assert reminders.worth_rendering_apart(kinds) is apart


def _demo(folder: Path, language: str, customers: int) -> Path:
    generate_demo(folder / "crm.xlsx", customers=customers, language=language, today=TODAY)
    config = folder / "settings.yaml"
    config.write_text(
        starter_settings(language).replace("customers.xlsx", "crm.xlsx")
        + f"\nstate_dir: {folder / 'state'}\nbackups: 0\n",
        "utf-8",
    )
    return config


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en", "es"])
def test_check_finds_in_a_copy_the_log_problems_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int], language: str
) -> None:
    settings = load_settings(_demo(tmp_path, language, 300))
    snapshot = sync.open_backend(settings).read()
    log = sheet_inputs(settings, snapshot)[SheetKind.VISITS].sheet.name
    apart = sync.compute(settings, snapshot, TODAY, problems_only=True)
    assert len(forks) == 2  # the read's scans, the log's validation
    monkeypatch.setenv(forked.ONE_PROCESS, "1")
    alone = sync.compute(settings, snapshot, TODAY, problems_only=True)
    assert len(forks) == 2
    assert any(p.sheet == log for p in alone.problems)  # the demo's log has bad cells
    assert apart.problems == alone.problems
    assert list(apart.validated.rows_read.items()) == list(alone.validated.rows_read.items())


def test_a_read_finds_in_a_copy_the_flags_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    """Formulas, an error cell, a dropdown, a sparkline's column, a data bar, an autofilter:
    what the byte scan finds, in a copy, is what it finds here."""
    book = staff_workbook(tmp_path / "staff.xlsx", tmp_path)
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    register = "xl/worksheets/sheet1.xml"
    parts[register] = (
        parts[register]
        .replace(b'<c r="E3"><f>LEN(B3)</f><v>2</v>', b'<c r="E3" t="e"><f>LEN(B3)</f><v>#N/A</v>')
        .replace(
            b"</dataValidations>",
            '<dataValidation type="list" sqref="C3:C9"><formula1>"VIP,常客"</formula1>'
            "</dataValidation></dataValidations>".encode(),
        )
    )
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    apart = excel_backend.ExcelBackend(book).read()
    assert len(forks) == 1
    monkeypatch.setenv(forked.ONE_PROCESS, "1")
    alone = excel_backend.ExcelBackend(book).read()
    assert len(forks) == 1
    sheet = apart.sheets[REGISTER]
    assert sheet.formulas and sheet.errors == {(2, 4): "#N/A"}
    assert sheet.dropdowns == (("C3:C9", ("VIP", "常客")),)
    assert sheet.drawn_columns and sheet.auto_filter and sheet.conditional_ranges
    assert apart == alone


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("language", ["zh-Hans", "es"])
def test_a_sync_writes_from_a_copy_the_workbook_one_process_writes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    forks: list[int],
    language: str,
) -> None:
    """The contact log folded, the messages rendered and the generated sheets made in
    copies (whatever their number, here)."""
    monkeypatch.setattr(excel_backend, "WORTH_A_COPY", 0)
    monkeypatch.setattr(reminders, "RENDERED_APART", 1)
    caplog.set_level(logging.DEBUG, logger=forked.__name__)
    source = _demo(tmp_path, language, 200).parent / "crm.xlsx"
    written = {}
    for one_process in ("0", "1"):
        monkeypatch.setenv(forked.ONE_PROCESS, one_process)
        folder = tmp_path / one_process
        folder.mkdir()
        shutil.copy(source, folder / "crm.xlsx")
        config = folder / "settings.yaml"
        config.write_text(
            (tmp_path / "settings.yaml")
            .read_text("utf-8")
            .replace(str(tmp_path / "state"), str(folder / "state")),
            "utf-8",
        )
        settings = load_settings(config)
        now = dt.datetime(2027, 2, 1, 10, 30, tzinfo=ZoneInfo(settings.schedule.timezone))
        sync.run(settings, today=TODAY, now=now)
        written[one_process] = _members(settings.workbook)
    # The first run's read, contact log, messages (whose copy renders the customers' and
    # the staff's in copies of its own, not counted here) and write; the second run none.
    assert len(forks) == 4
    assert not caplog.records  # no copy failed (its work would have been done here)
    assert written["0"] == written["1"]
