"""Excel tables (Ctrl+T, "Format as Table") on a sheet the job writes to.

Staff often keep the register as a table. Excel then filters through the table's own
autoFilter, and a sheet-level autoFilter that overlaps a table makes it "repair" the file by
deleting it. So a register that is a table gets no sheet filter: the table grows instead, to
cover the owned columns (its `ref`, its autoFilter's `ref`, one `tableColumn` per new column
named as its header cell), and managers filter by tier with the table's own buttons.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sheetcrm.cells import column_letter, parse_range
from sheetcrm.excel.package import Package, attributes, resolve_target
from sheetcrm.excel.xmltext import quoteattr

TABLE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
PIVOT_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotTable"
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ROOT = re.compile(rb"<(?:(\w+):)?table\b([^>]*)>")
_LOCATION = re.compile(rb"<(?:\w+:)?location\b([^>]*)>")


@dataclass(frozen=True)
class Table:
    """One table part of a sheet; `top`..`bottom`, `left`..`right` are 0-based, inclusive."""

    part: str
    top: int
    left: int
    bottom: int
    right: int
    totals: int  # rows of totals at the bottom (0 or 1)
    header: bool  # the table has a header row (nearly every table)
    kind: str = "table"  # or "pivot table": its area as last laid out, never the register

    def overlaps(self, top: int, left: int, bottom: int, right: int) -> bool:
        """Whether the area top..bottom × left..right (0-based, inclusive) meets the table."""
        rows = not (bottom < self.top or self.bottom < top)
        return rows and not (right < self.left or self.right < left)


def tables_of(package: Package, sheet_part: str) -> list[Table]:
    """The tables drawn on the worksheet part, through its relationships."""
    return [_table(part, package.read(part)) for part in _linked(package, sheet_part, TABLE_TYPE)]


def pivot_tables_of(package: Package, sheet_part: str) -> list[Table]:
    """The areas of the pivot tables laid out on the worksheet part.

    A pivot table's cells may not be written yet (a writer that leaves them to Excel's
    refresh on open), so its `location` is what says where it lies, not the sheet's cells.
    """
    areas = []
    for part in _linked(package, sheet_part, PIVOT_TYPE):
        location = _LOCATION.search(package.read(part))
        ref = attributes(location.group(1)).get("ref", "") if location else ""
        if ref:
            areas.append(Table(part, *parse_ref(ref), totals=0, header=False, kind="pivot table"))
    return areas


def _linked(package: Package, sheet_part: str, type_: str) -> list[str]:
    """The parts the worksheet part links with relationships of type `type_`."""
    folder, name = posixpath.split(sheet_part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if not package.has(rels_part):
        return []
    parts = []
    for tag in _RELATIONSHIP.findall(package.read(rels_part)):
        a = attributes(tag)
        if a.get("Type") != type_ or a.get("TargetMode") == "External" or "Target" not in a:
            continue
        part = resolve_target(folder, a["Target"])
        if package.has(part):
            parts.append(part)
    return parts


def _table(part: str, xml: bytes) -> Table:
    root = _ROOT.search(xml)
    a = attributes(root.group(2)) if root else {}
    top, left, bottom, right = parse_ref(a.get("ref", "A1"))
    return Table(
        part,
        top,
        left,
        bottom,
        right,
        int(a.get("totalsRowCount", "0") or 0),
        a.get("headerRowCount", "1") != "0",
    )


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """'A1:E3' → (0, 0, 2, 4): top, left, bottom, right, 0-based."""
    try:
        (r0, c0), (r1, c1) = parse_range(ref)
    except ValueError:
        return 0, 0, 0, 0
    return r0, c0, r1, c1


def a1(top: int, left: int, bottom: int, right: int) -> str:
    return f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"


def grown(xml: bytes, table: Table, bottom: int, new_columns: Mapping[int, str]) -> bytes:
    """The table part covering rows down to `bottom` and the columns in `new_columns`
    (0-based column → header text, right of the table, contiguous with it)."""
    root = _ROOT.search(xml)
    assert root is not None
    tag = f"{root.group(1).decode()}:" if root.group(1) else ""
    right = max([table.right, *new_columns])
    ref = a1(table.top, table.left, bottom, right)
    filter_bottom = bottom - table.totals
    xml = _set_attribute(xml, root.start(), root.end(), "ref", ref)
    filter_tag = re.search(rb"<" + re.escape(tag.encode()) + rb"autoFilter\b[^>]*?/?>", xml)
    if filter_tag is not None:
        xml = _set_attribute(
            xml,
            filter_tag.start(),
            filter_tag.end(),
            "ref",
            a1(table.top, table.left, filter_bottom, right),
        )
    if not new_columns:
        return xml
    columns = re.search(
        rb"<"
        + re.escape(tag.encode())
        + rb"tableColumns\b[^>]*>(.*?)</"
        + re.escape(tag.encode())
        + rb"tableColumns>",
        xml,
        re.S,
    )
    assert columns is not None
    ids = [int(i) for i in re.findall(rb'<(?:\w+:)?tableColumn\b[^>]*?\bid="(\d+)"', xml)]
    next_id = max([0, *ids]) + 1
    added = "".join(
        f"<{tag}tableColumn id={quoteattr(str(next_id + i))} name={quoteattr(column_name(h))}/>"
        for i, (_, h) in enumerate(sorted(new_columns.items()))
    ).encode()
    count = len(re.findall(rb"<(?:\w+:)?tableColumn\b", columns.group(1))) + len(new_columns)
    xml = xml[: columns.end(1)] + added + xml[columns.end(1) :]
    opening = re.search(rb"<" + re.escape(tag.encode()) + rb"tableColumns\b[^>]*>", xml)
    assert opening is not None
    return _set_attribute(xml, opening.start(), opening.end(), "count", str(count))


def column_name(header: str) -> str:
    """A header cell's text as a table column name: Excel writes line breaks as _x000a_."""
    return header.replace("\r", "_x000d_").replace("\n", "_x000a_")


def _set_attribute(xml: bytes, start: int, end: int, name: str, value: str) -> bytes:
    """Set attribute `name` of the start tag at xml[start:end], keeping everything else."""
    tag = xml[start:end]
    pattern = re.compile(rb"(\s" + name.encode() + rb'=)"[^"]*"')
    new = f'"{value}"'.encode()
    if pattern.search(tag):
        tag = pattern.sub(lambda m: m.group(1) + new, tag, count=1)
    else:
        close = len(tag) - (2 if tag.endswith(b"/>") else 1)
        tag = tag[:close] + f' {name}="{value}"'.encode() + tag[close:]
    return xml[:start] + tag + xml[end:]
