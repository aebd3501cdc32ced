"""Sheets the job owns whole (Problems, later Outbox and tier views), and the small edits of
workbook.xml, its relationships and [Content_Types].xml that adding one needs.

Those three parts are edited by splicing in one new element; nothing else in them changes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator, Mapping

from sheetcrm.cells import CellValue, column_letter
from sheetcrm.errors import BackendError
from sheetcrm.excel.cellxml import cell_tail
from sheetcrm.excel.xmltext import escape, quoteattr, unescape
from sheetcrm.plan import GeneratedSheet

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = f"{REL_NS}/worksheet"
STYLES_REL = f"{REL_NS}/styles"
STYLES_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


def check_sheet_name(name: str) -> None:
    if not name or len(name) > 31 or _BAD_NAME.search(name) or name.startswith("'"):
        raise BackendError(
            f"{name!r} cannot be a sheet name: at most 31 characters, none of [ ] : * ? / \\"
        )


def sheet_xml_pieces(
    sheet: GeneratedSheet,
    *,
    header_style: str,
    kind_styles: Mapping[str, str | None],
    date1904: bool,
) -> Iterator[bytes]:
    """The worksheet part of a generated sheet (bold frozen header, widths, values), in pieces
    of a few hundred rows: a 10,000-row tier list is deflated as it is made and never exists
    whole as text."""
    width = len(sheet.header)
    last = f"{column_letter(max(width - 1, 0))}{len(sheet.rows) + 1}"
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths)
    )
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + _Rows([header_style] * width, date1904).row(0, sheet.header)
    ).encode("utf-8")
    rows = _Rows([kind_styles.get(kind) for kind in sheet.kinds], date1904)
    for start in range(0, len(sheet.rows), _ROWS_PER_PIECE):
        batch = sheet.rows[start : start + _ROWS_PER_PIECE]
        yield "".join(
            rows.row(r, values) for r, values in enumerate(batch, start=start + 1)
        ).encode("utf-8")
    yield (
        "</sheetData>"
        + _hyperlinks(sheet.links)
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3"'
        ' footer="0.3"/></worksheet>'
    ).encode("utf-8")


HYPERLINK_REL = f"{REL_NS}/hyperlink"
_LINK_ID = "rIdSheetcrmLink{}"  # apart from any relationship a re-save left on the sheet


def _hyperlinks(links: tuple[tuple[int, int, str], ...]) -> str:
    """<hyperlinks>, between the sheet's data and its page margins as the schema orders
    them; each names its address through the sheet's relationships."""
    if not links:
        return ""
    items = "".join(
        f'<hyperlink ref="{column_letter(c)}{r + 2}" r:id="{_LINK_ID.format(n)}"/>'
        for n, (r, c, _) in enumerate(links, start=1)
    )
    return f"<hyperlinks>{items}</hyperlinks>"


_HYPERLINK_RELATIONSHIP = re.compile(
    rb"<(?:\w+:)?Relationship\b[^>]*?Type=\"" + re.escape(HYPERLINK_REL.encode()) + rb"\"[^>]*/>"
)


def sheet_rels_xml(links: tuple[tuple[int, int, str], ...], existing: bytes | None) -> bytes | None:
    """The generated sheet's relationships: its links (external addresses), after whatever
    else an earlier version had (printer settings a re-save added), old links dropped.
    None: no relationships at all."""
    kept = b""
    if existing:
        body = re.search(
            rb"<(?:\w+:)?Relationships\b[^>]*>(.*)</(?:\w+:)?Relationships>", existing, re.S
        )
        kept = _HYPERLINK_RELATIONSHIP.sub(b"", body.group(1)) if body else b""
    if not links and not kept.strip():
        return None
    ours = "".join(
        f'<Relationship Id="{_LINK_ID.format(n)}" Type="{HYPERLINK_REL}" '
        f'Target={quoteattr(url)} TargetMode="External"/>'
        for n, (_, _, url) in enumerate(links, start=1)
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + kept
        + ours.encode("utf-8")
        + b"</Relationships>"
    )


_ROWS_PER_PIECE = 500


class _Rows:
    """The rows of one generated sheet as XML. A cell's element after its reference is kept
    per value and style (tiers, dates, channels repeat down 10,000 rows). Not kept: long
    texts (names, messages), rarely the same twice; and floats and Decimals, where equal
    values can be written differently (0.0 and -0.0, 1.0 and 1.00)."""

    _KEPT_TEXT = 40  # characters
    _KEPT = frozenset({str, int, bool, dt.date, dt.datetime, type(None)})

    def __init__(self, styles: list[str | None], date1904: bool) -> None:
        self.styles = styles
        self.date1904 = date1904
        self.tails: dict[tuple[type, CellValue, str | None], str] = {}

    def row(self, r: int, values: tuple[CellValue, ...]) -> str:
        styles, tails, n = self.styles, self.tails, r + 1
        cells = []
        for c, v in enumerate(values):
            style = styles[c] if c < len(styles) else None
            key = (type(v), v, style)
            tail = tails.get(key)
            if tail is None:
                tail = cell_tail(v, style, date1904=self.date1904)
                if type(v) in self._KEPT and not (type(v) is str and len(v) > self._KEPT_TEXT):
                    tails[key] = tail
            if tail:
                cells.append(f'<c r="{column_letter(c)}{n}"{tail}')
        return f'<row r="{n}">{"".join(cells)}</row>'


def add_sheet(
    workbook: bytes, rels: bytes, content_types: bytes, *, name: str, part: str, base: str
) -> tuple[bytes, bytes, bytes]:
    """Register a new worksheet part at the end of the workbook's sheet list."""
    check_sheet_name(name)
    rel_id = _free_rel_id(rels)
    sheet_ids = [int(x) for x in re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bsheetId="(\d+)"', workbook)]
    # The relationships prefix is declared on the element itself: openpyxl, for one, declares
    # it on each <sheet> rather than on the root.
    sheet = (
        f'<{_tag(workbook, "sheets")}sheet xmlns:r="{REL_NS}" name={quoteattr(name)} '
        f'sheetId="{max([0, *sheet_ids]) + 1}" r:id="{rel_id}"/>'
    )
    workbook = _insert_before(workbook, f"</{_tag(workbook, 'sheets')}sheets>", sheet)
    rels, content_types = _register(
        rels, content_types, rel_id, part, base, WORKSHEET_REL, WORKSHEET_CONTENT
    )
    return workbook, rels, content_types


# A hidden name on each sheet the job generates (Problems, Tier A…, Outbox): how the job
# tells its own sheets from a staff sheet that happens to have the same name and header.
GENERATED_MARK = "_sheetcrm_generated"
_DEFINED_NAME = re.compile(rb"<(?:\w+:)?definedName\b([^>]*)>")


def add_filter_name(workbook: bytes, sheet: str, ref: str) -> bytes:
    """The hidden name `_xlnm._FilterDatabase` Excel keeps for a sheet's auto-filter range;
    LibreOffice reads the filter through it. An existing one is left as it is."""
    first, last = ref.split(":")
    target = f"'{sheet.replace(chr(39), chr(39) * 2)}'!{_absolute(first)}:{_absolute(last)}"
    return add_sheet_name(workbook, sheet, "_xlnm._FilterDatabase", target)


def marked_sheets(workbook: bytes) -> set[str]:
    """The sheets that carry the job's GENERATED_MARK."""
    names = _sheet_names(workbook)
    marked = set()
    for m in _DEFINED_NAME.finditer(workbook):
        attrs = m.group(1).decode("utf-8", "replace")
        local = re.search(r'localSheetId="(\d+)"', attrs)
        if f'name="{GENERATED_MARK}"' in attrs and local and int(local[1]) < len(names):
            marked.add(names[int(local[1])])
    return marked


def add_generated_mark(workbook: bytes, sheet: str) -> bytes:
    return add_sheet_name(workbook, sheet, GENERATED_MARK, '"sheetcrm"')


def _sheet_names(workbook: bytes) -> list[str]:
    return [
        unescape(n.decode("utf-8"), {"&quot;": '"', "&apos;": "'"})
        for n in re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', workbook)
    ]


def add_sheet_name(workbook: bytes, sheet: str, name: str, formula: str) -> bytes:
    """A hidden defined name scoped to `sheet`; one that exists already is left as it is."""
    tag = _tag(workbook, "sheets")
    index = _sheet_names(workbook).index(sheet)
    for m in _DEFINED_NAME.finditer(workbook):
        attrs = m.group(1)
        if f'name="{name}"'.encode() in attrs and b'localSheetId="%d"' % index in attrs:
            return workbook
    element = (
        f'<{tag}definedName name="{name}" localSheetId="{index}" hidden="1">'
        f"{escape(formula)}</{tag}definedName>"
    )
    if re.search(rb"</(?:\w+:)?definedNames>", workbook):
        return _insert_before(workbook, f"</{tag}definedNames>", element)
    block = f"<{tag}definedNames>{element}</{tag}definedNames>".encode()
    empty = re.search(rb"<(?:\w+:)?definedNames\s*/>", workbook)  # Google Sheets writes one
    if empty is not None:
        return workbook[: empty.start()] + block + workbook[empty.end() :]
    at = _end_of_last(workbook, ("sheets", "functionGroups", "externalReferences"))
    return workbook[:at] + block + workbook[at:]


def _end_of_last(xml: bytes, locals_: tuple[str, ...]) -> int:
    """Where the last of these elements ends (self-closing or not): definedNames follows
    sheets, functionGroups and externalReferences in the workbook's schema order."""
    ends = []
    for local in locals_:
        name = rb"(?:\w+:)?" + local.encode()
        for m in re.finditer(rb"<" + name + rb"\b[^>]*?/>|</" + name + rb">", xml):
            ends.append(m.end())
    if not ends:
        raise BackendError("a workbook part without <sheets>")
    return max(ends)


def _absolute(cell: str) -> str:
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters) :]}"


def add_styles(rels: bytes, content_types: bytes, part: str, base: str) -> tuple[bytes, bytes]:
    """Register a styles part the job had to create (the workbook had none)."""
    rel_id = _free_rel_id(rels)
    return _register(rels, content_types, rel_id, part, base, STYLES_REL, STYLES_CONTENT)


def _register(
    rels: bytes,
    content_types: bytes,
    rel_id: str,
    part: str,
    base: str,
    rel_type: str,
    content: str,
) -> tuple[bytes, bytes]:
    """A relationship from the workbook (in folder `base`) to `part`, and its content type."""
    target = posixpath.relpath(part, base or ".")
    rels = _insert_before(
        rels,
        "</Relationships>",
        f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{escape(target)}"/>',
    )
    content_types = _insert_before(
        content_types, "</Types>", f'<Override PartName="/{escape(part)}" ContentType="{content}"/>'
    )
    return rels, content_types


def _free_rel_id(rels: bytes) -> str:
    taken = set(re.findall(rb'\bId="([^"]+)"', rels))
    n = 1
    while f"rId{n}".encode() in taken:
        n += 1
    return f"rId{n}"


def _tag(xml: bytes, local: str) -> str:
    m = re.search(rb"<(\w+:)?" + local.encode() + rb"\b", xml)
    return (m.group(1) or b"").decode() if m else ""


def _insert_before(xml: bytes, closing: str, element: str) -> bytes:
    at = xml.rfind(closing.encode())
    if at < 0:
        raise BackendError(f"a package part without {closing}")
    return xml[:at] + element.encode("utf-8") + xml[at:]


_CALC_PR = re.compile(rb"<(\w+:)?calcPr\b[^>]*?/?>")
_AFTER_CALC_PR = (
    b"oleSize",
    b"customWorkbookViews",
    b"pivotCaches",
    b"smartTagPr",
    b"smartTagTypes",
    b"webPublishing",
    b"fileRecoveryPr",
    b"webPublishObjects",
    b"extLst",
)


def recalculate_on_open(workbook: bytes) -> bytes:
    """fullCalcOnLoad="1": staff formulas reading the job's cells show fresh results."""
    m = _CALC_PR.search(workbook)
    if m:
        tag = m.group(0)
        if b'fullCalcOnLoad="1"' in tag:
            return workbook
        tag = re.sub(rb'\s*fullCalcOnLoad="[^"]*"', b"", tag)
        end = len(tag) - (2 if tag.endswith(b"/>") else 1)
        tag = tag[:end] + b' fullCalcOnLoad="1"' + tag[end:]
        return workbook[: m.start()] + tag + workbook[m.end() :]
    prefix = _tag(workbook, "workbook")
    element = f'<{prefix}calcPr fullCalcOnLoad="1"/>'.encode()
    for name in _AFTER_CALC_PR:
        follower = re.search(rb"<(?:\w+:)?" + name + rb"\b", workbook)
        if follower:
            return workbook[: follower.start()] + element + workbook[follower.start() :]
    end = workbook.rfind(b"</")
    return workbook[:end] + element + workbook[end:]


def drop_calc_chain(rels: bytes, content_types: bytes) -> tuple[bytes, bytes]:
    """Remove the calc chain's relationship and content type (Excel rebuilds the chain)."""
    rels = re.sub(rb"<Relationship\b[^>]*calcChain[^>]*/>", b"", rels)
    content_types = re.sub(rb"<Override\b[^>]*calcChain[^>]*/>", b"", content_types)
    return rels, content_types
