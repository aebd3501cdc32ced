"""The parts a write makes new, made on both cores.

Once the plan's edits and styles are known, each changed part depends on nothing else. The
generated sheets (tier lists, Outbox, Problems) are Python from their first byte to their
last, so a forked copy of the process makes them (see sheetcrm.forked) while this one
patches the staff sheets, whose streaming already keeps a second core busy deflating. The
copy writes each part into a temporary file opened here, whose descriptor it shares, and
sends back only each part's sizes and checksum.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO
from zipfile import ZIP_DEFLATED

from sheetcrm.cells import is_blank
from sheetcrm.excel.generated import sheet_xml_pieces
from sheetcrm.excel.styles import Styles
from sheetcrm.excel.zipwriter import Deflated
from sheetcrm.forked import Apart
from sheetcrm.plan import GeneratedSheet, SheetWrites

# Writes one part into the file from its start: the part, and the formulas it replaced.
Make = Callable[[IO[bytes]], tuple[Deflated, int]]

# A fork and the pages it copies cost a few milliseconds: generated sheets of fewer cells
# than this (a small team's, about 0.05 s of work) are made here.
WORTH_A_COPY = 40_000


def generated_cells(sheets: Sequence[GeneratedSheet]) -> int:
    return sum((len(s.rows) + 1) * len(s.header) for s in sheets)


@dataclass(frozen=True)
class SheetStyles:
    """The styles a generated sheet's cells point at: its header's and each column kind's."""

    header: str
    kinds: Mapping[str, str | None]


def sheet_styles(generated: GeneratedSheet, styles: Styles) -> SheetStyles:
    """A generated sheet's styles, taken from `styles` now, so that a style new to the
    workbook is numbered here, in the order the sheets are written."""
    kinds = {k: styles.for_kind(k) for k in sorted(set(generated.kinds)) if k}
    return SheetStyles(styles.bold(), kinds)


def sheet_maker(generated: GeneratedSheet, taken: SheetStyles, date1904: bool) -> Make:
    """A generated sheet's part: a function of the sheet and its styles alone."""
    pieces = partial(
        sheet_xml_pieces,
        generated,
        header_style=taken.header,
        kind_styles=taken.kinds,
        date1904=date1904,
    )
    return partial(_deflated, pieces)


def styles_guessed(styles: Styles, sheets: Sequence[SheetWrites]) -> Styles:
    """A copy of `styles` as the staff sheets' edits will most likely leave them, for the
    generated sheets' copy to start before those edits are worked out.

    The edits take a column kind's style at the first cell they change to a value (see
    ExcelBackend._edits); here, at the first cell the plan gives a value. The two agree on
    a first run (every owned cell is new) and on a run after it (the styles are there
    already, wherever they are taken). The writer compares what each generated sheet got
    from the guess with what it gets after the edits, and makes them again if they differ.
    """
    guess = styles.copy()
    for writes in sheets:
        kinds = {o.header: o.kind for o in writes.owned if o.kind}
        untaken = set(kinds.values())
        for cell in writes.cells if untaken else ():
            kind = kinds.get(cell.header)
            if kind in untaken and not is_blank(cell.value):
                guess.for_kind(kind)
                untaken.discard(kind)
                if not untaken:
                    break
    return guess


def _deflated(pieces: Callable[[], Iterable[bytes]], file: IO[bytes]) -> tuple[Deflated, int]:
    return Deflated.of_pieces(pieces(), file), 0


class PartsApart:
    """The parts of `there` made in a forked copy (or at results(), see sheetcrm.forked)
    from now on; results() makes those of `here` meanwhile and gives them all, `here`'s
    first. Closed (or left) before results(), the copy is stopped and its parts let go:
    results() then gives `here`'s alone."""

    def __init__(self, there: Sequence[Make]) -> None:
        self._files: list[IO[bytes]] = [tempfile.TemporaryFile() for _ in there]  # noqa: SIM115
        jobs = list(zip(there, self._files, strict=True))
        self._apart = Apart(partial(_make_each, jobs)) if jobs else None

    def results(self, here: Sequence[Make]) -> list[tuple[Deflated, int]]:
        made = [make(tempfile.TemporaryFile()) for make in here]  # noqa: SIM115
        sizes = self._apart.result() if self._apart else []
        return made + [
            (Deflated(file, length, crc, size, ZIP_DEFLATED), count)
            for file, (length, crc, size, count) in zip(self._files, sizes, strict=True)
        ]

    def __enter__(self) -> PartsApart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._apart:
            self._apart.close()
        self._apart, self._files = None, []


def _made(make: Make, file: IO[bytes]) -> tuple[Deflated, int]:
    """A part made into its file from the start (a copy that failed half way may have left
    bytes there), flushed so that the other process finds it whole."""
    file.seek(0)
    file.truncate()
    deflated, count = make(file)
    file.flush()
    return deflated, count


def _make_each(jobs: Sequence[tuple[Make, IO[bytes]]]) -> list[tuple[int, int, int, int]]:
    """(compressed length, CRC-32, size, count) of each part."""
    sizes = []
    for make, file in jobs:
        deflated, count = _made(make, file)
        sizes.append((deflated.length, deflated.crc, deflated.size, count))
    return sizes
