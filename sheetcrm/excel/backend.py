"""ExcelBackend: one read of the whole workbook, one surgical write of the plan."""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, BinaryIO

from sheetcrm.backend import RawSheet, Snapshot, WriteResult
from sheetcrm.cell_changes import (
    changed_cells,
    find_header_row,
    last_filled_row,
    looks_generated,
    missing_headers,
    owned_columns,
)
from sheetcrm.cells import CellValue, as_text, column_letter, is_blank
from sheetcrm.errors import BackendError
from sheetcrm.excel import early_read
from sheetcrm.excel.codec import inflate
from sheetcrm.excel.generated import (
    add_filter_name,
    add_generated_mark,
    add_sheet,
    add_styles,
    drop_calc_chain,
    marked_sheets,
    recalculate_on_open,
    sheet_rels_xml,
)
from sheetcrm.excel.made_apart import (
    WORTH_A_COPY,
    Make,
    PartsApart,
    SheetStyles,
    generated_cells,
    sheet_maker,
    sheet_styles,
    styles_guessed,
)
from sheetcrm.excel.package import Package, SheetEntry, rels_of
from sheetcrm.excel.reader import read_snapshot
from sheetcrm.excel.save import (
    file_token,
    refuse_if_changed,
    refuse_if_open,
    replace_atomically,
)
from sheetcrm.excel.sheet_patch import CellEdit, Edits, TailEdit, patch_sheet, patch_sheet_stream
from sheetcrm.excel.sheet_tail import ValueFill, add_auto_filter, add_value_fills
from sheetcrm.excel.styles import Styles
from sheetcrm.excel.tables import Table, a1, grown, pivot_tables_of, tables_of
from sheetcrm.excel.unreadable import DAMAGED_ZIP, unreadable
from sheetcrm.excel.zipwriter import Deflated, DeflateSink, Entry, write_zip
from sheetcrm.plan import AppendedSheet, GeneratedSheet, SheetWrites, WritePlan

log = logging.getLogger(__name__)

MAX_ROWS = 1_048_576  # a column's fill rule reaches to the sheet's last row
CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class _Patch:
    """The edits of one staff sheet, made before its XML is streamed through them."""

    sheet: str
    edits: Edits
    tail: TailEdit | None


@dataclass
class _Changes:
    """Parts to replace or add, built up while the plan is applied."""

    parts: dict[str, Deflated | None] = field(default_factory=dict)  # None: leave out
    added: list[str] = field(default_factory=list)  # new parts, in the order they are added
    new_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet name, part)
    cells: int = 0
    sheets: list[str] = field(default_factory=list)
    formulas_replaced: int = 0
    filters: list[tuple[str, str]] = field(default_factory=list)  # (sheet, range) added
    marks: list[str] = field(default_factory=list)  # generated sheets to mark as the job's
    # Generated sheets are there already (two at least: Problems and a tier sheet, say): a
    # workbook synced before the job marked its sheets, not a staff sheet alone that has a
    # generated sheet's name.
    synced_before: bool = False
    marked: frozenset[str] = frozenset()  # sheets carrying the job's mark, as read


class ExcelBackend:
    """A workbook file (.xlsx/.xlsm) patched in place, never loaded and re-saved whole."""

    def __init__(self, path: Path, *, backups: int = 5) -> None:
        self.path = path
        self.backups = backups

    def read(self) -> Snapshot:
        try:
            begun = early_read.take(self.path)
            if begun is not None:
                return begun
            with Package(self.path) as package:
                return read_snapshot(package)
        except DAMAGED_ZIP as exc:
            # zipfile's own complaints about a member or a header it cannot decode.
            raise unreadable(self.path, str(exc)) from None

    def check_layout(self, plan: WritePlan, snapshot: Snapshot) -> None:
        with Package(self.path) as package:
            for writes in plan.sheets:
                sheet = snapshot.sheets.get(writes.sheet)
                if sheet is not None and package.has_sheet(writes.sheet):
                    header_row = find_header_row(sheet, writes.anchor)
                    columns = owned_columns(sheet, header_row, writes)
                    _register_table(_areas(package, writes.sheet), sheet, header_row, columns)

    def check_writable(self, plan: WritePlan, snapshot: Snapshot) -> None:
        refuse_if_open(self.path)
        refuse_if_changed(self.path, snapshot.token, file_token(self.path))
        self.check_layout(plan, snapshot)
        self._check_generated_names(plan, snapshot)

    def _check_generated_names(self, plan: WritePlan, snapshot: Snapshot) -> None:
        """A staff sheet named like one the job generates is refused now, before any
        message goes out, as the write would refuse it."""
        with Package(self.path) as package:
            changes = self._changes_for(package, plan, snapshot)
            sheets: list[GeneratedSheet | AppendedSheet] = [
                *plan.generated,
                *(a for a in plan.appended if a.rows),
            ]
            for generated in sheets:
                existing = _sheet_named(package, generated.name)
                if existing is not None:
                    self._check_generated(snapshot, existing.name, generated.header, changes)

    @staticmethod
    def _changes_for(package: Package, plan: WritePlan, snapshot: Snapshot) -> _Changes:
        present = sum(1 for g in plan.generated if g.name in snapshot.sheets)
        marked = frozenset(marked_sheets(package.read(package.workbook_part)))
        return _Changes(synced_before=present >= 2, marked=marked)

    def write(self, plan: WritePlan, snapshot: Snapshot) -> WriteResult:
        refuse_if_open(self.path)
        with Package(self.path) as package:
            refuse_if_changed(self.path, snapshot.token, package.token)
            return self._apply(package, plan, snapshot)

    def _apply(self, package: Package, plan: WritePlan, snapshot: Snapshot) -> WriteResult:
        styles_part = package.related("styles")
        styles = Styles(package.read(styles_part) if styles_part else None)
        changes = self._changes_for(package, plan, snapshot)
        # A log the job appends to is made whole where it does not exist yet (a first run's
        # Tier history: a row per customer), with the generated sheets.
        wholes = {
            a.name: _whole(a)
            for a in plan.appended
            if a.rows and _sheet_named(package, a.name) is None
        }
        generated = [*plan.generated, *wholes.values()]
        # The generated sheets are made on the other core while the staff sheets' edits are
        # worked out and their parts patched here. The copy starts now, with the styles the
        # edits will most likely take (see styles_guessed); a sheet whose styles the edits
        # did not leave as guessed is made again below.
        date1904 = snapshot.date1904
        guessed: list[SheetStyles] | None = None  # a few cells: made here, no copy
        if generated_cells(generated) >= WORTH_A_COPY:
            guess = styles_guessed(styles, plan.sheets)
            guessed = [sheet_styles(g, guess) for g in generated]
        with PartsApart(_makers(generated, guessed, date1904) if guessed else []) as parts:
            # Styles are taken in the order the sheets are written (a new one gets the next
            # number): the staff sheets' first, then each generated sheet's.
            patches = [
                patch
                for writes in plan.sheets
                if (patch := self._edits(package, snapshot, writes, styles, changes)) is not None
            ]
            jobs = [_patch_job(package, patch, date1904) for patch in patches]
            taken = [sheet_styles(g, styles) for g in generated]
            if taken != guessed:  # nothing guessed, or a guess the edits proved wrong
                parts.close()
                jobs += _makers(generated, taken, date1904)
            made = parts.results(jobs)
        for patch, (deflated, replaced) in zip(patches, made[: len(patches)], strict=True):
            changes.parts[package.sheet(patch.sheet).part] = deflated
            changes.cells += sum(len(e) for e in patch.edits.values())
            changes.sheets.append(patch.sheet)
            changes.formulas_replaced += replaced
        for sheet, (part, _) in zip(generated, made[len(patches) :], strict=True):
            self._place(package, snapshot, sheet, part, changes)
        for appended in plan.appended:
            if appended.name not in wholes:
                self._append(package, snapshot, appended, styles, changes)
        if not changes.parts:
            return WriteResult(changed=False, cells_written=0, sheets_written=())
        self._workbook_parts(package, snapshot, styles, changes)
        backup = replace_atomically(
            self.path,
            lambda out: _write_package(out, package, changes),
            backups=self.backups,
            now=dt.datetime.now(),
            expected=snapshot.token,
        )
        return WriteResult(
            True, changes.cells, tuple(changes.sheets), str(backup) if backup else None
        )

    # -- staff sheets ------------------------------------------------------------------------

    def _edits(
        self,
        package: Package,
        snapshot: Snapshot,
        writes: SheetWrites,
        styles: Styles,
        changes: _Changes,
    ) -> _Patch | None:
        """What a staff sheet's patch changes (None: nothing), styles taken on the way."""
        sheet = snapshot.sheets.get(writes.sheet)
        if sheet is None:
            raise BackendError(f"{self.path.name}: no sheet named {writes.sheet!r}")
        header_row = find_header_row(sheet, writes.anchor)
        columns = owned_columns(sheet, header_row, writes)
        areas = _areas(package, writes.sheet)
        tables = [a for a in areas if a.kind == "table"]
        register_table = _register_table(areas, sheet, header_row, columns)
        kinds = {columns[o.header]: o.kind for o in writes.owned}
        edits: dict[int, dict[int, CellEdit]] = defaultdict(dict)
        kind_styles: dict[str, str | None] = {}
        # One edit object per distinct value and style: tiers, plans and dates repeat, and a
        # 10,000-customer register gets 170,000 cells. Keyed by type too: 1 == 1.0 == True.
        shared: dict[tuple[type, CellValue, str | None], CellEdit] = {}

        def first_edit(col: int, value: CellValue) -> CellEdit:
            """The edit of a value met first in its column; its style is taken now."""
            style = None
            if not is_blank(value) and kinds[col]:
                if kinds[col] not in kind_styles:
                    kind_styles[kinds[col]] = styles.for_kind(kinds[col])
                style = kind_styles[kinds[col]]
            key = (type(value), value, style)
            if key not in shared:
                shared[key] = CellEdit(value, style)
            return shared[key]

        # A column's value met again is its edit again, its style not worked out again.
        known: dict[tuple[int, type, CellValue], CellEdit] = {}
        row, row_edits = -1, {}
        for r, col, value in changed_cells(sheet, header_row, columns, writes):
            seen = (col, type(value), value)
            edit = known.get(seen)
            if edit is None:
                edit = known[seen] = first_edit(col, value)
            if r != row:  # a row's cells come one after another
                row, row_edits = r, edits[r]
            row_edits[col] = edit
        missing = missing_headers(sheet, header_row, columns)
        if not edits and missing:
            return None  # a clean sheet stays untouched, without even an empty owned column
        for r, col, header in missing:
            edits[r][col] = CellEdit(header)
        if register_table is not None:
            _grow_table(package, sheet, register_table, header_row, columns, changes)
        tail = self._tail(sheet, header_row, columns, writes, styles, changes, tables)
        if not edits and tail is None:
            return None
        return _Patch(writes.sheet, edits, tail)

    def _tail(
        self,
        sheet: RawSheet,
        header_row: int,
        columns: Mapping[str, int],
        writes: SheetWrites,
        styles: Styles,
        changes: _Changes,
        tables: Sequence[Table],
    ) -> TailEdit | None:
        """The auto-filter and value fills the sheet lacks, as an edit of its tail. A register
        that is a table filters through the table, and Excel deletes a sheet-level filter
        that overlaps any table: then the sheet gets none."""
        fills: list[ValueFill] = []
        for owned in writes.owned:
            letter = column_letter(columns[owned.header])
            sqref = f"{letter}{header_row + 2}:{letter}{MAX_ROWS}"
            if owned.fills and sqref not in sheet.conditional_ranges:
                fills += [ValueFill(sqref, v, styles.fill_dxf(rgb)) for v, rgb in owned.fills]
        ref = None
        if writes.auto_filter and not sheet.auto_filter:
            header = [c for c, v in enumerate(sheet.rows[header_row]) if not is_blank(v)]
            first, last = min([*header, *columns.values()]), max([*header, *columns.values()])
            bottom = max(len(sheet.rows), header_row + 2)
            if not any(t.overlaps(header_row, first, bottom - 1, last) for t in tables):
                ref = f"{column_letter(first)}{header_row + 1}:{column_letter(last)}{bottom}"
                changes.filters.append((writes.sheet, ref))
        if not fills and ref is None:
            return None

        def edit(tail: bytes, tag: str) -> bytes:
            if ref is not None:
                tail = add_auto_filter(tail, tag, ref)
            return add_value_fills(tail, tag, fills) if fills else tail

        return edit

    # -- generated sheets --------------------------------------------------------------------

    def _check_generated(
        self,
        snapshot: Snapshot,
        name: str,
        header: tuple[str, ...],
        changes: _Changes,
    ) -> None:
        """Refuse to write over a staff sheet that has a generated sheet's name.

        The job's sheets carry its mark; in a workbook the job wrote before the mark existed
        (its other sheets there), a sheet is the job's when it has the job's header and
        nothing right of it.
        """
        marked = changes.marked
        sheet = snapshot.sheets.get(name)
        if marked:
            ours = name in marked
        else:
            ours = changes.synced_before and looks_generated(sheet, header)
        if not ours:
            raise BackendError(
                f"{self.path.name} has a sheet {name!r} that sheetcrm did not make; rename it, "
                "or set another name under sheets: in settings.yaml. Nothing was written."
            )
        if name not in marked:
            changes.marks.append(name)

    def _place(
        self,
        package: Package,
        snapshot: Snapshot,
        generated: GeneratedSheet,
        deflated: Deflated,
        changes: _Changes,
    ) -> None:
        """A generated sheet's part where it goes: a new sheet, or over the job's old one."""
        existing = _sheet_named(package, generated.name)
        same = False
        if existing is None:
            part = _free_part(package, changes)
            changes.parts[part] = deflated
            changes.added.append(part)
            changes.new_sheets.append((generated.name, part))
            changes.marks.append(generated.name)
        else:
            self._check_generated(snapshot, existing.name, generated.header, changes)
            part = existing.part
            same = _same_content(package, part, deflated)
            if not same:
                changes.parts[part] = deflated
        related = self._relate(package, part, generated, changes)
        if existing is not None and same and not related:
            return
        changes.sheets.append(generated.name)
        changes.cells += len(generated.rows)

    @staticmethod
    def _relate(package: Package, part: str, generated: GeneratedSheet, changes: _Changes) -> bool:
        """Write the generated sheet's relationships (its hyperlinks) when they change."""
        rels_part = rels_of(part)
        before = package.read(rels_part) if package.has(rels_part) else None
        after = sheet_rels_xml(generated.links, before)
        if after == before:
            return False
        if after is None:
            changes.parts[rels_part] = None
        else:
            changes.parts[rels_part] = Deflated.of(after)
            if before is None:
                changes.added.append(rels_part)
        return True

    def _append(
        self,
        package: Package,
        snapshot: Snapshot,
        appended: AppendedSheet,
        styles: Styles,
        changes: _Changes,
    ) -> None:
        """New rows below the last row of a log sheet; the rows there are not touched."""
        if not appended.rows:
            return
        existing = _sheet_named(package, appended.name)
        assert existing is not None  # a new one is made whole with the generated sheets
        sheet = snapshot.sheets.get(existing.name)
        self._check_generated(snapshot, existing.name, appended.header, changes)
        assert sheet is not None  # _check_generated refuses a sheet it cannot see
        bottom = last_filled_row(sheet)
        kinds = [styles.for_kind(k) if k else None for k in appended.kinds]
        edits = {
            bottom + 1 + i: {
                c: CellEdit(v, kinds[c] if c < len(kinds) and not is_blank(v) else None)
                for c, v in enumerate(row)
            }
            for i, row in enumerate(appended.rows)
        }
        result = patch_sheet(package.read(existing.part), edits, date1904=snapshot.date1904)
        sink = DeflateSink()
        for piece in result.pieces:
            sink.write(piece)
        changes.parts[existing.part] = sink.finish()
        changes.sheets.append(appended.name)
        changes.cells += sum(len(e) for e in edits.values())

    # -- workbook-level parts ----------------------------------------------------------------

    def _workbook_parts(
        self, package: Package, snapshot: Snapshot, styles: Styles, changes: _Changes
    ) -> None:
        workbook = package.read(package.workbook_part)
        rels = package.read(package.workbook_rels_part)
        content_types = package.read(CONTENT_TYPES)
        # Targets are relative to the workbook part, which is not always in xl/.
        base = posixpath.dirname(package.workbook_part)
        for name, part in changes.new_sheets:
            workbook, rels, content_types = add_sheet(
                workbook, rels, content_types, name=name, part=part, base=base
            )
        for name, ref in changes.filters:
            workbook = add_filter_name(workbook, name, ref)
        for name in changes.marks:
            workbook = add_generated_mark(workbook, name)
        if any(s.formulas for s in snapshot.sheets.values()):
            workbook = recalculate_on_open(workbook)
        calc_chain = package.related("calcChain") or package.beside_workbook("calcChain.xml")
        if changes.formulas_replaced and calc_chain and package.has(calc_chain):
            rels, content_types = drop_calc_chain(rels, content_types)
            changes.parts[calc_chain] = None  # Excel rebuilds the chain
        if styles.changed:
            styles_part = package.related("styles") or package.beside_workbook("styles.xml")
            changes.parts[styles_part] = Deflated.of(styles.xml)
            if styles.created:
                changes.added.append(styles_part)
                rels, content_types = add_styles(rels, content_types, styles_part, base)
        for part, data in (
            (package.workbook_part, workbook),
            (package.workbook_rels_part, rels),
            (CONTENT_TYPES, content_types),
        ):
            if data != package.read(part):
                changes.parts[part] = Deflated.of(data)


def _write_package(out: BinaryIO, package: Package, changes: _Changes) -> None:
    def entries() -> Iterator[Entry]:
        # One member at a time: an untouched 40 MB log's compressed bytes are read as the
        # zip is written, not all members first.
        for info in package.infos:
            name = info.filename
            if name in changes.parts:
                new = changes.parts[name]
                if new is not None:
                    yield Entry(name, info, new=new)
            else:
                yield Entry(name, info, raw=package.raw(info))
        for n in changes.added:
            if n not in package.names:
                yield Entry(n, None, new=changes.parts[n])

    write_zip(out, entries())


def _areas(package: Package, sheet_name: str) -> list[Table]:
    """The tables and pivot tables on a sheet: where no owned column may go."""
    part = package.sheet(sheet_name).part
    return [*tables_of(package, part), *pivot_tables_of(package, part)]


def _register_table(
    tables: Sequence[Table],
    sheet: RawSheet,
    header_row: int,
    columns: Mapping[str, int],
) -> Table | None:
    """The table the register is kept in (its header row is the register's), if any.

    Owned columns that would fall inside another table, or a register table that would have
    to grow over one to reach them, cannot be written safely: refused, nothing written.
    """
    register = next((t for t in tables if t.header and t.top == header_row), None)
    last_row = max(len(sheet.rows) - 1, header_row)
    spans = [(header, col, col) for header, col in columns.items()]
    if register is not None and columns:
        header = max(columns, key=lambda h: columns[h])
        spans.append((header, register.right + 1, columns[header]))
    for header, left, right in spans:
        for table in tables:
            if table is not register and table.overlaps(header_row, left, last_row, right):
                area = a1(table.top, table.left, table.bottom, table.right)
                raise BackendError(
                    f"sheet {sheet.name!r}: the column for {header!r} would fall inside the "
                    f"{table.kind} at {area}; leave free columns right of the register (move "
                    f"that {table.kind}), then run sync again"
                )
    return register


def _grow_table(
    package: Package,
    sheet: RawSheet,
    table: Table,
    header_row: int,
    columns: Mapping[str, int],
    changes: _Changes,
) -> None:
    """Grow the register's table over the owned columns and the rows staff added below it."""
    owned = {col: header for header, col in columns.items()}
    new: dict[int, str] = {}
    for col in range(table.right + 1, max([table.right, *columns.values()]) + 1):
        header = owned.get(col) or as_text(sheet.value(header_row, col)).strip()
        if not header:
            log.warning("%s: a column without a header right of the table; not grown", sheet.name)
            return
        new[col] = header
    bottom = table.bottom
    if not table.totals:  # rows typed below the table belong to it; a totals row stays last
        right = max([table.right, *new])
        filled = [
            r
            for r in range(table.bottom + 1, len(sheet.rows))
            if any(not is_blank(sheet.value(r, c)) for c in range(table.left, right + 1))
        ]
        bottom = max([table.bottom, *filled])
    if new or bottom != table.bottom:
        changes.parts[table.part] = Deflated.of(grown(package.read(table.part), table, bottom, new))


def _makers(
    generated: Sequence[GeneratedSheet], styles: Sequence[SheetStyles], date1904: bool
) -> list[Make]:
    """Each generated sheet's part, with its styles."""
    return [sheet_maker(g, s, date1904) for g, s in zip(generated, styles, strict=True)]


def _patch_job(package: Package, patch: _Patch, date1904: bool) -> Make:
    return partial(_patched, package, package.sheet(patch.sheet).part, patch, date1904)


def _patched(
    package: Package, part: str, patch: _Patch, date1904: bool, file: IO[bytes]
) -> tuple[Deflated, int]:
    """A staff sheet's part patched into `file` (made in this process, never in a copy:
    the package's zip handle is this process's)."""
    sink = DeflateSink(stored=file)
    with package.open_member(part) as stream:
        replaced = patch_sheet_stream(stream, patch.edits, sink, date1904=date1904, tail=patch.tail)
    if replaced is not None:
        return sink.finish(), replaced
    # A sheet the streaming patcher does not handle: patched whole, from the start.
    sink.discard()
    file.seek(0)
    file.truncate()
    result = patch_sheet(package.read(part), patch.edits, date1904=date1904, tail=patch.tail)
    return Deflated.of_pieces(result.pieces, file), result.formulas_replaced


def _sheet_named(package: Package, name: str) -> SheetEntry | None:
    """The workbook's sheet of that name, as Excel compares names (case aside)."""
    return next((e for e in package.sheets if e.name.casefold() == name.casefold()), None)


def _whole(appended: AppendedSheet) -> GeneratedSheet:
    """An appended sheet made whole, header and rows, where it does not exist yet."""
    return GeneratedSheet(
        appended.name, appended.header, appended.rows, appended.kinds, appended.widths
    )


def _free_part(package: Package, changes: _Changes) -> str:
    taken = set(package.names) | set(changes.parts)
    n = 1
    while (part := package.beside_workbook("worksheets", f"sheet{n}.xml")) in taken:
        n += 1
    return part


def _same_content(package: Package, part: str, new: Deflated) -> bool:
    """The part already holds exactly this content: same length and CRC-32, then the bytes
    (read only when those agree, which on a rerun is nearly always)."""
    info = package.zip.getinfo(part)
    if info.file_size != new.size or new.crc != info.CRC:
        return False
    return inflate(new.data) == package.read(part)
