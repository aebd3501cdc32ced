"""One job at a time per workbook: a lock in the state directory that every command that
writes (sync, run's daily sync) takes before reading.

flock, not a PID file: the kernel releases the lock when its holder dies, even on SIGKILL, so
a lock is never stale; the file keeps the holder's PID for the message. A second sync waits
a bounded time, then says who holds the workbook and exits.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sheetcrm.errors import BackendError

LOCK_WAIT = 30.0  # seconds a second sync waits for the first before it gives up


def lock_path(state_dir: Path, workbook: str) -> Path:
    """The lock of one workbook: two settings files naming the same workbook share it."""
    digest = hashlib.sha256(workbook.encode("utf-8")).hexdigest()[:12]
    return state_dir / f"workbook-{digest}.lock"


@contextmanager
def workbook_lock(
    path: Path,
    workbook: str,
    *,
    wait: float | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> Iterator[None]:
    """Hold `path` while the block runs; wait up to `wait` seconds (LOCK_WAIT) for another
    holder to finish."""
    wait = LOCK_WAIT if wait is None else wait
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # O_RDWR without O_TRUNC: the holder's PID must survive our attempt.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise BackendError(
                        f"another sheetcrm (PID {holder}) is syncing {workbook}; waited "
                        f"{wait:g} s. Run again when it has finished (its lock, {path}, is "
                        "freed when that process exits)"
                    ) from None
                sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
