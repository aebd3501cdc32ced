"""Where things are in a sheet: the header row, which column holds which field.

Pure: works on a RawSheet and the schema; knows nothing of files or settings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.rules.owned import OWNED_SUFFIX, Clash, choose_owned
from sheetcrm.schema import (
    FIELDS,
    NET_AMOUNT_HEADERS,
    PLACE_HEADERS,
    PLAN_COLUMNS,
    PROBLEMS_COLUMN,
    SCORE_COLUMN,
    SHEET_NAMES,
    STATE_OR_STATUS,
    TIER_COLUMN,
    VALUE_COLUMNS,
    VIP_COLUMN,
    Aliases,
    SheetKind,
    normalize_header,
)
from sheetcrm.vocabulary import LANGUAGES

HEADER_SEARCH_ROWS = 30

# Owned columns by canonical name.
OWNED_COLUMNS: Mapping[str, Aliases] = {
    "problems": PROBLEMS_COLUMN,
    "tier": TIER_COLUMN,
    "score": SCORE_COLUMN,
    "vip": VIP_COLUMN,
    **VALUE_COLUMNS,
    **PLAN_COLUMNS,
}


@dataclass(frozen=True)
class SheetLayout:
    sheet: str
    kind: SheetKind
    header_row: int  # 0-based
    columns: Mapping[str, int]  # field name → 0-based column
    headers: Mapping[int, str]  # column → header text as typed (every non-blank header cell)
    owned: Mapping[str, int]  # owned column name → column, for owned columns present
    duplicates: tuple[tuple[int, int, str], ...] = ()  # (column, first column, field)
    # (column not read, column read instead, field): an amount with tax beside the amount
    # before tax, which is the one read wherever it stands.
    set_aside: tuple[tuple[int, int, str], ...] = ()
    # Columns whose header names a field but which hold something else here (Estado beside
    # an address: its state): not read, and not reported as unread either.
    not_fields: frozenset[int] = frozenset()
    # Staff columns named like one of the job's (a "Plan" of their own): left alone; the job
    # writes its own under the name with OWNED_SUFFIX.
    clashes: tuple[Clash, ...] = ()
    language_votes: Mapping[str, int] = field(default_factory=dict)

    def header_of(self, field_name: str) -> str:
        return self.headers[self.columns[field_name]]


@cache
def alias_table(kind: SheetKind) -> dict[str, tuple[str, frozenset[str]]]:
    """normalized header → (field name, languages using it); built once per kind."""
    table: dict[str, tuple[str, set[str]]] = {}
    for f in FIELDS[kind]:
        for language, words in f.aliases.items():
            for word in words:
                key = normalize_header(word)
                known = table.setdefault(key, (f.name, set()))
                if known[0] != f.name:
                    raise ValueError(f"{kind}: header {word!r} names both {known[0]} and {f.name}")
                known[1].add(language)
    return {k: (name, frozenset(langs)) for k, (name, langs) in table.items()}


@cache
def _owned_table() -> dict[str, tuple[str, bool]]:
    """normalized header → (owned name, has the suffix the job gives it on a clash)."""
    return {
        normalize_header(word + suffix): (name, bool(suffix))
        for name, aliases in OWNED_COLUMNS.items()
        for words in aliases.values()
        for word in words
        for suffix in ("", OWNED_SUFFIX)
    }


def find_layout(
    sheet: RawSheet, kind: SheetKind, extra: Mapping[str, Sequence[str]] | None = None
) -> SheetLayout | None:
    """The header row (the one among the first rows naming the most known fields) and columns.

    `extra` adds headers per field from settings. None when no row names any field.
    """
    table = dict(alias_table(kind))
    for name, words in (extra or {}).items():
        for word in words:
            table[normalize_header(word)] = (name, frozenset())
    owned_table = _owned_table()

    best_row, best_hits = -1, 0
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for v in row if isinstance(v, str) and normalize_header(v) in table)
        if hits > best_hits:
            best_row, best_hits = r, hits
    if best_row < 0:
        return None

    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    named: list[tuple[int, str, bool]] = []
    duplicates: list[tuple[int, int, str]] = []
    set_aside: list[tuple[int, int, str]] = []
    not_fields: set[int] = set()
    votes: Counter[str] = Counter()
    row = sheet.rows[best_row]
    for c, value in enumerate(row):
        text = as_text(value).strip()
        if not text:
            continue
        headers[c] = text
        key = normalize_header(text)
        if key == STATE_OR_STATUS and _beside_an_address(row, c):
            not_fields.add(c)  # the address's state, staff's column
            continue
        if key in owned_table:
            named.append((c, *owned_table[key]))
            continue
        if key not in table:
            continue  # a column staff added: kept, never touched
        name, languages = table[key]
        votes.update(languages)
        if name not in columns:
            columns[name] = c
        elif name == "amount" and _net(headers[c]) and not _net(headers[columns[name]]):
            set_aside.append((columns[name], c, name))
            columns[name] = c
        elif name == "amount" and _net(headers[columns[name]]) and not _net(headers[c]):
            set_aside.append((c, columns[name], name))
        else:
            duplicates.append((c, columns[name], name))
    owned, clashes = choose_owned(sheet, best_row, named)
    if kind is SheetKind.VISITS and "date" not in columns and "callback" in columns:
        duplicates = _callback_log(columns, duplicates, headers)
    return SheetLayout(
        sheet=sheet.name,
        kind=kind,
        header_row=best_row,
        columns=columns,
        headers=headers,
        owned=owned,
        duplicates=tuple(duplicates),
        set_aside=tuple(set_aside),
        not_fields=frozenset(not_fields),
        clashes=tuple(clashes),
        language_votes=dict(votes),
    )


_NEXT = ("下次", "下一次", "next", "próxim", "proxim", "siguiente")


def _callback_log(
    columns: dict[str, int], duplicates: list[tuple[int, int, str]], headers: Mapping[int, str]
) -> list[tuple[int, int, str]]:
    """A log of callbacks (回访记录) dates each entry by its 回访日期: with no other date
    column, that is the date the callback happened, and a 下次回访日期 beside it is the next.
    Returns the duplicates left once the date is taken."""
    candidates = [columns["callback"], *(c for c, _, name in duplicates if name == "callback")]
    done = [c for c in candidates if not any(m in headers[c].casefold() for m in _NEXT)]
    if not done:
        return duplicates
    columns["date"] = done[0]
    rest = [c for c in candidates if c != done[0]]
    if rest:
        columns["callback"] = rest[0]
    else:
        del columns["callback"]
    others = [d for d in duplicates if d[2] != "callback"]
    return others + [(c, rest[0], "callback") for c in rest[1:]]


def _beside_an_address(row: Sequence[CellValue], col: int) -> bool:
    """A column within two of `col` is headed as a part of an address."""
    near = [*row[max(col - 2, 0) : col], *row[col + 1 : col + 3]]
    return any(normalize_header(as_text(v)) in PLACE_HEADERS for v in near if not is_blank(v))


def _net(header: str) -> bool:
    return normalize_header(header) in NET_AMOUNT_HEADERS


def guess_language(layouts: Sequence[SheetLayout]) -> str:
    """The language most headers are written in (English when nothing tells)."""
    votes: Counter[str] = Counter()
    for layout in layouts:
        votes.update(layout.language_votes)
    if not votes:
        return "en"
    top = max(votes.values())
    # Ties (姓名 is both zh-Hans and zh-Hant) go to the language listed first.
    return next(lang for lang in LANGUAGES if votes.get(lang) == top)


def find_sheet_name(names: Sequence[str], kind: SheetKind, configured: str | None) -> str | None:
    """The sheet for `kind`: the configured name, else a built-in name in any language."""
    if configured is not None:
        return configured if configured in names else None
    wanted = {normalize_header(w) for words in SHEET_NAMES[kind].values() for w in words}
    for name in names:
        if normalize_header(name) in wanted:
            return name
    return None
