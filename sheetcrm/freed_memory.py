"""Handing memory freed by calamine back to the system, or keeping it where it is used again.

calamine (Rust) builds each sheet in the C heap and frees it once the values are Python
objects; glibc keeps the freed pages (in the reading threads' own arenas) counted in the
process's memory until asked to return them. Asked once after a read, a 10,000-customer
workbook's sync peaks about 35 MB lower. Elsewhere than glibc (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    # The process's own symbols, where the C library's are: no search for libc's file.
    # (Windows cannot open "no file": nothing to trim there.)
    try:
        process = ctypes.CDLL(None)
    except (OSError, TypeError):
        return None
    return process if hasattr(process, "malloc_trim") else None


def return_freed_memory() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


# mallopt's parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> None:
    """For a process that allocates and frees the same few large buffers over and over
    (the byte scan's copy, excel/reader.py): freed memory stays with the process and is
    allocated again, instead of each buffer of some MB being mapped fresh from the system
    and its pages faulted in one by one. glibc would map a buffer of that size anew whenever
    the sizes vary (the inflater's pieces do): the scan of the demo's sheets faulted in
    17,000-31,000 pages, 0.24 s -> 0.18 s of CPU without them. Not for a process that keeps
    its memory long: what it frees is not handed back."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, 64 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 128 << 20)
