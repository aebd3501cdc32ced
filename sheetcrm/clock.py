"""The one place sheetcrm reads the clock.

Everything that needs "now" (the CLI's today, quiet hours, the daily timetable, backup names)
asks `utc_now()` here, so a test, or a rerun of a past day, pins it in one place:
`SHEETCRM_NOW` set to an ISO 8601 time with its offset (`2026-12-03T23:30:00+08:00`) fixes
the clock for the whole process. The rules never call this: they take `today` as an argument.
"""

from __future__ import annotations

import datetime as dt
import os

from sheetcrm.errors import ConfigError

ENV_NAME = "SHEETCRM_NOW"


def utc_now() -> dt.datetime:
    """The time now, aware, in UTC: `SHEETCRM_NOW` when set, else the machine's clock."""
    pinned = os.environ.get(ENV_NAME, "").strip()
    if not pinned:
        return dt.datetime.now(dt.UTC)
    return _parse_pinned(pinned).astimezone(dt.UTC)


def now_in(zone: dt.tzinfo) -> dt.datetime:
    """The time now as a wall clock in `zone` (the team's zone, not the machine's)."""
    return utc_now().astimezone(zone)


def _parse_pinned(text: str) -> dt.datetime:
    try:
        pinned = dt.datetime.fromisoformat(text)
    except ValueError:
        pinned = None
    if pinned is None or pinned.tzinfo is None:
        raise ConfigError(
            f"{ENV_NAME} must be a time with its offset like 2026-12-03T23:30:00+08:00, "
            f"got {text!r}"
        )
    return pinned
