"""Nothing skipped in silence: a sheet that looks like a register, log, orders or staff list
but is not read, and a column whose header looks like a known field's but is not mapped, are
each a warning that names them and the settings line that maps them.

A check that says "Problems: none" about a workbook it half read is worse than no check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sheetcrm.backend import RawSheet
from sheetcrm.cells import a1, as_text
from sheetcrm.problems import Problem, Severity
from sheetcrm.rules.layout import HEADER_SEARCH_ROWS, SheetLayout, alias_table
from sheetcrm.schema import SheetKind, normalize_header

_MIN_MATCHES = 2  # header cells naming fields of one kind: a sheet that looks like it
_MIN_ALIAS = 2  # characters: 名 or 姓 inside a longer header says nothing


def unread_sheets(
    sheets: Mapping[str, RawSheet], read: Iterable[str], generated: Iterable[str]
) -> list[Problem]:
    """Sheets neither read nor the job's own whose headers name fields of a kind."""
    skip = {*read, *generated}
    found = []
    for name, sheet in sheets.items():
        if name in skip:
            continue
        guess = _looks_like(sheet)
        if guess is None:
            continue
        kind, row = guess
        found.append(
            Problem(
                sheet=name,
                cell=a1(row, 0),
                value=name,
                code="sheet.unread",
                params=(("kind", kind.value), ("fix", f"sheets: {{{kind.value}: {name}}}")),
                severity=Severity.WARNING,
            )
        )
    return found


def _looks_like(sheet: RawSheet) -> tuple[SheetKind, int] | None:
    best: tuple[int, SheetKind, int] | None = None
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        texts = {normalize_header(as_text(v)) for v in row if isinstance(v, str) and v.strip()}
        for kind in SheetKind:
            table = alias_table(kind)
            matches = len({table[t][0] for t in texts if t in table})
            if matches >= _MIN_MATCHES and (best is None or matches > best[0]):
                best = (matches, kind, r)
    return (best[1], best[2]) if best else None


def unread_columns(sheet: RawSheet, layout: SheetLayout) -> list[Problem]:
    """Header cells not mapped to a field whose text holds a field's name (客户电话号码
    holds 电话): likely that field, typed in a way the built-in names do not cover."""
    table = alias_table(layout.kind)
    mapped = set(layout.columns)
    taken = {*layout.columns.values(), *layout.owned.values(), *layout.not_fields}
    found = []
    for col, header in layout.headers.items():
        if col in taken:
            continue
        text = normalize_header(header)
        field = next(
            (
                f
                for alias, (f, _) in table.items()
                if f not in mapped and len(alias) >= _MIN_ALIAS and alias in text
            ),
            None,
        )
        if field is None:
            continue
        found.append(
            Problem(
                sheet=sheet.name,
                cell=a1(layout.header_row, col),
                value=header,
                code="column.unread",
                params=(
                    ("field", field),
                    ("fix", f"headers: {{{layout.kind.value}: {{{field}: [{header}]}}}}"),
                ),
                severity=Severity.WARNING,
                header=header,
                row=layout.header_row,
            )
        )
    return found
