"""Elements after a worksheet's cells: the auto-filter and the tier colours.

Both live after `</sheetData>`, where the schema fixes the order of every element: one put
in the wrong place makes Excel offer to "repair" the file. The tail is small (the cells are
before it), so it is edited as one piece of bytes; what is already there is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

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
    last sibling of its own kind or of a kind that comes earlier, before all later kinds."""
    later = _ORDER[_ORDER.index(local) + 1 :]
    positions = [
        m.start()
        for name in later
        if (m := re.search(rb"<" + re.escape(f"{tag}{name}".encode()) + rb"[\s/>]", tail))
    ]
    closing = tail.rfind(f"</{tag}worksheet>".encode())
    at = min([*positions, closing]) if closing >= 0 else min(positions, default=len(tail))
    return tail[:at] + element + tail[at:]


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
            f'operator="equal"><{tag}formula>{_escape(formula)}</{tag}formula></{tag}cfRule>'
        )
    for sqref, rules in blocks.items():
        element = (
            f"<{tag}conditionalFormatting sqref={quoteattr(sqref)}>{''.join(rules)}"
            f"</{tag}conditionalFormatting>"
        ).encode()
        tail = insert_in_order(tail, tag, "conditionalFormatting", element)
    return tail


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
