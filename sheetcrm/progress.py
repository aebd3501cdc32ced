"""A line on stderr as each step of a long run ends (read, validate, send, write, with counts),
so that someone waiting at a terminal sees the job is working. Quiet when stderr is not a
terminal (cron appends stdout and stderr to a log) or with --quiet, and for runs that end
within a couple of seconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from sheetcrm.report_texts import text

SHOWN_AFTER = 2.0  # seconds into a run before steps are shown


class Progress:
    def __init__(
        self,
        stream: TextIO | None,
        *,
        language: str = "en",
        after: float = SHOWN_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.language = language
        self.after = after
        self.clock = clock
        self.started = clock()

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, object]]:
        """A step of the run; the caller fills in its counts (the text's parameters)."""
        counts: dict[str, object] = {}
        start = self.clock()
        yield counts
        end = self.clock()
        if self.stream is None or end - self.started < self.after:
            return
        counts = {k: f"{v:,}" if isinstance(v, int) else v for k, v in counts.items()}
        line = text(f"progress_{name}", self.language, **counts)
        self.stream.write(f"… {line} ({end - start:.1f} s)\n")
        self.stream.flush()


QUIET = Progress(None)


def on_terminal(quiet: bool) -> Progress:
    """Shown on stderr when it is a terminal and --quiet was not given (the run sets the
    language once settings and the workbook tell it)."""
    stream = sys.stderr
    return Progress(stream if not quiet and stream.isatty() else None)
