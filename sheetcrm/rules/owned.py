"""Which of a sheet's columns are the job's: the ones it created, never staff's that share a name.

A staff column that happens to be called "Plan", "VIP" or "Score" holds staff's values
("Gold membership 2027"); writing the job's plan over it would lose them once backups rotate.
The job writes its columns side by side (seventeen on the register), so a column named like
one of them is the job's when it stands in a run of at least five such columns and every
value in it is one the job could have written there (a tier letter in Tier, a number in
Score), or when it holds nothing yet. Any other is staff's: left alone and reported, and the
job writes its own under the name with OWNED_SUFFIX, which is the job's by its name alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.rules.parsers.words import fold
from sheetcrm.vocabulary import YES_NO_WORDS, YesNo

OWNED_SUFFIX = " (sheetcrm)"
_RUN = 5  # adjacent columns named like the job's: the job's own block (17 on the register)

_NUMBER = (int, float, Decimal)
_YES = {fold(w) for words in YES_NO_WORDS[YesNo.YES].values() for w in words}


def _number(value: CellValue) -> bool:
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


def _date(value: CellValue) -> bool:
    return isinstance(value, dt.date) or _number(value)  # a date cell whose format was lost


def _tier(value: CellValue) -> bool:
    return as_text(value).strip().upper() in {"A", "B", "C", "D"}


def _rfm(value: CellValue) -> bool:
    text = as_text(value).strip()
    return len(text) == 3 and text.isdigit()


def _yes(value: CellValue) -> bool:
    return fold(as_text(value)) in _YES


# What the job writes in each of its columns, where that can be told from the value; text
# columns (plan, next action, acting owner, problems) are told by where they stand only.
_FITS: Mapping[str, Callable[[CellValue], bool]] = {
    "tier": _tier,
    "score": _number,
    "vip": _yes,
    "amount": _number,
    "profit": _number,
    "profit_share": _number,
    "frequency": _number,
    "last_purchase": _date,
    "lifetime_spend": _number,
    "rfm": _rfm,
    "last_contact": _date,
    "next_contact": _date,
    "days_overdue": _number,
}


@dataclass(frozen=True)
class Clash:
    """A staff column named like one of the job's: `example_row` holds a value of staff's."""

    col: int
    name: str
    example_row: int


def choose_owned(
    sheet: RawSheet,
    header_row: int,
    named: Sequence[tuple[int, str, bool]],
) -> tuple[dict[str, int], list[Clash]]:
    """The job's column for each owned name, and the staff columns that only share a name.

    `named`: (column, owned name, has the suffix) for each header cell named like an owned
    column, in column order.
    """
    positions = {col for col, _, _ in named}
    clashes: list[Clash] = []
    fit: list[tuple[int, str, bool]] = []
    for col, name, suffixed in named:
        if suffixed or name == "problems":
            fit.append((col, name, suffixed))
            continue
        staff_row = _staff_value(sheet, header_row, col, name, _run(positions, col) >= _RUN)
        if staff_row is None:
            fit.append((col, name, suffixed))
        else:
            clashes.append(Clash(col, name, staff_row))
    clashed = {c.name for c in clashes}
    owned: dict[str, int] = {}
    for col, name, suffixed in fit:
        # Where a staff column holds the plain name, the job's column is the suffixed one
        # only: a writer that finds columns by header must never find staff's first.
        if name not in owned and (suffixed or name not in clashed or name == "problems"):
            owned[name] = col
    return owned, clashes


def _run(positions: set[int], col: int) -> int:
    """How many adjacent columns around `col` are named like the job's."""
    left = right = col
    while left - 1 in positions:
        left -= 1
    while right + 1 in positions:
        right += 1
    return right - left + 1


def _staff_value(
    sheet: RawSheet, header_row: int, col: int, name: str, in_block: bool
) -> int | None:
    """The first row below the header whose value in `col` the job cannot have written."""
    fits = _FITS.get(name)
    if in_block and fits is None:
        return None  # a text column in the job's block: nothing to tell it by, and no need
    rows = sheet.rows
    # Each distinct value is judged once: a register repeats its tiers, plans and dates.
    judged: dict[tuple[type, CellValue], bool] = {}
    for r in range(header_row + 1, len(rows)):
        cells = rows[r]
        value = cells[col] if col < len(cells) else None
        if value is None or value == "":
            continue
        key = (type(value), value)
        staff_typed = judged.get(key)
        if staff_typed is None:
            staff_typed = judged[key] = not is_blank(value) and (
                not in_block or (fits is not None and not fits(value))
            )
        if staff_typed:
            return r
    return None
