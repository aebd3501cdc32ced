"""Reading a sheet's data rows into typed field values, one problem per bad cell.

Pure: a RawSheet and its layout in, values and Problem records out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, a1, as_text, is_blank, parse_range
from sheetcrm.problems import Problem, Severity
from sheetcrm.rules.layout import SheetLayout
from sheetcrm.rules.owned import OWNED_SUFFIX
from sheetcrm.rules.parsers import (
    Invalid,
    amount_or_float,
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
from sheetcrm.rules.parsers.amounts import finite_floats
from sheetcrm.rules.parsers.ids import plain_ids
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
    # False: an amount typed as a number stays a float (sheets checked for problems only,
    # with no record made: whether a cell is an amount and its sign are all that is asked).
    exact_amounts: bool = True


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


# Free text and ids: a cell of spaces goes to the parser (which says what it makes of it).
_FREE_TEXT = frozenset({FieldType.TEXT, FieldType.ID})
_NUMBER_KINDS = frozenset({float, int, bool})
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
        FieldType.AMOUNT: partial(
            parse_amount if options.exact_amounts else amount_or_float,
            decimal_comma=options.decimal_comma,
        ),
        FieldType.PERCENT: partial(parse_percent, decimal_comma=options.decimal_comma),
        FieldType.INTEGER: parse_integer,
        **{kind: partial(parse_enum, words=list_) for kind, list_ in words.items()},
        FieldType.GENDER: _gender,
        FieldType.YES_NO: _yes_no,
        FieldType.SATISFACTION: _satisfaction,
        FieldType.LANGUAGE: parse_language,
    }


def _column(rows: list[Sequence[CellValue]], col: int, shortest: int) -> list[CellValue]:
    if col < shortest:
        return list(map(itemgetter(col), rows))
    return [cells[col] if col < len(cells) else "" for cells in rows]


@dataclass(frozen=True, slots=True)
class _Column:
    """A field's parsed cells, top to bottom, and which of them are blank."""

    name: str
    values: list[Any]
    special: list[int]  # positions of the cells to report (bad, or a name too long)
    distinct: int  # how many cells were parsed: each distinct one, or every cell
    blanks: int  # how many of those were blank: none, some, or all of them
    parsed: list[Any]  # what those parsed to


def _parse_column(name: str, raws: list[CellValue], parse: Parser, words: bool) -> _Column:
    """A column's parsed values and the positions of the cells to report (bad, or a name
    too long). Where values repeat (days, staff, words, a customer's id down a log) each
    distinct cell is parsed once; a column of distinct values is parsed cell by cell.

    `words`: a cell of spaces is blank (a word, a date, a number); otherwise (free text, an
    id) it goes to the parser.
    """
    if _mostly_distinct(raws):
        return _parse_each(name, raws, parse, words)
    return _parse_distinct(name, raws, parse, words)


def _parse_distinct(name: str, raws: list[CellValue], parse: Parser, words: bool) -> _Column:
    """_parse_column for a column whose values repeat: each distinct cell parsed once.
    Cells are keyed by their type as well when the column mixes kinds of numbers: 1, 1.0
    and True are equal but do not read the same."""
    keys: list[Any]
    if len(_NUMBER_KINDS.intersection(map(type, raws))) > 1:
        keys = [v if type(v) is str else (type(v), v) for v in raws]
        distinct: dict[Any, Any] = {k: (k if type(k) is str else k[1]) for k in keys}
    else:
        keys = raws
        distinct = dict(zip(raws, raws, strict=True))
    # Each key's last cell is parsed (0.0 and -0.0 are one key, and read apart); the dict
    # then holds what each key reads as.
    unique, parsed = list(distinct), _parsed(list(distinct.values()), parse, words)
    distinct.update(zip(unique, parsed, strict=True))
    values = list(map(distinct.__getitem__, keys))
    reported = {unique[i] for i in _reported(parsed, name in _NAME_FIELDS)}
    at = [i for i, k in enumerate(keys) if k in reported] if reported else []
    return _Column(name, values, at, len(unique), parsed.count(_BLANK), parsed)


_SAMPLE = 2_000


def _mostly_distinct(raws: list[CellValue]) -> bool:
    """A column of ids, amounts or names, nearly every cell its own (judged on its first
    cells): parsing each cell costs less than finding the repeats of a million values."""
    sample = raws[:_SAMPLE]
    return len(sample) == _SAMPLE and len(set(sample)) > 0.9 * _SAMPLE


def _parse_each(name: str, raws: list[CellValue], parse: Parser, words: bool) -> _Column:
    """_parse_column for a column of distinct values: each cell read on its own."""
    values = _parsed(raws, parse, words)
    special = _reported(values, name in _NAME_FIELDS)
    return _Column(name, values, special, len(values), values.count(_BLANK), values)


def _parsed(raws: list[CellValue], parse: Parser, words: bool) -> list[Any]:
    """Each cell parsed (_BLANK where blank; with `words`, a cell of spaces too), but a
    block of cells that each parse to themselves (see _AS_IS) taken as it is."""
    as_is = _AS_IS.get(getattr(parse, "func", parse))
    if as_is is None:
        return _each_parsed(raws, parse, words)
    values: list[Any] = []
    for at in range(0, len(raws), _BLOCK):
        block = raws[at : at + _BLOCK]
        values += block if as_is(block) else _each_parsed(block, parse, words)
    return values


# Parsers that give some values back as they are, and the test (made in C) that a block of
# cells holds only such values: a text of ASCII letters and digits is its own id, a number
# cell its own amount where no Decimal is wanted. One odd cell (a blank id, a totals row's
# word) sends only its block of _BLOCK cells to the parser, not the whole column: the demo's
# 100,000 orders (one row of them a totals row) made 200,000 calls for their ids and
# profits.
_AS_IS: dict[Callable[..., Any], Callable[[Sequence[CellValue]], bool]] = {
    parse_id: plain_ids,
    amount_or_float: finite_floats,
}
_BLOCK = 1024


def _each_parsed(raws: list[CellValue], parse: Parser, words: bool) -> list[Any]:
    # The blank test written out: a call per cell of an order list's ids and amounts
    # (200,000 cells) cost about 0.01 s.
    blank = _BLANK
    return [
        blank
        if raw is None or raw == "" or (words and type(raw) is str and not raw.strip())
        else parse(raw)
        for raw in raws
    ]


def _reported(values: list[Any], named: bool) -> list[int]:
    """Positions of the values to report: bad, or a name too long."""
    if named:
        return [i for i, v in enumerate(values) if _to_report(v, True)]
    if Invalid not in set(map(type, values)):  # told in C: nearly every column has none
        return []
    return [i for i, v in enumerate(values) if type(v) is Invalid]


def _to_report(parsed: Any, named: bool) -> bool:
    """A bad cell, or a name too long (see RowReader._row_cell_by_cell)."""
    return isinstance(parsed, Invalid) or (
        named and type(parsed) is str and len(parsed) > NAME_MAX_CHARS
    )


class Table:
    """A sheet's data rows parsed column by column, for checks run on whole columns.

    `rows`: the sheet row of each position; `flagged`: the positions of the rows with a
    cell to report (bad, an error value, a formula with no result, a name too long).
    """

    def __init__(self, rows: list[int], parsed: list[_Column], flagged: frozenset[int]) -> None:
        self.rows = rows
        self.parsed = parsed
        self.flagged = flagged
        self._by_name = {c.name: c for c in parsed}

    def __len__(self) -> int:
        return len(self.rows)

    def stream(self, name: str) -> Iterable[Any]:
        """The field's value at each position, None where the cell is blank, one value at a
        time: nothing the size of the column is made. At the positions with a cell to report
        it may give the bad value (an Invalid): the caller takes those rows again row by
        row."""
        column = self._by_name.get(name)
        if column is None or column.blanks == column.distinct:
            return repeat(None, len(self.rows))
        if not column.blanks:
            return column.values
        blank = _BLANK
        return (None if v is blank else v for v in column.values)

    def blank(self, name: str) -> list[int]:
        """Positions where the field is blank or has a cell to report; every position when
        the sheet has no such column."""
        column = self._by_name.get(name)
        if column is None:
            return list(range(len(self.rows)))
        blank = _BLANK
        found = [i for i, v in enumerate(column.values) if v is blank] if column.blanks else []
        return found + column.special

    def where(self, name: str, test: Callable[[Any], bool]) -> list[int]:
        """Positions of the good values of a field for which `test` holds; a value that
        repeats down the column is tested once."""
        column = self._by_name.get(name)
        if column is None:
            return []
        hits = {
            v for v in column.parsed if v is not _BLANK and not isinstance(v, Invalid) and test(v)
        }
        return [i for i, v in enumerate(column.values) if v in hits] if hits else []


class RowReader:
    """Turns the data rows of one sheet into Rows, collecting a Problem for each bad cell."""

    def __init__(self, sheet: RawSheet, layout: SheetLayout, options: ParseOptions) -> None:
        self.sheet = sheet
        self.layout = layout
        self.problems: list[Problem] = []
        parsers = parsers_for(options)
        types = {f.name: f.type for f in FIELDS[layout.kind]}
        # (field, column, parser, whether a cell of spaces is blank)
        self._fields: list[tuple[str, int, Parser, bool]] = [
            (name, col, parsers[types[name]], types[name] not in _FREE_TEXT)
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

    def table(self) -> Table:
        """Every record below the header (blank rows and a table's totals row are skipped
        silently), parsed column by column (see _parse_column). Nothing is reported yet:
        `row` reports a flagged row's cells when the caller reaches it."""
        kept = self._record_rows()
        data = [self.sheet.rows[r] for r in kept]
        shortest = min(map(len, data), default=0)
        columns = [
            _parse_column(name, _column(data, col, shortest), parse, words)
            for name, col, parse, words in self._fields
        ]
        del data
        flagged = {i for c in columns for i in c.special}
        flagged.update(self._flagged(kept))
        return Table(kept, columns, frozenset(flagged))

    def row(self, table: Table, i: int) -> Row:
        """The row at position `i` of the table; a flagged row's problems are reported now,
        so that they come before those the caller finds on the row."""
        if i in table.flagged:
            return self._row_cell_by_cell(table.rows[i], tuple(c.values[i] for c in table.parsed))
        values = {c.name: c.values[i] for c in table.parsed if c.values[i] is not _BLANK}
        return Row(table.rows[i], values, _NO_FIELDS)

    def rows(self) -> Iterator[Row]:
        """The table's rows in order, each reported as it is yielded: the problems of a row
        and the checks the caller runs on it keep their order."""
        table = self.table()
        for i in range(len(table)):
            yield self.row(table, i)

    def _record_rows(self) -> list[int]:
        rows, totals = self.sheet.rows, self.sheet.totals_rows
        first, blank = self._first_field, self._blank
        # Nearly every row's first field is filled: such a row is kept without a call (one
        # per row of a 100,000-row log cost 0.01 s); _blank judges the others.
        return [
            r
            for r in range(self.layout.header_row + 1, len(rows))
            if (
                (
                    first < len(cells := rows[r])
                    and (value := cells[first]) != ""
                    and value is not None
                    and not (isinstance(value, str) and value.isspace())
                )
                or not blank(r, cells)
            )
            and not (totals and r in totals)
        ]

    def _flagged(self, kept: list[int]) -> list[int]:
        """Positions of the rows with an error value or a formula in a field's cell."""
        cols = {col for _, col, _, _ in self._fields}
        marked = {r for r, c in self.sheet.errors if c in cols}
        marked.update(r for r, c in self.sheet.formulas if c in cols)
        return [i for i, r in enumerate(kept) if r in marked] if marked else []

    def _row_cell_by_cell(self, r: int, parsed_values: tuple[Any, ...]) -> Row:
        errors, formulas = self.sheet.errors, self.sheet.formulas
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for (name, col, _, _), parsed in zip(self._fields, parsed_values, strict=True):
            if errors and (r, col) in errors:
                self.problem(r, col, "cell.error_value", error=errors[(r, col)])
                bad.add(name)
            elif parsed is _BLANK:
                if formulas and (r, col) in formulas:
                    self.problem(r, col, "cell.formula_no_result")
                    bad.add(name)
            elif isinstance(parsed, Invalid):
                if parsed.code == "enum.unknown":
                    self._unknown_word(r, col, self.sheet.value(r, col), parsed)
                else:
                    self.problem(r, col, parsed.code, params=parsed.params)
                bad.add(name)
            elif name in _NAME_FIELDS and type(parsed) is str and len(parsed) > NAME_MAX_CHARS:
                # A name pasted with a whole document behind it: a warning on the cell, its
                # start kept, so that no message outgrows its cap over one cell.
                length = f"{len(parsed):,}"
                self.problem(r, col, "text.too_long", Severity.WARNING, length=length)
                values[name] = parsed[: NAME_MAX_CHARS - 1] + "…"
            else:
                values[name] = parsed
        return Row(r, values, frozenset(bad) if bad else _NO_FIELDS)

    def _blank(self, r: int, cells: Sequence[CellValue]) -> bool:
        """A row with nothing staff typed (the job's own columns do not count)."""
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
