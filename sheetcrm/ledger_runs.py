"""Run liveness for the ledger: is the process that holds a claim still alive?

Each open Ledger holds an exclusive SQLite lock on a small file named after its run id.
The operating system drops that lock when the process dies, even by SIGKILL, so another
run can tell a claim in progress from one a crash left behind without trusting clocks or
process ids (which are reused, and differ per host). SQLite's own locking is used rather
than fcntl/msvcrt so the same code works on every platform SQLite supports.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


class RunLock:
    """Held from creation until `release()` or the death of the process."""

    def __init__(self, runs_dir: Path, run_id: str) -> None:
        runs_dir.mkdir(parents=True, exist_ok=True)
        self.path = runs_dir / f"{run_id}.lock"
        self._db: sqlite3.Connection | None = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=MEMORY")  # no -journal file left beside it
        self._db.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self._db is None:
            return
        self._db.execute("ROLLBACK")
        self._db.close()
        self._db = None
        self.path.unlink(missing_ok=True)


def run_is_alive(runs_dir: Path, run_id: str) -> bool:
    """True while the run's process holds its lock. A missing lock file means a dead run."""
    path = runs_dir / f"{run_id}.lock"
    if not path.exists():
        return False
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA journal_mode=MEMORY")
        probe.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError:
        return True  # "database is locked": its owner is still running
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def sweep_dead_runs(runs_dir: Path, *, older_than: float) -> None:
    """Remove lock files of runs that died without claims (the others go with `forget_run`).

    Only files last touched before `older_than` (a POSIX timestamp): a run that is just
    starting has created its file but may not hold the lock yet.
    """
    for path in runs_dir.glob("*.lock"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < older_than and not run_is_alive(runs_dir, path.stem):
                path.unlink()


def forget_run(runs_dir: Path, run_id: str) -> None:
    """Remove a dead run's lock file once its claims are settled."""
    with contextlib.suppress(OSError):
        (runs_dir / f"{run_id}.lock").unlink(missing_ok=True)
