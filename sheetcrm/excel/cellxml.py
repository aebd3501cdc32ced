"""One cell as worksheet XML, written so that a text can never become a formula."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers import to_excel_serial

MAX_CELL_TEXT = 32_767
_ESCAPED_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
# Characters XML cannot hold, and the carriage return, which XML parsers turn into a newline
# (written raw, "a\r\nb" would read back as "a\nb" and every sync would rewrite the cell).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape_text(text: str) -> str:
    """Text for a <t> element: XML escapes, and the format's _xHHHH_ for control characters."""
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    # Each step only when needed: a sync escapes 120,000 texts, nearly all of them plain.
    if "_x" in text or "_X" in text:
        text = _ESCAPED_LITERAL.sub(r"_x005F_\1", text)  # a literal "_x000B_" stays literal
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def cell_xml(
    ref: str, value: CellValue, style: str | None, *, date1904: bool, prefix: str = ""
) -> str:
    """A <c> element for `value`; None or "" gives a styled empty cell, or nothing."""
    tail = cell_tail(value, style, date1904=date1904, prefix=prefix)
    return f'<{prefix}c r="{ref}"{tail}' if tail else ""


def cell_tail(value: CellValue, style: str | None, *, date1904: bool, prefix: str = "") -> str:
    """A <c> element after its reference (`<c r="B7"` + this), "" for no element: the same
    for every cell of the same value and style, so a sheet's writer can keep it."""
    s = f' s="{style}"' if style is not None else ""
    c = f"{prefix}c"
    if value is None or value == "":
        return f"{s}/>" if style is not None else ""
    if isinstance(value, bool):
        return f'{s} t="b"><{prefix}v>{int(value)}</{prefix}v></{c}>'
    number = _number(value, date1904)
    if number is not None:
        return f"{s}><{prefix}v>{number}</{prefix}v></{c}>"
    text = escape_text(str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'{s} t="inlineStr"><{prefix}is><{prefix}t{space}>{text}</{prefix}t></{prefix}is></{c}>'


def _number(value: CellValue, date1904: bool) -> str | None:
    """The <v> text of a numeric value (dates as serials), or None for text."""
    if isinstance(value, dt.datetime):
        day = to_excel_serial(value.date(), date1904)
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return repr(day + seconds / 86400) if seconds else str(day)
    if isinstance(value, dt.date):
        return str(to_excel_serial(value, date1904))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    return None
