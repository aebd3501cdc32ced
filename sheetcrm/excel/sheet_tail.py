"""Elements after a worksheet's cells: the auto-filter and the tier colours.

Both live after `</sheetData>`, where the schema fixes the order of every element: one put
in the wrong place makes Excel offer to "repair" the file. The tail is small (the cells are
before it), so it is edited as one piece of bytes; what is already there is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheetcrm.excel.xmltext import escape, quoteattr

# The children of <worksheet> that follow sheetData, in schema order (ECMA-376 §18.3.1.99).
_ORDER = (
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
_PRIORITY = re.compile(rb'\bpriority="(\d+)"')


@dataclass(frozen=True)
class ValueFill:
    """Cells of `sqref` equal to `value` get the differential style `dxf` (a fill)."""

    sqref: str
    value: str
    dxf: int


def insert_in_order(tail: bytes, tag: str, local: str, element: bytes) -> bytes:
    """Insert `element` (a `local` child of <worksheet>) where the schema wants it: after the
    last sibling of its own kind or of a kind that comes earlier, before all later kinds.

    Only the worksheet's own children count: a 2010 data bar's <cfRule> carries an <extLst>
    of its own, and inserting before that one would put the element inside the rule.
    """
    later = set(_ORDER[_ORDER.index(local) + 1 :])
    at = next(
        (start for start, name in top_level_children(tail) if name.removeprefix(tag) in later),
        None,
    )
    if at is None:
        closing = tail.rfind(f"</{tag}worksheet>".encode())
        at = closing if closing >= 0 else len(tail)
    return tail[:at] + element + tail[at:]


_TOKEN = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<(/?)([\w:.-]+)[^>]*?(/?)>", re.S)


def top_level_children(tail: bytes) -> list[tuple[int, str]]:
    """(offset, qualified name) of each element that starts at the tail's own level: the
    children of <worksheet> after </sheetData>; nested elements and comments are skipped."""
    children = []
    depth = 0
    for m in _TOKEN.finditer(tail):
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if name is None:
            continue  # a comment, a processing instruction or CDATA
        if closing:
            # The tail opens with </sheetData> and ends with </worksheet>: closings of the
            # level around it, which leave the depth at the worksheet's children.
            depth = max(depth - 1, 0)
            continue
        if depth == 0:
            children.append((m.start(), name.decode()))
        if not empty:
            depth += 1
    return children


def add_auto_filter(tail: bytes, tag: str, ref: str) -> bytes:
    return insert_in_order(
        tail, tag, "autoFilter", f"<{tag}autoFilter ref={quoteattr(ref)}/>".encode()
    )


def add_value_fills(tail: bytes, tag: str, fills: list[ValueFill]) -> bytes:
    """One conditionalFormatting block per range, a cellIs-equal rule per value.

    Rules are the spreadsheet's own: a colour follows its value when staff sort, filter or
    type, and the cells keep whatever style staff gave them.
    """
    priority = max((int(p) for p in _PRIORITY.findall(tail)), default=0)
    blocks: dict[str, list[str]] = {}
    for fill in fills:
        priority += 1
        formula = '"' + fill.value.replace('"', '""') + '"'
        blocks.setdefault(fill.sqref, []).append(
            f'<{tag}cfRule type="cellIs" dxfId="{fill.dxf}" priority="{priority}" '
            f'operator="equal"><{tag}formula>{escape(formula)}</{tag}formula></{tag}cfRule>'
        )
    for sqref, rules in blocks.items():
        element = (
            f"<{tag}conditionalFormatting sqref={quoteattr(sqref)}>{''.join(rules)}"
            f"</{tag}conditionalFormatting>"
        ).encode()
        tail = insert_in_order(tail, tag, "conditionalFormatting", element)
    return tail
