"""The command line: exact messages and exit codes (0 ok, 1 problems, 2 config, 3 workbook)."""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import xlsxwriter

from sheetcrm import clock, entry
from sheetcrm.cli import cli, execute
from sheetcrm.settings import load_settings
from tests.loaded_modules import loaded

TODAY = "2027-02-01"


def make_workbook(path: Path, customers: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    register = book.add_worksheet("Customers")
    for r, row in enumerate([["Customer ID", "Name", "Phone"], *customers]):
        register.write_row(r, 0, row)
    book.close()
    return path


def settings_for(tmp_path: Path, workbook: Path, extra: str = "") -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(f"workbook: {workbook.name}\ndates:\n  day_first: true\n{extra}", "utf-8")
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    book = make_workbook(tmp_path / "crm.xlsx", [["C1", "Ana", "+34 612 345 678"]])
    return settings_for(tmp_path, book)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    book = make_workbook(tmp_path / "crm.xlsx", [["C1", "Ana", "12345"], ["C1", "Eva", None]])
    return settings_for(tmp_path, book)


def test_check_exits_0_on_a_clean_workbook(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert execute(["-c", str(clean), "check", "--today", TODAY]) == 0
    assert "Problems: none" in capsys.readouterr().out


def test_check_exits_1_and_lists_problems(messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert execute(["-c", str(messy), "check", "--today", TODAY]) == 1
    out = capsys.readouterr().out
    assert "Problems: 3 errors, 0 warnings" in out
    assert "Customers!C2 [Phone] '12345':" in out
    assert "Customers!A3 [Customer ID] 'C1': customer id C1 is used on several rows (2, 3)" in out


def test_check_writes_nothing(messy: Path) -> None:
    book = messy.parent / "crm.xlsx"
    before = book.read_bytes()
    execute(["-c", str(messy), "check", "--today", TODAY])
    assert book.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--today", "tomorrow"], "'tomorrow' is not a date like 2027-02-01"),
        (["-c", "/nonexistent/settings.yaml", "check"], "settings file not found"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert execute(args) == 2
    assert message in capsys.readouterr().err


def test_a_missing_register_exits_2_naming_the_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    book.add_worksheet("Hoja1").write_row(0, 0, ["a", "b"])
    book.close()
    settings = settings_for(tmp_path, tmp_path / "crm.xlsx")
    assert execute(["-c", str(settings), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: the workbook has no customers sheet: expected a sheet named ")
    assert "its sheets: 'Hoja1'" in err


def test_a_missing_required_column_names_the_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    book.add_worksheet("Clientes").write_row(0, 0, ["Nombre", "Teléfono"])
    book.close()
    settings = settings_for(tmp_path, tmp_path / "crm.xlsx")
    assert execute(["-c", str(settings), "check"]) == 2
    err = capsys.readouterr().err
    assert "sheet 'Clientes': no column for id; expected a header such as Customer ID/" in err
    assert "ID cliente" in err


@pytest.mark.parametrize("command", ["check", "sync"])
def test_a_command_run_in_a_process_that_goes_on_leaves_the_collector_on_and_keeps_nothing(
    messy: Path, command: str
) -> None:
    """Only a process that ends with its command (python -m sheetcrm) leaves the cyclic
    collector off and its report for the exit: one that goes on (these tests, a daily
    `run`) gets both back as before."""
    execute(["-c", str(messy), command, "--today", TODAY])
    assert gc.isenabled()
    assert entry._LEFT_FOR_EXIT == []


def test_sync_then_sync_again_changes_nothing(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = messy.parent / "crm.xlsx"
    assert execute(["-c", str(messy), "sync", "--today", TODAY]) == 0
    first = book.read_bytes()
    assert "Wrote " in capsys.readouterr().out
    assert execute(["-c", str(messy), "sync", "--today", TODAY]) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert book.read_bytes() == first


def test_dry_run_lists_the_cells_a_sync_would_write_and_writes_nothing(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = messy.parent / "crm.xlsx"
    before = book.read_bytes()
    assert execute(["-c", str(messy), "sync", "--today", TODAY, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert book.read_bytes() == before
    headline = next(line for line in out if line.startswith("Dry run:"))
    assert headline.startswith("Dry run: nothing sent, nothing written. A sync would change ")
    would = int(headline.split("would change ")[1].split()[0])
    # By address, old → new, in words staff read: no Decimal('…'), no row digests.
    assert "  Customers!D1 [Problems] (empty) → 'Problems'" in out
    assert "  Customers!E2 [Tier] (empty) → 'E'" not in out
    assert any(line.startswith("  Customers!D2 [Problems] (empty) → 'Phone: ") for line in out)
    assert not any("Decimal(" in line for line in out)
    assert "  sheet Problems: rewritten with 3 rows" in out
    assert out[-1] == "Next: run sync without --dry-run to write these and send what is due."
    assert would == 17 + 2  # the 17 owned headers, and a Problems cell on each of the 2 rows
    # What the dry run listed is what the sync writes, cell by cell.
    listed = {
        line.split(" [")[0].strip(): line.split(" → ")[1]
        for line in out
        if line.startswith("  Customers!") and " → " in line
    }
    assert execute(["-c", str(messy), "sync", "--today", TODAY]) == 0
    written = openpyxl.load_workbook(book)["Customers"]
    for address, new in listed.items():
        value = written[address.split("!")[1]].value
        assert new in (f"'{value}'", str(value)) or str(value).startswith(new[:10]), address


@pytest.mark.parametrize("lock", ["~$crm.xlsx", ".~lock.crm.xlsx#"])
def test_sync_refuses_an_open_workbook(
    messy: Path, lock: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book = messy.parent / "crm.xlsx"
    (messy.parent / lock).write_text("x")
    before = book.read_bytes()
    assert execute(["-c", str(messy), "sync", "--today", TODAY]) == 3
    assert lock in capsys.readouterr().err
    assert book.read_bytes() == before


def test_init_creates_a_starter_that_checks(tmp_path: Path) -> None:
    target = tmp_path / "mycrm"
    assert execute(["init", str(target), "--language", "es", "--customers", "12"]) == 0
    assert (target / "customers.xlsx").exists()
    text = (target / "settings.yaml").read_text("utf-8")
    assert "workbook: customers.xlsx" in text
    assert "demo:" not in text
    assert execute(["-c", str(target / "settings.yaml"), "check"]) in (0, 1)
    assert execute(["init", str(target)]) == 2


def test_demo_command_writes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    assert execute(["demo", "--customers", "20", "--out", str(out), "--today", TODAY]) == 0
    assert out.stat().st_size > 0


def test_demo_never_overwrites_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.xlsx"
    out.write_bytes(b"the shop's own workbook")
    assert execute(["demo", "--customers", "20", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"Error: {out} already exists; give another --out or remove it first\n"
    )
    assert out.read_bytes() == b"the shop's own workbook"


@pytest.mark.parametrize("command", [["demo", "--out", "x.xlsx"], ["init", "x"]])
def test_a_negative_number_of_customers_is_refused(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert execute([*command, "--customers", "-5"]) == 2
    assert "Invalid value for '--customers': -5 is not in the range x>=1." in (
        capsys.readouterr().err
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "exit_code"),
    [("sync", 0), ("check", 1), ("preview", 0)],  # the demo has planted problems
)
def test_the_embedded_default_runs_in_an_empty_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    exit_code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert execute([command, "--today", TODAY]) == exit_code
    out = capsys.readouterr().out
    assert (tmp_path / "sheetcrm-demo" / "demo.xlsx").exists()
    if command != "preview":  # the demo is a Chinese shop's: its report is in Chinese
        assert "已创建演示工作簿" in out


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert execute([command, "--help"]) == 0
    assert "Usage: sheetcrm " + command in capsys.readouterr().out


def test_today_defaults_to_the_date_in_the_schedule_timezone(
    clean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Whatever the hour and the machine's zone: README promises the team's date.
    settings = load_settings(clean)
    expected = clock.now_in(ZoneInfo(settings.schedule.timezone)).date()
    execute(["-c", str(clean), "check"])
    assert f"today: {expected}" in capsys.readouterr().out


# The clock pinned a minute before and a minute after midnight in the team's zone.
MIDNIGHTS = [
    ("Asia/Shanghai", "2026-12-03T15:59:00+00:00", "2026-12-03"),
    ("Asia/Shanghai", "2026-12-03T16:01:00+00:00", "2026-12-04"),
    ("Europe/Madrid", "2026-12-03T22:59:00+00:00", "2026-12-03"),
    ("Europe/Madrid", "2026-12-03T23:01:00+00:00", "2026-12-04"),
    ("America/Mexico_City", "2026-12-04T05:59:00+00:00", "2026-12-03"),
    ("America/Mexico_City", "2026-12-04T06:01:00+00:00", "2026-12-04"),
]


@pytest.mark.parametrize(("zone", "pinned", "today"), MIDNIGHTS)
def test_today_turns_at_midnight_in_the_team_zone(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    zone: str,
    pinned: str,
    today: str,
) -> None:
    book = make_workbook(tmp_path / "crm.xlsx", [["C1", "Ana", "+34 612 345 678"]])
    config = settings_for(tmp_path, book, f"schedule:\n  timezone: {zone}\n")
    monkeypatch.setenv(clock.ENV_NAME, pinned)
    assert execute(["-c", str(config), "check"]) == 0
    assert f"today: {today})" in capsys.readouterr().out


def test_a_pinned_clock_without_an_offset_is_refused(
    clean: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(clock.ENV_NAME, "2026-12-03 23:30")
    assert execute(["-c", str(clean), "check"]) == 2
    assert capsys.readouterr().err.strip() == (
        "Error: SHEETCRM_NOW must be a time with its offset like 2026-12-03T23:30:00+08:00, "
        "got '2026-12-03 23:30'"
    )


def test_settings_yaml_in_the_working_directory_is_used(
    clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(clean.parent)
    assert execute(["check", "--today", TODAY]) == 0


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "sheetcrm", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "Usage: sheetcrm" in done.stdout or "Usage: python -m sheetcrm" in done.stdout


def test_run_catches_up_a_missed_sync_and_stops_on_sigterm(tmp_path: Path) -> None:
    """`sheetcrm run` started after the day's time syncs at once, then waits; SIGTERM ends it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    book = make_workbook(tmp_path / "crm.xlsx", [["C1", "Ana", "12345"]])
    config = settings_for(tmp_path, book, 'schedule: {at: "00:00", timezone: UTC}\n')
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sheetcrm", "-c", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        from sheetcrm.settings import load_settings
        from sheetcrm.state import workbook_state

        state = workbook_state(load_settings(config)) / "schedule-last-run"
        deadline = time.monotonic() + 60
        while not state.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert state.exists(), "the missed run was not caught up"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err.decode()
    assert b"Running every day at 00:00 (UTC)" in out
    assert "Problems" in [c.value for c in openpyxl.load_workbook(book)["Customers"][1]]


def test_the_cli_log_masks_phones_e_mails_and_channel_secrets(tmp_path: Path) -> None:
    """Every log line the command prints goes through the mask, with the secrets of the
    configured channels added once settings are loaded."""
    import os
    import subprocess
    import sys

    book = make_workbook(tmp_path / "crm.xlsx", [["C1", "Ana", "13800138000"]])
    config = settings_for(
        tmp_path,
        book,
        "channels:\n  outbox: {kind: outbox}\n"
        "  team: {kind: wecom, webhook_token: '${WECOM_KEY}'}\n",
    )
    script = (
        "import logging, sys\n"
        "from sheetcrm.cli import execute\n"
        "code = execute(['-v', '-c', sys.argv[1], 'check', '--today', '2027-02-01'])\n"
        "logging.getLogger('sheetcrm.test').warning(\n"
        "    'call +8613800138000 or ana@example.com, key k-93f1c2e4')\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parent.parent),
        "WECOM_KEY": "k-93f1c2e4",
    }
    done = subprocess.run(
        [sys.executable, "-c", script, str(config)], capture_output=True, env=env, timeout=120
    )
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "WARNING sheetcrm.test: call" in err
    assert "13800138000" not in err and "ana@example.com" not in err
    assert "k-93f1c2e4" not in err


# The CLI's own lines follow the workbook's language, and end with what to do next.
REPORT_LINES = [
    ("zh-Hans", "读取行数：", "问题：", "下一步：打开"),
    ("zh-Hant", "讀取列數：", "問題：", "下一步：開啟"),
    ("es", "Filas leídas:", "Problemas:", "Siguiente: abra"),
    ("en", "Rows read:", "Problems:", "Next: open"),
]


@pytest.mark.parametrize(("language", "rows", "problems", "next_step"), REPORT_LINES)
def test_the_report_speaks_the_workbook_language_and_says_what_next(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    rows: str,
    problems: str,
    next_step: str,
) -> None:
    from sheetcrm.demo import generate_demo

    book = tmp_path / "crm.xlsx"
    generate_demo(book, customers=12, language=language, today=dt.date(2027, 2, 1))
    config = settings_for(tmp_path, book)
    assert execute(["-c", str(config), "sync", "--today", TODAY]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(rows)
    assert out[2].startswith(problems)
    assert out[-1].startswith(next_step)
    assert str(book) in out[-1]


def test_help_imports_neither_the_pipeline_nor_its_libraries() -> None:
    # `sheetcrm --help` stays quick (README, Performance): what it needs is click alone.
    heavy = ["sheetcrm.sync", "sheetcrm.settings", "sheetcrm.channels", "jinja2", "holidays",
             "pydantic", "babel", "openpyxl", "python_calamine", "lxml"]  # fmt: skip
    assert loaded("import sheetcrm.cli", heavy) == []


def test_check_imports_none_of_what_sends_messages(tmp_path: Path) -> None:
    # check never sends: templates, locales, the ledger and the channels' HTTP, TLS and SMTP
    # code are not loaded for it.
    from sheetcrm.demo import generate_demo

    book = tmp_path / "crm.xlsx"
    generate_demo(book, customers=12, language="es", today=dt.date(2027, 2, 1))
    config = settings_for(tmp_path, book)
    checked = (
        "from sheetcrm.cli import execute\n"
        f"execute(['-c', {str(config)!r}, 'check', '--today', {TODAY!r}])"
    )
    heavy = ["jinja2", "babel", "sheetcrm.templating", "sheetcrm.ledger", "sheetcrm.reminders",
             "sheetcrm.delivery", "sheetcrm.channels.base", "sheetcrm.channels.smtp",
             "http.client", "smtplib", "ssl", "urllib.request"]  # fmt: skip
    assert loaded(checked, heavy) == []


def _leaving(
    body: str, tmp_path: Path, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    script = f"import atexit, threading, time\nfrom sheetcrm.entry import leave\n{body}"
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=timeout,
    )


def test_the_command_ends_with_its_status_its_whole_output_and_its_exit_callbacks(
    tmp_path: Path,
) -> None:
    """The process ends without freeing its objects one by one, but nothing is cut short:
    what it printed is all out, what is registered to run at exit has run."""
    done = _leaving(
        "atexit.register(lambda: open('ran', 'w').write('yes'))\nprint('x' * 200_000)\nleave(3)\n",
        tmp_path,
    )
    assert (done.returncode, len(done.stdout)) == (3, 200_001)
    assert (tmp_path / "ran").read_text() == "yes"


def test_the_command_waits_for_a_thread_still_running(tmp_path: Path) -> None:
    done = _leaving(
        "def later():\n"
        "    time.sleep(0.3)\n"
        "    open('done', 'w').write('yes')\n"
        "threading.Thread(target=later).start()\n"
        "leave(0)\n",
        tmp_path,
    )
    assert done.returncode == 0
    assert (tmp_path / "done").read_text() == "yes"


def test_the_command_does_not_wait_for_a_read_let_go(tmp_path: Path) -> None:
    # A read begun at start-up and let go (the settings refused) may still be parsing on
    # its threads: nobody wants it, and the error is out at once.
    done = _leaving(
        "from sheetcrm.entry import READ_THREADS\n"
        "threading.Thread(target=time.sleep, args=(60,), name=READ_THREADS + '_0').start()\n"
        "print('Error: the settings say no')\n"
        "leave(2)\n",
        tmp_path,
        timeout=30,
    )
    assert (done.returncode, done.stdout) == (2, "Error: the settings say no\n")


@pytest.mark.parametrize(
    ("command", "collecting"),
    [
        (["check", "--today", TODAY], False),  # its read begun: the collector stays paused
        (["sync", "--today", TODAY], False),
        (["-c", "elsewhere.yaml", "check"], True),  # no such settings: no read begun
        (["preview", "--days", "1"], True),  # reads nothing first
        (["-c", "sync", "run"], True),  # settings named like a command: still the daily run
    ],
)
def test_the_collector_stays_paused_into_a_command_whose_read_has_begun(
    clean: Path, command: list[str], collecting: bool
) -> None:
    """The read's threads make the workbook's cells while the command loads: a collector
    on meanwhile would walk them over and over (the command pauses it itself later)."""
    script = (
        "import gc, sys\n"
        "import sheetcrm.cli, sheetcrm.entry\n"
        "sheetcrm.cli.execute = lambda: print('collecting', gc.isenabled()) or 0\n"
        f"sys.argv = ['sheetcrm', '-c', {str(clean)!r}, *{command!r}]\n"
        "sheetcrm.entry.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=clean.parent,
    )
    assert (done.returncode, done.stdout) == (0, f"collecting {collecting}\n"), done.stderr


def test_a_check_from_the_command_line_exits_1_on_problems_with_its_report(
    messy: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sheetcrm", "-c", str(messy), "check", "--today", TODAY],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.rstrip().splitlines()[-1].startswith("Next:")
