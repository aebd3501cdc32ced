"""Row keys for sheets without a unique id (the contact log, orders without an order id).

A row is found again by its content: a digest of its staff cells. Sorting and inserting rows
then never sends a write to the wrong row; two identical rows share a key and get the same
value (they would get the same problems anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

from sheetcrm.cells import CellValue


def fingerprint(values: Sequence[CellValue], skip: Collection[int] = ()) -> str:
    """Digest of a row's cells, minus the columns in `skip` (the job's own) and trailing blanks.

    Computed from the values one backend read, by that same backend and by the sync that
    planned the write, so both sides see the same types.
    """
    cells = [v for i, v in enumerate(values) if i not in skip] if skip else list(values)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return hashlib.blake2b(repr(cells).encode("utf-8"), digest_size=12).hexdigest()
