"""Work done on the machine's second core, in a forked copy of this process.

A run is Python from its read to its write, and Python runs on one core at a time; a forked
copy already holds everything read (the pages are shared until written), so a piece of pure
work can go on there while this process goes on with its own, and only the result (a few
numbers, a list of problems) comes back through a pipe.

Forking is done only where it is safe and pays: on Linux (macOS forbids it to some system
libraries, Windows has no fork), with more than one core, and while this process runs one
thread (a fork copies no other thread, and a lock one of them held would stay held in the
copy; a test's mail server runs in a thread). Otherwise, or when SHEETCRM_ONE_PROCESS=1 is
set, the work is done here when its result is asked for. When the copy fails (killed for
memory, say), its work is done here too: the result is the same, only later.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from types import TracebackType
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
X = TypeVar("X")

ONE_PROCESS = "SHEETCRM_ONE_PROCESS"


def can_fork() -> bool:
    return (
        sys.platform == "linux"
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and os.environ.get(ONE_PROCESS) != "1"
    )


class Apart(Generic[T]):
    """`work` started in a forked copy (where that is safe), its result given by result().

    Use it as a context manager: leaving the block without asking for the result stops the
    copy, so that no process outlives the run that started it.
    """

    def __init__(
        self,
        work: Callable[[], T],
        *,
        fork: bool = True,
        in_copy: Callable[[], None] | None = None,
    ) -> None:
        """`fork=False`: the work is done here, at result() (a result too big to be worth
        sending back). `in_copy`: done in the copy before the work, never here (the copy's
        memory allocator set for its work, which would not suit this process when the work
        is done here after all)."""
        self._work = work
        self._in_copy = in_copy
        self._pid = 0
        self._pipe = -1
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: never returns into the caller's code
            try:
                os.close(reader)
                if self._in_copy is not None:
                    self._in_copy()
                _child(self._work, writer)
            finally:
                os._exit(0)
        os.close(writer)
        self._pid, self._pipe = pid, reader

    def result(self) -> T:
        """The work's result, asked for once. The work (and all it holds: a run's records)
        is let go of then, even while the caller keeps this object."""
        work, self._work = self._work, _ASKED
        if not self._pid:
            return work()
        payload = self._collect()
        if payload is not None:
            done, value = pickle.loads(payload)
            if done:
                return value  # type: ignore[no-any-return]
            log.debug("the forked copy failed; its work is done here:\n%s", value)
        return work()  # the same pure work: the same result, or the error it raises

    def _collect(self) -> bytes | None:
        """What the copy sent, once it has ended; None if it ended without sending."""
        chunks = []
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = -1
            while chunk := pipe.read(1 << 16):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if status != 0 or not chunks:
            log.warning(
                "a forked copy of sheetcrm ended early (status %s); working on here", status
            )
            return None
        return b"".join(chunks)

    def __enter__(self) -> Apart[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pid:  # the result was never asked for: the run is failing
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0
        if self._pipe >= 0:
            os.close(self._pipe)
            self._pipe = -1


class Gate:
    """What a forked copy waits at before its work starts, until this process opens it.

    For work that would only slow down this process if it ran at once (both cores busy
    already) but fits in a moment to come when one is free. A pipe: the copy waits to read
    from it, and reads its end once this process's side is closed, by open() or by leaving
    the block (a failing run). Make it before the Apart that waits at it.
    """

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        # open() comes from a reading thread as well as from the block's end (a read let
        # go while its parses run): one of them closes the pipe's end, never both (a
        # second close could shut a file the number was given to since).
        self._opening = threading.Lock()

    def wait(self) -> None:
        """In the copy: return once the gate is open. (Here, where the work is done when the
        copy could not be: at once.)"""
        self.open()  # this process's own side, which would keep it shut
        if self._read >= 0:  # closed once the block is left: open for good
            os.read(self._read, 1)

    def open(self) -> None:
        with self._opening:
            write, self._write = self._write, -1
        if write >= 0:
            os.close(write)

    def __enter__(self) -> Gate:
        return self

    def __exit__(self, *_: object) -> None:
        self.open()
        os.close(self._read)
        self._read = -1


def _ASKED() -> Any:
    raise RuntimeError("Apart.result() is asked for once")


def mapped_apart(work: Callable[[X], T], items: Sequence[X], *, apart: bool = True) -> list[T]:
    """[work(item) for item in items], every other item done in a forked copy when `apart`
    (the caller's judgement that the work pays for the fork and the pickling) and there
    are three items or more (under three the copy would get none). The first item is done
    here before the fork: whatever it loads once (a template compiled, say) is loaded once
    for both."""
    if not apart or len(items) < 3:
        return _each(work, items)
    first = work(items[0])
    rest = items[1:]
    with Apart(partial(_each, work, rest[1::2])) as copy:
        done = [first, *(work(item) for item in rest[::2])]
        there = copy.result()
    merged: list[T] = [first] * len(items)
    merged[1::2] = done[1:]
    merged[2::2] = there
    return merged


def _each(work: Callable[[X], T], items: Sequence[X]) -> list[T]:
    return [work(item) for item in items]


def _child(work: Callable[[], object], writer: int) -> None:
    try:
        payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        payload = pickle.dumps((False, traceback.format_exc()))
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(payload)
