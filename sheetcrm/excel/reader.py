"""Reading a workbook once: values through calamine, formulas and error cells by a byte scan.

calamine returns a formula cell's cached result and an error cell (#N/A) as "", so the few
cells that hold a formula or an error are found in the sheet XML directly; both are rare,
so the scan costs next to nothing.
"""

from __future__ import annotations

import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import IO

import python_calamine

from sheetcrm.backend import RawSheet, Snapshot
from sheetcrm.cells import CellValue, column_index, parse_a1, parse_range
from sheetcrm.entry import READ_THREADS
from sheetcrm.excel.calamine_copy import calamine_copy
from sheetcrm.excel.codec import open_member
from sheetcrm.excel.package import Package, SheetEntry
from sheetcrm.excel.sheet_rows import SharedValues, sheet_rows
from sheetcrm.excel.tables import tables_of
from sheetcrm.excel.unreadable import unreadable
from sheetcrm.excel.xmltext import unescape
from sheetcrm.forked import Apart, Gate, can_fork
from sheetcrm.freed_memory import keep_freed_memory, return_freed_memory

_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_SQREF_COLUMN = re.compile(r"\$?([A-Z]{1,3})\$?[0-9]+")
_SQREF = re.compile(rb'\bsqref="([^"]*)"')
_REF = re.compile(rb'\sref="([^"]*)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def read_snapshot(package: Package) -> Snapshot:
    return BegunRead(package).finish()


class BegunRead:
    """A read of `package` under way from the moment it is made: finish() gives the
    snapshot, abandon() lets it go (a read begun at start-up whose workbook turns out not
    to be the one to read, see excel/early_read.py). The package stays open until then.

    Every sheet's values are read on two threads, the flags (a byte scan of each sheet's
    XML) in a forked copy of the process meanwhile.

    calamine parses a sheet with the GIL released, so two sheets parse at once on two
    cores (1.65 s to 1.0 s for the three sheets of a 10,000-customer workbook), the largest
    first. Each thread opens the file on its own handle: a calamine workbook or a zip file
    is not shared between threads. The scans hold the GIL while they search, and so took
    turns with the conversions to Python; in a copy (forked before any thread starts, so
    it holds next to nothing) they do not: the demo's read 1.57 → 1.44 s, process start
    included. The copy scans only once the two largest sheets are parsed: beside the two
    parses it took a third of both cores from them (inflating the demo's sheets alone is
    0.18 s), while the conversions that follow run one at a time and leave a core free:
    the demo's read 0.98–1.04 → 0.92–1.01 s (three alternating reads).
    Where no copy can be forked, the scans run on the two threads after the values.

    The conversion to Python holds the GIL, so two sheets converted at once only take
    turns: one at a time, the first sheet's calamine copy is freed before the second's
    conversion starts. With 100,000 customers that bounds the read's peak at one sheet
    converted plus two parsed (1,368 MB; two conversions side by side reached 1,400–1,620
    MB, as their ends happened to meet) and the read takes 0.6 s less.

    calamine reads a copy of the package made so that it reads each sheet once, not twice
    (excel/calamine_copy.py); the merged ranges come from the scan.
    """

    def __init__(self, package: Package) -> None:
        self.package = package
        self._entries = [e for e in package.sheets if e.is_worksheet and package.has(e.part)]
        self._stack = ExitStack()
        try:
            with _read_errors(package.path):
                copy = self._stack.enter_context(
                    calamine_copy(package, [e.part for e in self._entries])
                )
                self._parts = _PartsRead(package, copy, self._entries, self._stack)
        except BaseException:
            self._stack.close()
            raise

    def finish(self) -> Snapshot:
        with self._stack, _read_errors(self.package.path):
            values, flags = self._parts.results()
        return_freed_memory()
        return _snapshot(self.package, self._entries, values, flags)

    def abandon(self) -> None:
        """Stop the scan's copy and any sheet not yet converted; a parse under way on a
        thread runs to its end (calamine cannot be stopped), and nothing waits for it."""
        self._parts.abandoned = True
        self._stack.close()


@contextmanager
def _read_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except python_calamine.PasswordError:
        raise unreadable(path) from None
    except (python_calamine.CalamineError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        # A sheet's XML cut short, a member whose checksum fails: damaged, not a bug.
        raise unreadable(path, str(exc)) from None


def _snapshot(
    package: Package,
    entries: Sequence[SheetEntry],
    values: Mapping[str, list[tuple[CellValue, ...]]],
    flags: Mapping[str, SheetFlags],
) -> Snapshot:
    sheets: dict[str, RawSheet] = {}
    for entry in entries:
        found = flags[entry.part]
        sheets[entry.name] = RawSheet(
            entry.name,
            values[entry.name],
            frozenset(found.formulas),
            found.errors,
            tuple(found.merged),
            frozenset(found.drawn_columns),
            found.auto_filter,
            frozenset(found.conditional_ranges),
            found.used_columns,
            tuple(
                (sqref, dropdown_words(formula, entry.name, values))
                for sqref, formula in found.dropdowns
            ),
            _totals_rows(package, entry.part),
        )
    return Snapshot(sheets=sheets, token=package.token, date1904=package.date1904)


class _Abandoned(Exception):
    """A sheet's read stopped between its parse and its conversion: nobody wants it."""


class _PartsRead:
    """The sheets' values under way on two threads and their flags in a copy (or on the
    threads after the values, where no copy can be forked), `copy` read by calamine (see
    excel/calamine_copy.py); what must end with the read is put on `stack`."""

    def __init__(
        self, package: Package, copy: Path, entries: list[SheetEntry], stack: ExitStack
    ) -> None:
        self.abandoned = False
        self._entries = entries
        sizes = {i.filename: i.compress_size for i in package.infos}
        largest_first = sorted(entries, key=lambda e: -sizes.get(e.part, 0))
        parts = [e.part for e in largest_first]
        handles = threading.local()
        texts = SharedValues()
        converting = threading.Lock()
        gate = Gate() if can_fork() else None
        parses = _BigParses(package, largest_first[:2], then=gate.open if gate else _nothing)

        def book(path: Path) -> python_calamine.CalamineWorkbook:
            """This thread's calamine workbook of `path`, opened once."""
            books: dict[Path, python_calamine.CalamineWorkbook] = handles.__dict__.setdefault(
                "books", {}
            )
            if path not in books:
                books[path] = python_calamine.CalamineWorkbook.from_path(str(path))
            return books[path]

        def values(name: str) -> list[tuple[CellValue, ...]]:
            with parses.of(name) as parsed:

                def convert_now() -> None:
                    parsed()  # a held sheet returns once the other big one is parsed:
                    if self.abandoned:  # let go meanwhile, it converts nothing either
                        raise _Abandoned(name)

                try:
                    return _values(book(copy), name, texts, converting, convert_now)
                except python_calamine.CalamineError:
                    if copy == package.path:
                        raise
                # The copy is only faster to read: a sheet calamine refuses there is read as
                # it is.
                return _values(book(package.path), name, texts, converting, convert_now)

        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=READ_THREADS)
        self._scans: Apart[dict[str, SheetFlags]] | None = None
        self._scanned: dict[str, Future[SheetFlags]] = {}
        if gate is not None:
            # Forked before any thread starts (a copy holds next to nothing).
            stack.enter_context(gate)
            self._scans = stack.enter_context(
                # A copy that only inflates and frees pieces of some MB, over and over.
                Apart(partial(_scan_parts, package.path, parts, gate), in_copy=keep_freed_memory)
            )
        stack.callback(self._end_threads)
        self._read = {e.name: self._pool.submit(values, e.name) for e in largest_first}
        if gate is None:
            self._scanned = {
                part: self._pool.submit(_scan_part, package.path, part) for part in parts
            }

    def results(
        self,
    ) -> tuple[dict[str, list[tuple[CellValue, ...]]], dict[str, SheetFlags]]:
        values = {e.name: self._read[e.name].result() for e in self._entries}
        if self._scans is not None:
            return values, self._scans.result()
        return values, {part: scan.result() for part, scan in self._scanned.items()}

    def _end_threads(self) -> None:
        self._pool.shutdown(wait=not self.abandoned, cancel_futures=self.abandoned)


def _nothing() -> None:
    pass


# Two sheets whose XML passes this are converted only once both are parsed (see _BigParses).
HOLD_BYTES = 512 * 2**20


class _BigParses:
    """The parses of the two largest sheets: `then` is called once both are done (or
    failed), and on a workbook whose two sheets pass HOLD_BYTES of XML, neither is
    converted to Python before then.

    calamine ends a sheet's parse by laying its cells out as a grid, for a moment holding
    them twice: at 100,000 customers, 330 MB more for the orders, 390 MB for the contact
    log. The orders, parsed first, used to be converted meanwhile, and how far that had
    got when the log's moment came decided the sync's peak: 1,392 to 1,456 MB in six runs,
    1,537 MB in a benchmark's. Held, the log's moment finds no conversion under way: 1,355
    MB in each of six runs, the read 0.25 s longer (the conversions take turns anyway).
    Smaller workbooks are not held: each sheet is converted as soon as it can be.
    """

    def __init__(
        self, package: Package, largest: Sequence[SheetEntry], then: Callable[[], None] = _nothing
    ) -> None:
        held = sum(package.zip.getinfo(e.part).file_size for e in largest) > HOLD_BYTES
        self._held = frozenset(e.name for e in largest) if held else frozenset()
        self._waiting = {e.name for e in largest}
        self._then = then
        self._ended = threading.Condition()
        if not self._waiting:
            then()

    def parsed(self, name: str, *, wait: bool = True) -> None:
        """`name` is parsed; with `wait`, a held sheet's parse returns once the other's is
        done too (any other sheet never waits: converted, it lets go of calamine's copy)."""
        with self._ended:
            if name in self._waiting:
                self._waiting.discard(name)
                if not self._waiting:
                    self._then()
                    self._ended.notify_all()
            if wait and name in self._held:
                self._ended.wait_for(lambda: not self._waiting)

    @contextmanager
    def of(self, name: str) -> Iterator[Callable[[], None]]:
        """The read of sheet `name`: gives what to call once it is parsed, and on leaving
        (a parse that failed too) lets the other big sheet go on."""
        try:
            yield partial(self.parsed, name)
        finally:
            self.parsed(name, wait=False)


def _scan_parts(path: Path, parts: Sequence[str], gate: Gate) -> dict[str, SheetFlags]:
    gate.wait()
    return {part: _scan_part(path, part) for part in parts}


def _totals_rows(package: Package, part: str) -> frozenset[int]:
    return frozenset(t.bottom for t in tables_of(package, part) if t.totals)


def _values(
    book: python_calamine.CalamineWorkbook,
    name: str,
    texts: SharedValues,
    converting: threading.Lock,
    parsed: Callable[[], None] = _nothing,
) -> list[tuple[CellValue, ...]]:
    """A sheet's values anchored at A1 (its merged ranges come from the byte scan);
    `parsed` is called between calamine's parse and the conversion.

    Rows are converted a batch at a time and their texts shared at once, so the sheet
    never exists twice as Python objects (calamine's to_python would build it whole first;
    see excel/sheet_rows.py).
    """
    sheet = book.get_sheet_by_name(name)
    parsed()
    # iter_rows starts at row 1 but at the first used column: pad back to column A.
    pad = sheet.start[1] if sheet.start else 0
    with converting:
        rows = sheet_rows(sheet.iter_rows(), pad, texts)
        del sheet  # calamine's copy of the sheet is as big as ours: free it before the next
    return rows


def _scan_part(path: Path, part: str) -> SheetFlags:
    """Formula and error cells of one part, read through a handle of this task's own."""
    with path.open("rb") as file, zipfile.ZipFile(file) as z, open_member(file, z, part) as stream:
        return scan_sheet(stream)


_CHUNK = 1 << 22
_OVERLAP = 1 << 16  # context kept across chunks: a cell's tag, formula and value fit in it


@dataclass
class SheetFlags:
    formulas: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    # Columns where Excel 2010 extensions draw something (sparklines): no owned column there.
    drawn_columns: set[int] = field(default_factory=set)
    auto_filter: bool = False
    conditional_ranges: set[str] = field(default_factory=set)  # sqref of each block
    used_columns: int = 0  # 1 + the rightmost column any <c> element is in
    dropdowns: list[tuple[str, str]] = field(default_factory=list)  # (sqref, formula1)
    # Merged ranges, 0-based corners, in the sheet's order (calamine's are not read: see
    # excel/calamine_copy.py).
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    past_data: bool = False  # the scan has gone past </sheetData>


def scan_sheet(stream: IO[bytes]) -> SheetFlags:
    """Formula cells, error cells and the columns sparklines are drawn in, by a byte scan.

    The sheet XML is scanned in chunks (a 44 MB sheet need not sit in memory whole); a match
    is taken in the chunk where it starts, with enough context kept on either side.
    """
    flags = SheetFlags()
    carry = b""
    scan_from = 0
    tag = b""
    while True:
        block = stream.read(_CHUNK)
        if not carry and block:
            root = _ROOT.search(block)
            tag = root.group(1) or b"" if root else b""
            flags.used_columns = _dimension_columns(block, tag)
        buf = carry + block
        scan_to = len(buf) - _OVERLAP if block else len(buf)
        if scan_to > scan_from:
            _scan(buf, scan_from, scan_to, tag, flags)
        if not block:
            return flags
        keep = max(scan_to, scan_from) - _OVERLAP
        carry = buf[max(keep, 0) :]
        scan_from = max(scan_to, scan_from) - max(keep, 0)


def _occurrences(xml: bytes, needle: bytes, start: int, end: int) -> Iterator[int]:
    """Positions of `needle` starting in [start, end): bytes.find is far faster than a regex."""
    pos = xml.find(needle, start)
    while 0 <= pos < end:
        yield pos
        pos = xml.find(needle, pos + 1)


def _scan(xml: bytes, start: int, end: int, tag: bytes, flags: SheetFlags) -> None:
    """Formulas and errors inside <sheetData>, everything else after it (the schema puts
    filters, formats, dropdowns and extensions there): two needles over the cells, which
    are nearly all of a sheet's bytes, instead of nine."""
    if not flags.past_data:
        close = _data_end(xml, start, tag)
        inside = close < 0 or close >= end
        _scan_cells(xml, start, end if inside else close, tag, flags)
        if inside:
            return
        flags.past_data, start = True, close
    _scan_after_data(xml, start, end, tag, flags)


def _data_end(xml: bytes, start: int, tag: bytes) -> int:
    """Where </sheetData> (or an empty <sheetData/>) starts, or -1."""
    for m in _SHEET_DATA.finditer(xml, start):
        name = m.start() - len(tag)  # where the tag's prefix starts
        if name >= 2 and xml.startswith(b"</" + tag, name - 2):
            return name - 2
        if name >= 1 and m.group().endswith(b"/>") and xml.startswith(b"<" + tag, name - 1):
            return name - 1
    return -1


def _scan_cells(xml: bytes, start: int, end: int, tag: bytes, flags: SheetFlags) -> None:
    formulas, errors = flags.formulas, flags.errors
    for pos in _starts(_formula_tag(tag), xml, start, end, len(tag) + 3):
        ref = _enclosing_ref(xml, pos, tag)
        if ref is not None:
            formulas.add(ref)
    for pos in _starts(_ERROR_TYPE, xml, start, end, 5):
        tag_start = xml.rfind(b"<", 0, pos)
        if not xml.startswith(b"<" + tag + b"c ", tag_start):
            continue
        ref_match = _CELL_REF.search(xml, tag_start, xml.find(b">", pos))
        if ref_match is None:
            continue
        cell_end = xml.find(b"</" + tag + b"c>", pos)
        value = _VALUE.search(xml, pos, cell_end if cell_end >= 0 else len(xml))
        errors[parse_a1(ref_match.group(1).decode())] = (
            value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        )


# A literal pattern finds its rare hits in a sheet's XML twice as fast as bytes.find, whose
# search stumbles on every "<" (0.042 -> 0.020 s for "<f" over the demo's 46 MB contact log).
_ERROR_TYPE = re.compile(rb't="e"')
_SHEET_DATA = re.compile(rb"sheetData/?>")


@cache
def _formula_tag(tag: bytes) -> re.Pattern[bytes]:
    return re.compile(b"<" + re.escape(tag) + b"f[ >/]")


def _starts(
    pattern: re.Pattern[bytes], xml: bytes, start: int, end: int, width: int
) -> Iterator[int]:
    """Where the pattern, `width` bytes long, starts in [start, end)."""
    for m in pattern.finditer(xml, start, min(len(xml), end + width - 1)):
        yield m.start()


def _scan_after_data(xml: bytes, start: int, end: int, tag: bytes, flags: SheetFlags) -> None:
    _scan_dropdowns(xml, start, end, tag, flags)
    for pos in _occurrences(xml, b"<" + tag + b"mergeCell ", start, end):
        m = _REF.search(xml, pos, xml.find(b">", pos))
        if m:
            with suppress(ValueError):  # not a cell range: nothing merged that can be named
                flags.merged.append(parse_range(m.group(1).decode("ascii", "replace")))
    for _ in _occurrences(xml, b"<" + tag + b"autoFilter", start, end):
        flags.auto_filter = True
    for pos in _occurrences(xml, b"<" + tag + b"conditionalFormatting ", start, end):
        m = _SQREF.search(xml, pos, xml.find(b">", pos))
        if m:
            flags.conditional_ranges.add(m.group(1).decode("ascii", "replace"))
    for pos in _occurrences(xml, b"<xm:sqref>", start, end):
        refs = xml[pos + 10 : xml.find(b"<", pos + 10)].decode("ascii", "replace")
        for letters in _SQREF_COLUMN.findall(refs):
            flags.drawn_columns.add(column_index(letters))


_LIST = re.compile(rb'\btype="list"')
_FORMULA1 = re.compile(rb"<(?:\w+:)?formula1>\s*(?:<xm:f>)?([^<]*)<", re.S)
_X14_SQREF = re.compile(rb"<xm:sqref>([^<]*)</xm:sqref>")


def _scan_dropdowns(xml: bytes, start: int, end: int, tag: bytes, flags: SheetFlags) -> None:
    """Data-validation lists: the words staff's dropdowns offer, and where (x14 ones, which
    Excel writes for a list on another sheet, carry their range in <xm:sqref>)."""
    for needle in (b"<" + tag + b"dataValidation ", b"<x14:dataValidation "):
        for pos in _occurrences(xml, needle, start, end):
            close = xml.find(b"Validation>", pos)
            element = xml[pos : close if close > 0 else pos + 4096]
            opening = element[: element.find(b">") + 1]
            formula = _FORMULA1.search(element)
            if not _LIST.search(opening) or formula is None:
                continue
            sqref = _SQREF.search(opening) or _X14_SQREF.search(element)
            if sqref is not None:
                flags.dropdowns.append(
                    (sqref.group(1).decode("utf-8", "replace"), _unescape(formula.group(1)))
                )


def _unescape(raw: bytes) -> str:
    return unescape(raw.decode("utf-8", "replace").strip(), {"&quot;": '"', "&apos;": "'"})


def dropdown_words(
    formula: str, sheet: str, values: Mapping[str, Sequence[Sequence[CellValue]]]
) -> tuple[str, ...]:
    """The words a list offers: an inline "a,b,c", or the cells of a range (on this sheet or
    another, as Lists!$A$1:$A$9)."""
    if formula.startswith('"'):
        return tuple(w.strip() for w in formula.strip('"').split(",") if w.strip())
    target, _, ref = formula.rpartition("!")
    target = target.strip("'").replace("''", "'") or sheet
    rows = values.get(target)
    if rows is None or not ref:
        return ()
    try:
        (r0, c0), (r1, c1) = parse_range(ref)
    except ValueError:
        return ()  # a named range or a formula: not a list of cells
    words = []
    for r in range(r0, min(r1, len(rows) - 1) + 1):
        for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
            value = rows[r][c]
            if value not in ("", None):
                words.append(str(value).strip())
    return tuple(words)


def _dimension_columns(head: bytes, tag: bytes) -> int:
    """Columns the sheet's <dimension ref> says are used: Excel, LibreOffice and the common
    libraries count a cell staff only formatted (a fill, a border) as used, which the values
    do not show. A dimension that claims every column (some exporters) says nothing."""
    m = re.search(rb"<" + re.escape(tag) + rb'dimension\b[^>]*?\bref="([^"]*)"', head)
    if m is None:
        return 0
    last = m.group(1).split(b":")[-1].decode("ascii", "replace").replace("$", "")
    letters = last.rstrip("0123456789")
    if not letters.isalpha() or len(letters) > 3:
        return 0
    used = column_index(letters.upper()) + 1
    return 0 if used in _ALL_COLUMNS else used


_ALL_COLUMNS = (1_024, 16_384)  # AMJ (LibreOffice's last column until 7.4) and XFD (Excel's)


def _enclosing_ref(xml: bytes, pos: int, tag: bytes) -> tuple[int, int] | None:
    start = xml.rfind(b"<" + tag + b"c ", 0, pos)
    if start < 0:
        return None
    m = _CELL_REF.search(xml, start, xml.find(b">", start))
    return parse_a1(m.group(1).decode()) if m else None
