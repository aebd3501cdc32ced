"""sheetcrm run's timetable: catch-up, a failing job, one instance, signals, the state file.

The loop tests drive `run_forever` with a fake clock and a fake sleep that advances it.
`schedule` reads `datetime.datetime.now()` itself, so the `clock` fixture points schedule's
`datetime` at the same fake clock: the one place where the clock is monkey-patched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pydantic
import pytest
import pytz
import schedule

from sheetcrm import timetable
from sheetcrm.errors import ConfigError, SheetCRMError
from sheetcrm.timetable import (
    LOCK_NAME,
    STATE_NAME,
    ScheduleSettings,
    missed_run,
    read_last_run,
    run_forever,
    single_instance,
    write_last_run,
)

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = pytz.timezone("Asia/Shanghai")
AT = dt.time(7, 30)
STEP = dt.timedelta(minutes=5)


def wall(text: str, zone: str = "Asia/Shanghai") -> dt.datetime:
    """'2026-01-05 08:00' wall time in `zone` → an aware UTC instant."""
    local = pytz.timezone(zone).localize(dt.datetime.fromisoformat(text))
    return local.astimezone(dt.UTC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class FakeClock:
    """Aware UTC time that only moves when the loop sleeps."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        self.limit = self.now

    def start_at(self, now: dt.datetime) -> None:
        self.now = now
        self.limit = now + dt.timedelta(days=5)  # a loop that never stops fails, not hangs

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds <= 1.0, "the loop must sleep in short slices"
        self.now += STEP
        assert self.now < self.limit, "the loop did not stop"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()

    class ScheduleSees(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            # schedule wants naive machine-local time without tz, aware time with it.
            if tz is None:
                return fake.now.astimezone().replace(tzinfo=None)
            return fake.now.astimezone(tz)

    shim = SimpleNamespace(
        datetime=ScheduleSees, timedelta=dt.timedelta, time=dt.time, date=dt.date
    )
    monkeypatch.setattr(schedule, "datetime", shim)
    return fake


# --- catch-up at start: a pure decision -------------------------------------------------


@pytest.mark.parametrize(
    ("case", "now", "last_run", "expected"),
    [
        ("ran yesterday, after the time: run now", "2026-01-05 08:00", "2026-01-04", "2026-01-05"),
        ("ran yesterday, before the time: wait", "2026-01-05 07:00", "2026-01-04", None),
        ("exactly at the time: run now", "2026-01-05 07:30", "2026-01-04", "2026-01-05"),
        ("last run today: nothing to catch up", "2026-01-05 08:00", "2026-01-05", None),
        ("never ran, after the time: run now", "2026-01-05 08:00", None, "2026-01-05"),
        ("never ran, before the time: wait", "2026-01-05 06:00", None, None),
        ("off for a week: one run, for today", "2026-01-05 08:00", "2025-12-29", "2026-01-05"),
        ("UTC is still yesterday: the local date", "2026-01-05 07:40", "2026-01-04", "2026-01-05"),
        ("clock went back before the last run: wait", "2026-01-05 08:00", "2026-01-06", None),
    ],
)
def test_missed_run(case: str, now: str, last_run: str | None, expected: str | None) -> None:
    last = None if last_run is None else day(last_run)
    want = None if expected is None else day(expected)
    assert missed_run(wall(now), AT, SHANGHAI, last) == want, case


# --- the loop, on a fake clock -----------------------------------------------------------


def drive(
    clock: FakeClock,
    state_dir: Path,
    *,
    start: str,
    last_run: str | None,
    runs: int,
    fail_first: bool = False,
    zone: str = "Asia/Shanghai",
    at: str = "07:30",
) -> list[tuple[dt.date, str]]:
    """Run the loop until the job has been called `runs` times; (date, local time) per call."""
    clock.start_at(wall(start, zone))
    state_dir.mkdir(exist_ok=True)
    if last_run is not None:
        write_last_run(state_dir, day(last_run))
    stop = threading.Event()
    calls: list[tuple[dt.date, str]] = []

    def job(today: dt.date) -> None:
        local = clock().astimezone(pytz.timezone(zone))
        calls.append((today, local.strftime("%Y-%m-%d %H:%M")))
        if len(calls) == runs:
            stop.set()
        if fail_first and len(calls) == 1:
            raise RuntimeError("workbook locked by Excel")

    run_forever(
        job,
        at=at,
        timezone=zone,
        state_dir=state_dir,
        clock=clock,
        sleep=clock.sleep,
        stop=stop,
    )
    return calls


@pytest.mark.parametrize(
    ("case", "start", "last_run", "expected"),
    [
        (
            "after the time, last run yesterday: catch up at start, then at the time",
            "2026-01-05 08:00",
            "2026-01-04",
            [("2026-01-05", "2026-01-05 08:00"), ("2026-01-06", "2026-01-06 07:30")],
        ),
        (
            "before the time: no catch-up, run at the time today",
            "2026-01-05 07:00",
            "2026-01-04",
            [("2026-01-05", "2026-01-05 07:30"), ("2026-01-06", "2026-01-06 07:30")],
        ),
        (
            "already ran today: next run tomorrow",
            "2026-01-05 08:00",
            "2026-01-05",
            [("2026-01-06", "2026-01-06 07:30"), ("2026-01-07", "2026-01-07 07:30")],
        ),
        (
            "first start ever, after the time: run now",
            "2026-01-05 12:00",
            None,
            [("2026-01-05", "2026-01-05 12:00"), ("2026-01-06", "2026-01-06 07:30")],
        ),
    ],
)
def test_loop_runs_once_a_day_with_the_local_date(
    clock: FakeClock,
    tmp_path: Path,
    case: str,
    start: str,
    last_run: str | None,
    expected: list[tuple[str, str]],
) -> None:
    calls = drive(clock, tmp_path / "state", start=start, last_run=last_run, runs=2)
    assert calls == [(day(d), at) for d, at in expected], case
    assert read_last_run(tmp_path / "state") == day(expected[-1][0])


@pytest.mark.parametrize(
    ("case", "zone", "start"),
    [
        ("Madrid, clocks go forward on 29 March", "Europe/Madrid", "2026-03-27 08:00"),
        ("Madrid, clocks go back on 25 October", "Europe/Madrid", "2026-10-23 08:00"),
        ("New York, clocks go forward on 8 March", "America/New_York", "2026-03-06 08:00"),
    ],
)
def test_daylight_saving_keeps_the_wall_clock_time(
    clock: FakeClock, tmp_path: Path, case: str, zone: str, start: str
) -> None:
    calls = drive(clock, tmp_path, start=start, last_run=None, runs=4, zone=zone)
    first = day(start[:10])
    assert [d for d, _ in calls] == [first + dt.timedelta(days=i) for i in range(4)], case
    assert [t[11:] for _, t in calls] == ["08:00", "07:30", "07:30", "07:30"], case


def test_a_time_in_the_skipped_hour_still_runs_once_a_day(clock: FakeClock, tmp_path: Path) -> None:
    # 02:30 does not exist in Madrid on 29 March. schedule 1.2.2 runs at 03:30 that day and,
    # its own quirk, at 01:30 the next day; what we promise is one run per local date.
    calls = drive(
        clock,
        tmp_path,
        start="2026-03-27 08:00",
        last_run=None,
        runs=6,
        zone="Europe/Madrid",
        at="02:30",
    )
    assert [d for d, _ in calls] == [day("2026-03-27") + dt.timedelta(days=i) for i in range(6)]


def test_a_failing_run_is_logged_and_the_loop_goes_on(
    clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sheetcrm.timetable"):
        calls = drive(
            clock,
            tmp_path / "state",
            start="2026-01-05 08:00",
            last_run="2026-01-04",
            runs=2,
            fail_first=True,
        )
    assert [d for d, _ in calls] == [day("2026-01-05"), day("2026-01-06")]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failures] == [
        "run for 2026-01-05 failed; waiting for the next scheduled time"
    ]
    assert failures[0].exc_info is not None  # logged with its traceback
    assert read_last_run(tmp_path / "state") == day("2026-01-06")


def test_signal_handlers_are_restored_and_a_preset_stop_returns_at_once(
    clock: FakeClock, tmp_path: Path
) -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("not called")

    before = signal.signal(signal.SIGTERM, mine)
    try:
        stop = threading.Event()
        stop.set()
        run_forever(
            lambda today: pytest.fail("must not run"),
            at="00:00",
            timezone="UTC",
            state_dir=tmp_path,
            clock=clock,
            sleep=clock.sleep,
            stop=stop,
        )
        assert signal.getsignal(signal.SIGTERM) is mine
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before)


# --- bad settings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "zone", "message"),
    [
        ("7h", "Asia/Shanghai", "schedule.at must be HH:MM like 07:30, got '7h'"),
        ("7:30", "Asia/Shanghai", "schedule.at must be HH:MM like 07:30, got '7:30'"),
        ("24:00", "Asia/Shanghai", "schedule.at must be HH:MM like 07:30, got '24:00'"),
        ("07:30:00", "UTC", "schedule.at must be HH:MM like 07:30, got '07:30:00'"),
        (
            "07:30",
            "Asia/Shangai",
            "schedule.timezone 'Asia/Shangai' is not an IANA time zone; "
            "e.g. Asia/Shanghai, Europe/Madrid",
        ),
        (
            "07:30",
            "+08:00",
            "schedule.timezone '+08:00' is not an IANA time zone; "
            "e.g. Asia/Shanghai, Europe/Madrid",
        ),
    ],
)
def test_bad_time_or_timezone_is_a_config_error(
    tmp_path: Path, at: str, zone: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        run_forever(lambda today: None, at=at, timezone=zone, state_dir=tmp_path / "state")
    assert str(caught.value) == message
    assert not (tmp_path / "state").exists()  # refused before touching anything


def test_a_state_dir_that_cannot_be_created_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        run_forever(
            lambda today: None, at="07:30", timezone="UTC", state_dir=tmp_path / "taken" / "s"
        )
    assert (
        str(caught.value)
        == f"state_dir {tmp_path / 'taken' / 's'} cannot be created: Not a directory"
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"at": "7h"}, "at", "Value error, must be HH:MM like 07:30"),
        (
            {"timezone": "Asia/Shangai"},
            "timezone",
            "Value error, must be an IANA time zone such as Asia/Shanghai, Europe/Madrid",
        ),
        ({"every": "day"}, "every", "Extra inputs are not permitted"),
    ],
)
def test_schedule_settings_refuse(data: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        ScheduleSettings.model_validate(data)
    [err] = caught.value.errors()
    assert (err["loc"], err["msg"]) == ((field,), message)


def test_schedule_settings_defaults_and_canonical_zone() -> None:
    assert ScheduleSettings() == ScheduleSettings(at="09:00", timezone="Asia/Shanghai")
    assert ScheduleSettings(timezone="europe/madrid").timezone == "Europe/Madrid"
    with pytest.raises(pydantic.ValidationError):
        ScheduleSettings().at = "08:00"  # type: ignore[misc]


# --- the state file ----------------------------------------------------------------------


def test_state_file_round_trip(tmp_path: Path) -> None:
    assert read_last_run(tmp_path) is None
    write_last_run(tmp_path, day("2026-01-05"))
    write_last_run(tmp_path, day("2026-01-06"))
    assert read_last_run(tmp_path) == day("2026-01-06")
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATE_NAME]


def test_state_file_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_last_run(tmp_path, day("2026-01-05"))
    replaced: list[tuple[str, str]] = []

    def crash(src: str, dst: str) -> None:
        replaced.append((src, dst))
        raise OSError("disk full")

    monkeypatch.setattr(timetable.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_last_run(tmp_path, day("2026-01-06"))
    [(src, dst)] = replaced
    assert Path(src).parent == tmp_path  # same folder, so os.replace is a rename
    assert Path(dst) == tmp_path / STATE_NAME
    assert read_last_run(tmp_path) == day("2026-01-05")  # the old content, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATE_NAME]  # no temp left


def test_unreadable_state_means_never_ran(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / STATE_NAME).write_text("garbage\n", encoding="utf-8")
    assert read_last_run(tmp_path) is None
    assert "not a date" in caplog.text


# --- real processes: the lock and signals ----------------------------------------------


def python(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


HOLD_LOCK = """
import sys, time
from pathlib import Path
from sheetcrm.timetable import single_instance
with single_instance(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_second_instance_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    first = python(HOLD_LOCK, str(tmp_path))
    try:
        assert first.stdout is not None
        assert first.stdout.readline() == "locked\n"
        with pytest.raises(SheetCRMError) as caught:
            run_forever(lambda today: None, at="07:30", timezone="UTC", state_dir=tmp_path)
        assert str(caught.value) == (
            f"sheetcrm run is already running: {tmp_path / LOCK_NAME} is held by PID "
            f"{first.pid}; stop that process or wait for it to exit"
        )
    finally:
        first.kill()
        first.communicate(timeout=10)
    # The kernel released the lock when the holder died, even by SIGKILL.
    with single_instance(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"


SLOW_JOB = """
import sys, time
from pathlib import Path
from sheetcrm.timetable import run_forever
out = Path(sys.argv[1])
def job(today):
    (out / "started").write_text(today.isoformat())
    time.sleep(1.5)
    (out / "done").write_text("done")
run_forever(job, at="00:00", timezone="UTC", state_dir=out / "state")
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_loop_after_the_current_job(tmp_path: Path, signum: int) -> None:
    proc = python(SLOW_JOB, str(tmp_path))
    try:
        deadline = time.monotonic() + 15
        while not (tmp_path / "started").exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the catch-up run never started"
            time.sleep(0.02)
        proc.send_signal(signum)
        sent = time.monotonic()
        _, err = proc.communicate(timeout=5)
        assert proc.returncode == 0, err
        assert time.monotonic() - sent < 4
        assert (tmp_path / "done").read_text() == "done"
        assert read_last_run(tmp_path / "state") is not None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


# --- docs/scheduling.md cannot drift -----------------------------------------------------


def test_scheduling_doc_matches_the_defaults_and_file_names() -> None:
    doc = (ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    defaults = ScheduleSettings()
    hour, minute = defaults.at.split(":")
    assert f'at: "{defaults.at}"' in doc
    assert f"timezone: {defaults.timezone}" in doc
    assert f"OnCalendar=*-*-* {defaults.at}:00 {defaults.timezone}" in doc
    assert f"CRON_TZ={defaults.timezone}" in doc
    assert f"\n{int(minute)} {int(hour)} * * * " in doc
    assert f".sheetcrm/{LOCK_NAME}" in doc
    assert f".sheetcrm/{STATE_NAME}" in doc


def test_a_run_that_held_greetings_back_wakes_when_the_hours_begin(
    clock: FakeClock, tmp_path: Path
) -> None:
    """The 07:30 run says quiet hours held customer messages until 08:00: the loop runs the
    job once more at 08:00 (not counted as the day's run), and the next day as usual."""
    zone = "Asia/Shanghai"
    clock.start_at(wall("2026-01-05 07:00", zone))
    state = tmp_path / "state"
    state.mkdir()
    stop = threading.Event()
    calls: list[str] = []

    def job(today: dt.date) -> dt.datetime | None:
        local = clock().astimezone(pytz.timezone(zone))
        calls.append(local.strftime("%Y-%m-%d %H:%M"))
        if len(calls) == 3:
            stop.set()
        if local.hour < 8:  # held back: wake at 08:00 local
            return local.replace(hour=8, minute=0)
        return None

    run_forever(
        job, at="07:30", timezone=zone, state_dir=state, clock=clock, sleep=clock.sleep, stop=stop
    )
    assert calls == ["2026-01-05 07:30", "2026-01-05 08:00", "2026-01-06 07:30"]
    assert read_last_run(state) == day("2026-01-06")
