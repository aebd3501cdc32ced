"""Dates as a Google Sheet shows them, read back as dates.

Values are read with dateTimeRenderOption FORMATTED_STRING: a date cell comes back as the
text its number format shows, a number cell as a number, so a date is told from a number
for free. SERIAL_NUMBER would give both as numbers, told apart only by each cell's number
format, which Sheets gives per cell in spreadsheets.get: 17 MB more per read at 10,000
customers and their 200,000 log rows (the benchmark's demo workbook in the tests' server).

The text is the format's: the job's own dates are ISO (yyyy-mm-dd, the format it gives
them); a date staff typed shows as the spreadsheet's locale writes dates (05/03/2026 in
Spain, 3/5/2026 in the United States, 2026/3/5 in China), which spreadsheets.get names
(properties.locale). Numeric dates are read in the order of that locale's short date
(CLDR, as Sheets uses it); any other text (5 de marzo de 2026) is left to the date parsers.
"""

from __future__ import annotations

import datetime as dt
import re

from sheetcrm.cells import CellValue

Order = str  # "dmy", "mdy" or "ymd"

_NUMERIC = re.compile(
    r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})"
    r"(?:,?[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s?m\.?)?)?$",
    re.IGNORECASE,
)


def date_order(locale: str) -> Order | None:
    """The order of day, month and year in the locale's short date (en_US: "mdy"); None
    for a locale CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        pattern = Locale.parse(locale).date_formats["short"].pattern
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    positions = {
        part: pattern.find(letter) for part, letter in (("d", "d"), ("m", "M"), ("y", "y"))
    }
    if min(positions.values()) < 0:
        return None
    return "".join(sorted(positions, key=lambda part: positions[part]))


def shown_date(text: str, order: Order | None) -> CellValue:
    """A date (or a date and time) as the sheet shows it, or the text as it is."""
    m = _NUMERIC.match(text)
    if m is None:
        return text
    first, second, third = m[1], int(m[3]), m[4]
    if len(first) == 4 and len(third) <= 2:
        year, month, day = int(first), second, int(third)
    elif len(third) == 4 and len(first) <= 2 and order in ("dmy", "mdy"):
        year = int(third)
        day, month = (int(first), second) if order == "dmy" else (second, int(first))
    else:
        return text  # a two-digit year, or an order the locale does not say: the parsers'
    hour = int(m[5] or 0)
    if m[8] is not None:
        hour = hour % 12 + (12 if m[8].lower() == "p" else 0)
    try:
        moment = dt.datetime(year, month, day, hour, int(m[6] or 0), int(m[7] or 0))
    except ValueError:
        return text  # 31/02/2026: the parsers say what is wrong with it
    return moment if m[5] is not None else moment.date()
