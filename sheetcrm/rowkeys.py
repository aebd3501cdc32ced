"""Row keys for sheets without a unique id (the contact log, orders without an order id).

A row is found again by its content: a digest of its staff cells. Sorting and inserting rows
then never sends a write to the wrong row; two identical rows share a key and get the same
value (they would get the same problems anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

from sheetcrm.cells import CellValue, as_text


def fingerprint(values: Sequence[CellValue], skip: Collection[int] = ()) -> str:
    """Digest of a row's cells, minus the columns in `skip` (the job's own) and trailing blanks."""
    parts = [as_text(v).strip() for i, v in enumerate(values) if i not in skip]
    while parts and not parts[-1]:
        parts.pop()
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12)
    return digest.hexdigest()
