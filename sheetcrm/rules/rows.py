"""Reading a sheet's data rows into typed field values, one problem per bad cell.

Pure: a RawSheet and its layout in, values and Problem records out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, a1, as_text, is_blank, parse_range
from sheetcrm.problems import Problem, Severity
from sheetcrm.rules.layout import SheetLayout
from sheetcrm.rules.owned import OWNED_SUFFIX
from sheetcrm.rules.parsers import (
    Invalid,
    parse_amount,
    parse_date,
    parse_email,
    parse_enum,
    parse_id,
    parse_integer,
    parse_language,
    parse_percent,
    parse_phone,
)
from sheetcrm.rules.parsers.lunar_dates import parse_birthday
from sheetcrm.rules.parsers.result import invalid
from sheetcrm.rules.parsers.words import fold
from sheetcrm.schema import FIELDS, FieldType
from sheetcrm.vocabulary import (
    GENDER_LETTERS,
    VOCABULARIES,
    Gender,
    Satisfaction,
    YesNo,
    with_shop_words,
)

Parser = Callable[[CellValue], Any]
_CELLS_NAMED = 5  # an unknown word's problem names its first few cells
# Names that go into messages' subjects and lines: longer than this, a cell is a problem.
NAME_MAX_CHARS = 200
_NAME_FIELDS = frozenset(
    {
        "name",
        "given_name",
        "family_name",
        "salutation",
        "owner",
        "staff",
        "organisation",
        "customer_name",
    }
)
# The settings.yaml `vocabulary:` key of each kind of word column.
_VOCABULARY_KEYS = {
    FieldType.STATUS: "status",
    FieldType.CONTACT_TYPE: "contact",
    FieldType.GENDER: "gender",
    FieldType.YES_NO: "yes_no",
    FieldType.CALENDAR: "calendar",
    FieldType.TIER: "tier",
    FieldType.SATISFACTION: "satisfaction",
}


@dataclass(frozen=True)
class ParseOptions:
    """How cells are read; comes from settings and the workbook, resolved once by sync."""

    phone_region: str = "CN"
    day_first: bool | None = None
    decimal_comma: bool | None = None
    date1904: bool = False
    today: dt.date = dt.date(2000, 1, 1)
    # A shop's own words per vocabulary (settings.yaml `vocabulary:`): key → member → words.
    vocabulary: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    # The workbook's language, for the words that differ by it (M: mujer or male); None
    # when nothing in the workbook tells.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: the fields that parsed, and which fields were present but bad."""

    index: int  # 0-based sheet row
    values: Mapping[str, Any]
    bad: frozenset[str]

    def get(self, name: str) -> Any:
        return self.values.get(name)


def _text(value: CellValue) -> str:
    return value.strip() if isinstance(value, str) else as_text(value)


# Free text and ids are rarely repeated: caching them would cost memory for nothing.
_UNCACHED = frozenset({FieldType.TEXT, FieldType.ID})
_SHARED_KINDS = frozenset({float, int, dt.datetime, dt.date})
_MISSING = object()
_NOTHING_BAD: set[str] = set()  # shared and never mutated: a bad field makes a new set
_NO_FIELDS: frozenset[str] = frozenset()
_BLANK = object()


def _covers(sqref: str, col: int, header_row: int) -> bool:
    """A data-validation range (`C2:C200 E2`) reaches column `col` below the header."""
    for part in sqref.split():
        try:
            (_, c0), (r1, c1) = parse_range(part)
        except ValueError:
            continue
        if c0 <= col <= c1 and r1 > header_row:
            return True
    return False


def parsers_for(options: ParseOptions) -> Mapping[FieldType, Parser]:
    # Each list of words: the built-in ones (vocabulary.VOCABULARIES) and the shop's own.
    words = {
        kind: with_shop_words(VOCABULARIES[key][1], options.vocabulary.get(key, {}))
        for kind, key in _VOCABULARY_KEYS.items()
    }
    letters = GENDER_LETTERS.get(options.language, GENDER_LETTERS[None])

    def _gender(value: CellValue) -> Gender | Invalid:
        key = fold(str(value))
        if key in letters:
            return letters[key]
        if key == "m":
            return invalid("gender.ambiguous")
        parsed: Gender | Invalid = parse_enum(value, words[FieldType.GENDER])
        return parsed

    def _yes_no(value: CellValue) -> bool | Invalid:
        parsed = parse_enum(value, words[FieldType.YES_NO])
        return parsed if isinstance(parsed, Invalid) else parsed is YesNo.YES

    def _satisfaction(value: CellValue) -> int | Invalid:
        if isinstance(value, int | float) or as_text(value).strip().isdigit():
            score: int | Invalid = parse_integer(value)
            return score
        parsed = parse_enum(value, words[FieldType.SATISFACTION])
        return parsed if isinstance(parsed, Invalid) else Satisfaction(parsed).score

    return {
        FieldType.ID: parse_id,
        FieldType.CUSTOMER_REF: parse_id,
        FieldType.TEXT: _text,
        FieldType.STAFF_REF: _text,
        FieldType.PHONE: partial(parse_phone, region=options.phone_region),
        FieldType.EMAIL: parse_email,
        FieldType.DATE: partial(parse_date, day_first=options.day_first, date1904=options.date1904),
        FieldType.BIRTHDAY: partial(
            parse_birthday, day_first=options.day_first, date1904=options.date1904
        ),
        FieldType.AMOUNT: partial(parse_amount, decimal_comma=options.decimal_comma),
        FieldType.PERCENT: partial(parse_percent, decimal_comma=options.decimal_comma),
        FieldType.INTEGER: parse_integer,
        **{kind: partial(parse_enum, words=list_) for kind, list_ in words.items()},
        FieldType.GENDER: _gender,
        FieldType.YES_NO: _yes_no,
        FieldType.SATISFACTION: _satisfaction,
        FieldType.LANGUAGE: parse_language,
    }


class RowReader:
    """Turns the data rows of one sheet into Rows, collecting a Problem for each bad cell."""

    def __init__(self, sheet: RawSheet, layout: SheetLayout, options: ParseOptions) -> None:
        self.sheet = sheet
        self.layout = layout
        self.problems: list[Problem] = []
        parsers = parsers_for(options)
        types = {f.name: f.type for f in FIELDS[layout.kind]}
        self._fields: list[tuple[str, int, Parser, dict[Any, Any] | None]] = [
            (name, col, parsers[types[name]], None if types[name] in _UNCACHED else {})
            for name, col in layout.columns.items()
        ]
        self._owned = set(layout.owned.values())
        self._first_field = min(layout.columns.values(), default=0)
        self._types = types
        self._words: dict[tuple[int, str], tuple[Invalid, list[int]]] = {}

    def problem(
        self,
        row: int,
        col: int,
        code: str,
        severity: Severity = Severity.ERROR,
        *,
        params: tuple[tuple[str, str], ...] = (),
        **named: str,
    ) -> None:
        self.problems.append(
            Problem(
                sheet=self.sheet.name,
                cell=a1(row, col),
                value=as_text(self.sheet.value(row, col)),
                code=code,
                params=params + tuple(named.items()),
                severity=severity,
                header=self.layout.headers.get(col, ""),
                row=row,
            )
        )

    def _unknown_word(self, row: int, col: int, raw: CellValue, parsed: Invalid) -> None:
        """Collect the cells of one unknown word in one column: one problem for all of them."""
        key = (col, fold(as_text(raw)))
        seen = self._words.get(key)
        if seen is None:
            self._words[key] = (parsed, [row])
        else:
            seen[1].append(row)

    def word_problems(self) -> list[Problem]:
        """One problem per unknown word and column: a word staff's own dropdown offers is
        reported once on the header cell; a word typed in cells on its first cell, naming how
        many cells hold it and the first few. Either names the accepted words and the
        settings line that maps it, and each row that holds it points at it."""
        found: dict[tuple[int, str], Problem] = self._dropdown_problems()
        for key, (parsed, rows) in self._words.items():
            col = key[0]
            if key in found:
                listed = found[key]
                found[key] = replace(listed, also=(*listed.also, *rows))
                continue
            word = as_text(self.sheet.value(rows[0], col)).strip()
            cells = ", ".join(a1(r, col) for r in rows[:_CELLS_NAMED])
            found[key] = Problem(
                sheet=self.sheet.name,
                cell=a1(rows[0], col),
                value=word,
                code="enum.unknown_word",
                params=(
                    *parsed.params,
                    ("word", word),
                    ("count", str(len(rows))),
                    ("cells", cells + (", …" if len(rows) > _CELLS_NAMED else "")),
                    ("fix", self._fix(col, word, parsed)),
                ),
                header=self.layout.headers.get(col, ""),
                row=rows[0],
                also=tuple(rows[1:]),
            )
        return list(found.values())

    def _dropdown_problems(self) -> dict[tuple[int, str], Problem]:
        """The words of staff's dropdowns over a word column, each checked once."""
        found: dict[tuple[int, str], Problem] = {}
        for name, col, parse, _ in self._fields:
            if self._types[name] not in _VOCABULARY_KEYS:
                continue
            for sqref, words in self.sheet.dropdowns:
                if not _covers(sqref, col, self.layout.header_row):
                    continue
                for word in words:
                    parsed = parse(word)
                    key = (col, fold(word))
                    unknown = isinstance(parsed, Invalid) and parsed.code == "enum.unknown"
                    if not unknown or key in found:
                        continue
                    found[key] = Problem(
                        sheet=self.sheet.name,
                        cell=a1(self.layout.header_row, col),
                        value=word,
                        code="enum.dropdown_unknown",
                        params=(
                            *parsed.params,
                            ("word", word),
                            ("fix", self._fix(col, word, parsed)),
                        ),
                        header=self.layout.headers.get(col, ""),
                        row=self.layout.header_row,
                    )
        return found

    def _fix(self, col: int, word: str, parsed: Invalid) -> str:
        """The settings.yaml line that maps `word` to a member of its list."""
        field_name = next((n for n, c in self.layout.columns.items() if c == col), "")
        key = _VOCABULARY_KEYS.get(self._types.get(field_name, FieldType.TEXT), "")
        members = dict(parsed.params).get("members", "")
        return f"vocabulary: {{{key}: {{<{members}>: [{word}]}}}}"

    def rows(self) -> Iterator[Row]:
        """Every record below the header (blank rows and a table's totals row are skipped
        silently)."""
        sheet, errors, formulas = self.sheet, self.sheet.errors, self.sheet.formulas
        fields, totals, short = self._fields, sheet.totals_rows, _NAME_FIELDS
        for r in range(self.layout.header_row + 1, len(sheet.rows)):
            cells = sheet.rows[r]
            if self._blank(r, cells) or (totals and r in totals):
                continue
            width = len(cells)
            values: dict[str, Any] = {}
            bad: set[str] = _NOTHING_BAD
            # The hot loop of a sync (two million cells for 10,000 customers): cheap tests
            # first, and a cache per column for the words and numbers staff repeat.
            for name, col, parse, cache in fields:
                raw = cells[col] if col < width else ""
                if errors and (r, col) in errors:
                    self.problem(r, col, "cell.error_value", error=errors[(r, col)])
                    bad = {*bad, name}
                    continue
                if cache is not None and type(raw) is str:
                    parsed = cache.get(raw, _MISSING)
                    if parsed is _MISSING:
                        parsed = cache[raw] = _BLANK if not raw.strip() else parse(raw)
                elif raw == "" or raw is None:
                    parsed = _BLANK
                elif cache is not None and (kind := type(raw)) in _SHARED_KINDS:
                    # Numbers and dates repeat too (prices, days): one parsed object each
                    # saves about 20 MB of Decimals and dates on 200,000 log rows. Keyed with
                    # the type: 1 and 1.0 are equal but may not read the same.
                    key = (kind, raw)
                    parsed = cache.get(key, _MISSING)
                    if parsed is _MISSING:
                        parsed = cache[key] = parse(raw)
                else:
                    parsed = parse(raw)
                if parsed is _BLANK:
                    if formulas and (r, col) in formulas:
                        self.problem(r, col, "cell.formula_no_result")
                        bad = {*bad, name}
                elif isinstance(parsed, Invalid):
                    if parsed.code == "enum.unknown":
                        self._unknown_word(r, col, raw, parsed)
                    else:
                        self.problem(r, col, parsed.code, params=parsed.params)
                    bad = {*bad, name}
                elif name in short and type(parsed) is str and len(parsed) > NAME_MAX_CHARS:
                    # A name pasted with a whole document behind it: a warning on the cell,
                    # its start kept, so that no message outgrows its cap over one cell.
                    length = f"{len(parsed):,}"
                    self.problem(r, col, "text.too_long", Severity.WARNING, length=length)
                    values[name] = parsed[: NAME_MAX_CHARS - 1] + "…"
                else:
                    values[name] = parsed
            yield Row(r, values, frozenset(bad) if bad else _NO_FIELDS)

    def _blank(self, r: int, cells: Sequence[CellValue]) -> bool:
        """A row with nothing staff typed (the job's own columns do not count)."""
        first = self._first_field
        if first < len(cells) and cells[first] != "" and not is_blank(cells[first]):
            return False  # nearly every row: its first field is filled
        owned = self._owned
        for c, v in enumerate(cells):
            # calamine gives "" for empty cells: test that first, it is nearly always it.
            if v == "" or v is None or c in owned:
                continue
            if not is_blank(v):
                return False
        errors = self.sheet.errors
        return not (errors and any((r, c) in errors for c in range(len(cells))))

    def require(self, row: Row, *names: str) -> bool:
        """True when every named field has a good value; a problem for each blank one."""
        ok = True
        for name in names:
            if name in row.values:
                continue
            ok = False
            if name not in row.bad and name in self.layout.columns:
                self.problem(row.index, self.layout.columns[name], "required.missing")
        return ok

    def merged_ranges(self) -> None:
        """A merged range inside the data hides values: say so once per range."""
        for (r0, c0), (r1, c1) in self.sheet.merged:
            # A range below the last row with a value hides nothing (a blank notes box).
            if r1 > self.layout.header_row and r0 < len(self.sheet.rows):
                self.problem(
                    max(r0, self.layout.header_row + 1),
                    c0,
                    "cell.merged",
                    Severity.WARNING,
                    range=f"{a1(r0, c0)}:{a1(r1, c1)}",
                )

    def duplicate_columns(self) -> None:
        for clash in self.layout.clashes:
            header = self.layout.headers[clash.col]
            self.problem(
                self.layout.header_row,
                clash.col,
                "column.owned_clash",
                Severity.WARNING,
                example=a1(clash.example_row, clash.col),
                value=as_text(self.sheet.value(clash.example_row, clash.col)),
                job=header + OWNED_SUFFIX,
            )
        for col, first, name in self.layout.duplicates:
            self.problem(
                self.layout.header_row,
                col,
                "column.duplicate",
                Severity.WARNING,
                other=self.layout.headers.get(first, ""),
                field=name,
            )
