"""Run the daily job on a timetable (`sheetcrm run`), robust where `schedule` alone is not.

`schedule` decides when the daily time is due. Around it this module adds what a long-lived
process needs: one instance at a time (a lock file), a failed run that does not end the loop,
SIGTERM/SIGINT that stop between steps, and a run missed while the machine was off caught up
at start. The job is handed the local date, so it never reads the clock.

The clock: `schedule` reads `datetime.datetime.now()` itself and cannot be handed a clock.
Every decision that matters (catch-up, the date handed to the job, the state file) uses the
injected `clock`; `schedule` only answers "is today's time due yet". Tests point schedule's
clock at their fake clock in one fixture (tests/test_timetable.py, `clock`).

When not to use this: if the machine has systemd or cron, a timer there is just as good
(docs/scheduling.md); this loop is for machines where you cannot install one. Known limit
(schedule 1.2.2): a time inside the hour skipped when clocks go forward (02:00-02:59 in
Europe and the US) runs at 03:xx that day and 01:xx the next; still once per local date.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytz
import schedule  # ships py.typed
from pydantic import BaseModel, ConfigDict, field_validator

from sheetcrm.clock import utc_now
from sheetcrm.errors import ConfigError, SheetCRMError

log = logging.getLogger(__name__)

LOCK_NAME = "schedule.lock"
STATE_NAME = "schedule-last-run"
# Short enough that SIGTERM is honoured within a second, long enough to cost nothing.
SLICE_SECONDS = 1.0

_HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_AT_RULE = "must be HH:MM like 07:30"
_TZ_EXAMPLES = "Asia/Shanghai, Europe/Madrid"


def parse_at(text: str) -> dt.time:
    """'07:30' → time(7, 30); anything else is a ConfigError naming the setting."""
    m = _HH_MM.fullmatch(text)
    if m is None:
        raise ConfigError(f"schedule.at {_AT_RULE}, got {text!r}")
    return dt.time(int(m.group(1)), int(m.group(2)))


def parse_timezone(name: str) -> dt.tzinfo:
    """An IANA name → a pytz zone (what `schedule` needs); unknown names are a ConfigError."""
    try:
        return pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        raise ConfigError(
            f"schedule.timezone {name!r} is not an IANA time zone; e.g. {_TZ_EXAMPLES}"
        ) from None


class ScheduleSettings(BaseModel):
    """`schedule:` in settings.yaml: when `sheetcrm run` syncs, in which time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: str = "09:00"  # inside the default quiet hours (08:00-21:00)
    timezone: str = "Asia/Shanghai"

    # ValueError, not ConfigError: settings.py turns these into "file line N: schedule.at: …".
    @field_validator("at")
    @classmethod
    def _valid_at(cls, value: str) -> str:
        if _HH_MM.fullmatch(value) is None:
            raise ValueError(_AT_RULE)
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        try:
            zone = str(pytz.timezone(value))
        except pytz.UnknownTimeZoneError:
            raise ValueError(f"must be an IANA time zone such as {_TZ_EXAMPLES}") from None
        return zone  # pytz accepts 'asia/shanghai'; keep the canonical spelling


def missed_run(
    now: dt.datetime, at: dt.time, tz: dt.tzinfo, last_run: dt.date | None
) -> dt.date | None:
    """The local date to run now to catch up, or None: today's time has passed, no run today.

    Only today is ever caught up, never each missed day: the job is idempotent and brings
    everything up to date itself.
    """
    local = now.astimezone(tz)
    today = local.date()
    if local.time() < at:
        return None
    if last_run is not None and last_run >= today:
        return None
    return today


def read_last_run(state_dir: Path) -> dt.date | None:
    """The local date of the last completed run, None if there was none."""
    path = state_dir / STATE_NAME
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        # Not fatal: the job is idempotent, so the worst case is one extra run at start.
        log.warning("%s holds %r, not a date; treating it as 'never ran'", path, text)
        return None


def write_last_run(state_dir: Path, day: dt.date) -> None:
    """Record `day` atomically (temp file + os.replace): a crash leaves the old or the new."""
    path = state_dir / STATE_NAME
    fd, tmp = tempfile.mkstemp(dir=state_dir, prefix=f".{STATE_NAME}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"{day.isoformat()}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def single_instance(state_dir: Path) -> Iterator[None]:
    """Hold state_dir/schedule.lock, or fail at once naming the PID that holds it.

    flock, not a PID file: the kernel releases the lock when the holder dies, even on
    SIGKILL, so a stale lock never needs cleaning up. The file is never deleted (deleting
    it would let two processes lock two different files).
    """
    path = state_dir / LOCK_NAME
    # O_RDWR without O_TRUNC: the holder's PID must survive our failed attempt.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            raise SheetCRMError(
                f"sheetcrm run is already running: {path} is held by PID {holder}; "
                f"stop that process or wait for it to exit"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM/SIGINT set `stop` (the loop exits after the current step); restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # Python only delivers signals to the main thread; the caller owns `stop`.
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()  # nothing else: logging from a signal handler can deadlock

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)


def _run_today(
    job: Callable[[dt.date], object],
    tz: dt.tzinfo,
    state_dir: Path,
    clock: Callable[[], dt.datetime],
    *,
    again: bool = False,
) -> dt.datetime | None:
    """One step: run the job for today's local date unless it already completed today (or
    `again`: a wake for what quiet hours held back, which does not count as the day's run).
    Returns when to wake again, if the job asks to (a datetime it returned)."""
    today = clock().astimezone(tz).date()
    if not again and read_last_run(state_dir) == today:
        log.info("run for %s already completed; skipping", today)
        return None
    log.info("running the job for %s%s", today, " again" if again else "")
    try:
        wake = job(today)
        if not again:  # a wake run leaves the day's own run to its time
            write_last_run(state_dir, today)
    except Exception:
        # Not recorded as done, so a restart today catches it up; otherwise tomorrow's run does.
        log.exception("run for %s failed; waiting for the next scheduled time", today)
        return None
    if isinstance(wake, dt.datetime) and wake > clock():
        log.info("messages held back by quiet hours: running again at %s", wake)
        return wake
    return None


def run_forever(
    job: Callable[[dt.date], object],
    *,
    at: str,
    timezone: str,
    state_dir: Path,
    clock: Callable[[], dt.datetime] = utc_now,
    sleep: Callable[[float], object] = time.sleep,
    stop: threading.Event | None = None,
) -> None:
    """Call `job(today)` every day at `at` (HH:MM) in `timezone` until SIGTERM/SIGINT or `stop`.
    A job that returns a later time (customer messages held back by quiet hours) is called
    once more then, so they go out at the first minute they may.

    `clock` must return an aware datetime. Raises ConfigError for a bad `at`/`timezone` and
    SheetCRMError if another instance holds the lock; a failing job is logged, never raised.
    """
    at_time = parse_at(at)
    tz = parse_timezone(timezone)
    stop = threading.Event() if stop is None else stop
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"state_dir {state_dir} cannot be created: {exc.strerror}") from None
    wakes: list[dt.datetime | None] = []  # a run that asked to run again later today
    with single_instance(state_dir), _stop_on_signals(stop):
        if not stop.is_set():
            missed = missed_run(clock(), at_time, tz, read_last_run(state_dir))
            if missed is not None:
                log.info("catching up the run for %s missed while stopped", missed)
                wakes.append(_run_today(job, tz, state_dir, clock))
        # Scheduled after the catch-up, so a catch-up after today's time is not repeated today.
        scheduler = schedule.Scheduler()
        scheduler.every().day.at(at, timezone).do(
            lambda: wakes.append(_run_today(job, tz, state_dir, clock))
        )
        log.info("next run at %s (machine local time)", scheduler.next_run)
        while not stop.is_set():
            scheduler.run_pending()
            wake = next((w for w in wakes if w is not None), None)
            if wake is not None and clock() >= wake:
                wakes.clear()
                wakes.append(_run_today(job, tz, state_dir, clock, again=True))
            elif wake is None:
                wakes.clear()
            if stop.is_set():
                break
            sleep(SLICE_SECONDS)
        log.info("stop requested; exiting")
