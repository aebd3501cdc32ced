"""Cell values and A1 addresses, shared by every backend and rule."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

# What a backend hands over for one cell: calamine's Python types, plus Decimal for money
# the job writes. Blank cells are "" (calamine's convention) or None.
CellValue = (
    str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | Decimal | None
)

_A1 = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


@cache  # a write names 250,000 cells in a few dozen columns
def column_letter(index: int) -> str:
    """0-based column index -> letters (0 -> A, 26 -> AA)."""
    if index < 0:
        raise ValueError(f"column index must be >= 0, got {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Letters -> 0-based column index (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def a1(row: int, col: int) -> str:
    """0-based row and column -> A1 address."""
    return f"{column_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """A1 address -> 0-based (row, col)."""
    m = _A1.match(ref)
    if not m:
        raise ValueError(f"not an A1 cell address: {ref!r}")
    return int(m.group(2)) - 1, column_index(m.group(1))


def parse_range(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """'$B$2:D9' or 'B2' -> 0-based ((row, col), (row, col)), corners inclusive; ValueError
    for anything else (a named range, a formula)."""
    first, _, last = ref.replace("$", "").partition(":")
    return parse_a1(first), parse_a1(last or first)


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def as_text(value: CellValue) -> str:
    """The value as staff typed it, for problem reports: integers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)
