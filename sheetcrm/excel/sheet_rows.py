"""A sheet's rows as calamine gives them, turned into the reader's tuples of shared values.

Texts, days and whole numbers repeat down a sheet (names, words, 700 days over 200,000 log
rows, the prices and quantities of an order list): each is kept once (`SharedValues`).
A key column does not repeat (an order number, a register's ids and e-mails): looking each
value up and keeping it cost the orders 0.03-0.05 s of their 0.1-0.2 s conversion, for
100,000 dict entries nobody finds again. Such columns are told by the sheet's first rows
and left as calamine made them: the rows of a 100,000-customer workbook take 58 MB less.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import chain, compress, islice, repeat
from operator import is_
from typing import cast

from sheetcrm.cells import CellValue

# Tuples: a row's list would cost 50 bytes more (a header and a separate array), 10 MB over
# 200,000 rows.
Row = tuple[CellValue, ...]

# The first rows tell the key columns: among 4,096 random contacts of 100,000 customers
# some 80 ids come twice, so a column of ids that merely look new is still kept once per
# value.
SAMPLE = 4096
# Rows converted column by column at a time: calamine's values of a batch live until it is
# converted, so few (a 32,768-row batch left the demo's read 38 MB larger, 1,024 as small
# as 256).
BATCH = 1024

_SHARED = frozenset({str, dt.date})


def _whole_but_0_or_1(number: float) -> bool:
    return number.is_integer() and number != 0 and number != 1


class SharedValues(dict[CellValue, CellValue]):
    """One object per text, day and whole number across a workbook's sheets.

    Not the numbers 0 and 1: True equals 1.0 and False 0.0, and one would stand for the
    other (calamine gives an xlsx number as a float, never an int, which would find an
    equal float kept). Not fractions: a list's profits and rates are nearly all different,
    and keeping them made the dict a fifth larger for nothing (100,000 customers' orders
    converted in 2.5 s instead of 2.2 s; whole numbers only: 2.2 s, and 60 MB less than
    keeping no number).

    Looked up through map(), a value seen before costs no Python call; only what is not
    kept yet (a new text, a new amount) reaches __missing__: the demo's log converts in
    0.17 s instead of 0.22 s with a test per cell.
    """

    __slots__ = ()

    def __missing__(self, value: CellValue) -> CellValue:
        if type(value) in _SHARED or (type(value) is float and _whole_but_0_or_1(value)):
            self[value] = value
        return value


def sheet_rows(rows: Iterable[Sequence[CellValue]], pad: int, shared: SharedValues) -> list[Row]:
    """Each row as a tuple of shared values, `pad` blank cells before it (calamine's rows
    start at the first used column), key columns as they are.

    Batches of rows are turned into columns and back (zip, in C): the sheet never exists
    twice as Python objects beyond one batch. A batch whose rows differ in length (calamine
    gives a sheet's rows as wide as its widest) is converted row by row."""
    them = iter(rows)
    first = list(islice(them, SAMPLE))
    keys = key_columns(first)
    if not any(keys):
        return _by_rows(first, pad, shared) + _by_rows(them, pad, shared)
    converted: list[Row] = []
    them = chain(first, them)
    del first
    while batch := list(islice(them, BATCH)):
        converted += _by_columns(batch, keys, pad, shared)
    return converted


def key_columns(rows: Sequence[Sequence[CellValue]]) -> list[bool]:
    """Columns left as calamine made them: those whose values all differ (the header's
    too: ids, numbers, e-mails), and columns of fractions (below). Otherwise a blank cell
    twice, or any value twice, and the column is kept once per value."""
    if len(rows) < 2 or len(set(map(len, rows))) != 1:
        return []
    return [
        len(set(column)) == len(column) or _fractions(column) for column in zip(*rows, strict=True)
    ]


def _fractions(column: Sequence[CellValue]) -> bool:
    """Nine cells in ten numbers, fewer than one in twenty of them whole: a list's
    profits or rates, which SharedValues does not keep, yet each one of them was a call to
    its __missing__ (the demo's 100,000 profits: 0.018 s of the orders' 0.138 s). Told in
    C: the few whole numbers in such a column are left as they are too."""
    types = list(map(type, column))
    numbers = types.count(float)
    if numbers < 0.9 * len(column):
        return False
    floats = compress(column, map(is_, types, repeat(float)))
    whole = sum(map(float.is_integer, cast(Iterable[float], floats)))
    return whole < numbers / 20


def _by_columns(
    batch: list[Sequence[CellValue]], keys: list[bool], pad: int, shared: SharedValues
) -> list[Row]:
    if len(set(map(len, batch))) != 1 or len(batch[0]) != len(keys):
        return _by_rows(batch, pad, shared)
    share = shared.__getitem__
    columns = [
        c if key else tuple(map(share, c))
        for c, key in zip(zip(*batch, strict=True), keys, strict=True)
    ]
    blank = ("",) * len(batch)
    return list(zip(*([blank] * pad), *columns, strict=True))


def _by_rows(rows: Iterable[Sequence[CellValue]], pad: int, shared: SharedValues) -> list[Row]:
    share = shared.__getitem__
    if not pad:
        return [tuple(map(share, row)) for row in rows]
    padding = ("",) * pad
    return [(*padding, *map(share, row)) for row in rows]
