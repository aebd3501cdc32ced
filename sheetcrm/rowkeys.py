"""Row keys for sheets without a unique id (the contact log, orders without an order id).

A row is found again by its content: a digest of its staff cells. Sorting and inserting rows
then never sends a write to the wrong row; two identical rows share a key and get the same
value (they would get the same problems anyway).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sheetcrm.cells import CellValue


def fingerprint(values: Sequence[CellValue], skip: Collection[int] = ()) -> str:
    """Digest of a row's cells, minus the columns in `skip` (the job's own) and trailing blanks.

    Valid within one run: the sync that plans a write and the backend that applies it compute
    it in the same process from the same read. Python's tuple hash is used because a sync
    fingerprints every row of the contact log and orders (200,000 rows for 10,000 customers)
    and a cryptographic digest cost five times more; 64 bits make a collision negligible.
    """
    cells = list(values)
    if skip:
        n = len(cells)
        for i in sorted(skip, reverse=True):  # deleting from the end keeps indexes right
            if i < n:
                del cells[i]
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return "%016x" % (hash(tuple(cells)) & _BITS)


_BITS = 0xFFFF_FFFF_FFFF_FFFF
