"""The daily job actually greets customers: a month of runs at the scheduled time sends each
birthday greeting on its day, exactly once [issue 15]. Time is an argument: no real clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.ledger_schema import DeliveryStatus
from sheetcrm.outbound import MessageKind
from sheetcrm.reminders import ledger_entries
from sheetcrm.settings import load_settings
from sheetcrm.timetable import ScheduleSettings

BIRTHDAYS = {"C1": dt.date(1980, 12, 4), "C2": dt.date(1975, 12, 17), "C3": dt.date(1990, 12, 31)}


def shop(folder: Path, at: str | None) -> Path:
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, ["Customer ID", "Name", "Phone", "Birthday", "Status"])
    for r, (cid, born) in enumerate(BIRTHDAYS.items(), start=1):
        sheet.write_row(r, 0, [cid, f"Customer {cid}", f"+86 138 0013 800{r}", born.isoformat()])
        sheet.write(r, 4, "customer")
    orders = book.add_worksheet("Orders")
    orders.write_row(0, 0, ["Order ID", "Date", "Customer ID", "Amount"])
    for r, cid in enumerate(BIRTHDAYS, start=1):
        orders.write_row(r, 0, [f"O{r}", "2026-11-20", cid, 1000 * r])
    book.close()
    schedule = f"schedule:\n  at: '{at}'\n  timezone: Asia/Shanghai\n" if at else ""
    config = folder / "settings.yaml"
    # Greetings a channel sends on its own (quiet hours hold those; not what staff send
    # by hand).
    channels = "messages: {customer_channels: [outbox]}\n"
    config.write_text(f"workbook: crm.xlsx\nlanguage: en\n{channels}{schedule}", "utf-8")
    return config


def a_month_of_daily_runs(config: Path) -> dict[str, list[dt.date]]:
    settings = load_settings(config)
    at = dt.time.fromisoformat(settings.schedule.at)
    zone = ZoneInfo(settings.schedule.timezone)
    for n in range(31):
        day = dt.date(2026, 12, 1) + dt.timedelta(days=n)
        sync.run(settings, today=day, now=dt.datetime.combine(day, at, zone))
    sent: dict[str, list[dt.date]] = {}
    for entry in ledger_entries(settings, None):
        if entry.kind is MessageKind.BIRTHDAY and entry.status is DeliveryStatus.SENT:
            sent.setdefault(entry.recipient_id, []).append(entry.updated.astimezone(zone).date())
    return sent


def test_the_default_schedule_greets_every_birthday_on_its_day(tmp_path: Path) -> None:
    assert ScheduleSettings().at == "09:00"
    sent = a_month_of_daily_runs(shop(tmp_path, None))
    assert sent == {cid: [born.replace(year=2026)] for cid, born in BIRTHDAYS.items()}


def test_a_schedule_before_quiet_hours_end_never_greets_and_check_says_so(
    tmp_path: Path,
) -> None:
    config = shop(tmp_path, "07:30")
    (warning,) = [
        p
        for p in sync.check(load_settings(config), today=dt.date(2026, 12, 1)).problems
        if p.code == "schedule.outside_quiet_hours"
    ]
    assert warning.message("en") == (
        "the daily run at 07:30 is outside the hours customers may get messages (08:00–21:00): "
        "their greetings wait — `sheetcrm run` sends them at 08:00, a cron or systemd sync at "
        "07:30 never does; set schedule.at between 08:00 and 21:00"
    )
    assert a_month_of_daily_runs(config) == {}


@pytest.mark.parametrize(
    ("at", "late"),
    [("07:30", dt.timedelta(0)), ("22:00", dt.timedelta(days=1))],
    ids=["before the hours: the same morning", "after them: the next morning"],
)
def test_run_wakes_for_greetings_quiet_hours_held_back(
    tmp_path: Path, at: str, late: dt.timedelta
) -> None:
    """As `sheetcrm run` does: each day's sync at the scheduled time, and once more when the
    job says quiet hours held greetings back."""
    settings = load_settings(shop(tmp_path, at))
    zone = ZoneInfo(settings.schedule.timezone)
    wakes = []
    for n in range(31):
        day = dt.date(2026, 12, 1) + dt.timedelta(days=n)
        now = dt.datetime.combine(day, dt.time.fromisoformat(at), zone)
        report = sync.run(settings, today=day, now=now)
        wake = sync.quiet_hours_wake(settings, report, now)
        if wake is not None:
            wakes.append(wake)
            sync.run(settings, today=wake.date(), now=wake)
    assert {w.time() for w in wakes} == {dt.time(8, 0)}
    sent: dict[str, list[dt.date]] = {}
    for entry in ledger_entries(settings, None):
        if entry.kind is MessageKind.BIRTHDAY and entry.status is DeliveryStatus.SENT:
            sent.setdefault(entry.recipient_id, []).append(entry.updated.astimezone(zone).date())
    assert sent == {cid: [born.replace(year=2026) + late] for cid, born in BIRTHDAYS.items()}


@pytest.mark.parametrize("at", ["08:00", "12:30", "20:59"])
def test_a_schedule_inside_quiet_hours_raises_no_warning(tmp_path: Path, at: str) -> None:
    problems = sync.check(load_settings(shop(tmp_path, at)), today=dt.date(2026, 12, 1)).problems
    assert "schedule.outside_quiet_hours" not in {p.code for p in problems}
