"""The `sheetcrm` command's entry point: a sync's or a check's read of the workbook begins
(see excel/early_read.py), then the command-line modules are imported with the
cyclic garbage collector paused. Importing pydantic, Jinja2, Babel and the rules makes
hundreds of thousands of objects and no garbage; collecting meanwhile costs 40 ms a start.
When a read has begun, the collector stays paused into the command, which keeps it so to
its end (cli._last_run): the read's threads make the workbook's million cells while the
command loads its settings and modules, and each pass of the collector there walked them
(0.13-0.15 s of CPU in a check or sync of 10,000 customers, under the interpreter's lock,
which those threads' conversions and the imports take turns at).

The process ends as soon as its work is done and its output is out: Python's own exit
would free every object one by one first (0.1 s after a sync of 10,000 customers), memory
the system takes back at once anyway.
"""

import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

# True once main() runs: this process ends when its command does. (Tests call the command
# line in their own process, which goes on.)
ENDS_WITH_COMMAND = False


_LEFT_FOR_EXIT: list[object] = []


def left_for_exit(thing: object) -> None:
    """Keep `thing` until the process ends, when it ends with its command: freeing it
    object by object (the workbook a sync read: 0.03 s for 10,000 customers) is work the
    end of the process does at once."""
    if ENDS_WITH_COMMAND:
        _LEFT_FOR_EXIT.append(thing)


def main() -> None:
    global ENDS_WITH_COMMAND
    ENDS_WITH_COMMAND = True
    gc.disable()
    let_go = _nothing
    try:
        let_go = _begin_read(sys.argv[1:])
        from sheetcrm.cli import execute
    finally:
        if let_go is _nothing:  # no read under way: the command collects as it likes
            gc.enable()
    try:
        status = execute()
    finally:
        let_go()
    leave(status)


# The commands whose first work is reading the workbook: they begin it at once.
READS_FIRST = frozenset({"sync", "check"})


def _begin_read(argv: list[str]) -> Callable[[], None]:
    """Begin reading the workbook when the command reads it first, to go on while the rest
    imports (see excel/early_read.py); gives what lets that read go if nothing takes it
    (_nothing when no read began: another command, or no workbook to read early)."""
    if not READS_FIRST.intersection(argv) or "--help" in argv:
        return _nothing  # help, and the other commands, import nothing more
    from sheetcrm.excel import early_read

    early_read.begin(argv, READS_FIRST)
    return early_read.let_go if early_read.under_way() else _nothing


def _nothing() -> None:
    pass


# The threads that read a workbook's sheets are named so (excel/reader.py). A read that ends
# joins them; any still running at the end belong to a read begun at start-up and let go
# (the settings refused, say), whose parse nobody wants: the process does not wait for it.
READ_THREADS = "sheetcrm-read"


def leave(status: int) -> NoReturn:
    """Exit with `status` without tearing the interpreter down: what is registered to run at
    exit runs (logging's flush and close, temporary files' clean-up), and the standard
    streams are flushed. Everything the job writes is closed by then: the workbook is
    replaced whole, the ledger commits each change. While another thread still runs (but a
    read's, see READ_THREADS), Python's own exit, which waits for it."""
    here = threading.current_thread()
    if any(t is not here and not t.name.startswith(READ_THREADS) for t in threading.enumerate()):
        sys.exit(status)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader of a pipe went away: 120, as Python's own exit says it
        status = status or 120
    os._exit(status)
