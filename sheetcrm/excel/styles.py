"""Append-only edits of xl/styles.xml: every cell points at styles by position, so existing
entries are never reordered or rewritten; new ones go at the end and are reused next time.
"""

from __future__ import annotations

import re

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Number formats every spreadsheet program knows by id (ECMA-376 §18.8.30).
_BUILT_IN_FORMATS = {"integer": 1, "money": 4, "percent": 10}
# What may follow <dxfs> and <numFmts> in a styleSheet, in schema order.
_AFTER_DXFS = ("tableStyles", "colors", "extLst")
_STYLE_LISTS = ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs")
_AFTER_NUM_FMTS = (*_STYLE_LISTS, *_AFTER_DXFS)
_MINIMAL = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b"</styleSheet>"
)


# The entries every styles part starts with: what a cell without a style, and every style
# the job adds, points at (font 0, fill 0, border 0, xf 0). A writer may leave them out
# (an empty <styleSheet/>): they are put in before the job's first style.
_DEFAULT_ENTRIES = {
    "fonts": ("font", ('<{t}font><{t}sz val="11"/><{t}name val="Calibri"/></{t}font>',)),
    "fills": (
        "fill",
        (
            '<{t}fill><{t}patternFill patternType="none"/></{t}fill>',
            '<{t}fill><{t}patternFill patternType="gray125"/></{t}fill>',
        ),
    ),
    "borders": (
        "border",
        ("<{t}border><{t}left/><{t}right/><{t}top/><{t}bottom/><{t}diagonal/></{t}border>",),
    ),
    "cellStyleXfs": ("xf", ('<{t}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',)),
    "cellXfs": ("xf", ('<{t}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',)),
}


_CHILD = {
    "numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
    "cellStyleXfs": "xf", "cellXfs": "xf", "cellStyles": "cellStyle", "dxfs": "dxf",
}  # fmt: skip


class Styles:
    """The workbook's styles part, with the few styles the job needs added on demand."""

    def __init__(self, xml: bytes | None) -> None:
        self.created = xml is None
        self.xml = xml if xml is not None else _MINIMAL
        self.original = self.xml
        m = re.search(rb"<(\w+:)?styleSheet\b", self.xml)
        self.tag = (m.group(1) or b"").decode() if m else ""

    def copy(self) -> Styles:
        twin = Styles(self.xml)
        twin.created, twin.original = self.created, self.original
        return twin

    @property
    def changed(self) -> bool:
        return self.created or self.xml != self.original

    def date(self) -> str:
        """Index of a cell style showing yyyy-mm-dd."""
        fmt = self._num_fmt(DATE_FORMAT)
        return self._xf(
            f'numFmtId="{fmt}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
        )

    def for_kind(self, kind: str) -> str | None:
        """The cell style for a plan's column kind ("date", "money", ...); None keeps the cell's."""
        if kind == "date":
            return self.date()
        if kind == "datetime":
            fmt = self._num_fmt(DATETIME_FORMAT)
            return self._xf(
                f'numFmtId="{fmt}" fontId="0" fillId="0" borderId="0" xfId="0" '
                'applyNumberFormat="1"'
            )
        if kind == "wrap":  # a whole message, readable in its cell
            t = self.tag
            element = (
                f'<{t}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
                f'applyAlignment="1"><{t}alignment vertical="top" wrapText="1"/></{t}xf>'
            )
            return str(self._append_unique("cellXfs", "xf", element))
        if kind in _BUILT_IN_FORMATS:
            return self._xf(
                f'numFmtId="{_BUILT_IN_FORMATS[kind]}" fontId="0" fillId="0" borderId="0" '
                'xfId="0" applyNumberFormat="1"'
            )
        return None

    def fill_dxf(self, rgb: str) -> int:
        """Index of a differential style (for conditional formats) that fills with `rgb`."""
        t = self.tag
        element = (
            f'<{t}dxf><{t}fill><{t}patternFill><{t}bgColor rgb="FF{rgb.upper()}"/>'
            f"</{t}patternFill></{t}fill></{t}dxf>"
        )
        self._ensure_list("dxfs", _AFTER_DXFS)
        return self._append_unique("dxfs", "dxf", element)

    def _ensure_list(self, parent: str, followers: tuple[str, ...]) -> None:
        """Create an empty <parent> list (or open a self-closed one) where the schema wants it."""
        t = self.tag
        m = re.search(rf"<{t}{parent}\b[^>]*>".encode(), self.xml)
        if m is not None:
            if m.group(0).endswith(b"/>"):
                opened = m.group(0)[:-2].rstrip() + f"></{t}{parent}>".encode()
                self.xml = self.xml[: m.start()] + opened + self.xml[m.end() :]
            return
        at = min(
            [
                found.start()
                for name in followers
                if (found := re.search(rf"<{t}{name}\b".encode(), self.xml))
            ]
            + [self.xml.rfind(f"</{t}styleSheet>".encode())]
        )
        block = f'<{t}{parent} count="0"></{t}{parent}>'.encode()
        self.xml = self.xml[:at] + block + self.xml[at:]

    def bold(self) -> str:
        t = self.tag
        font = self._append_unique("fonts", "font", f'<{t}font><{t}b/><{t}sz val="11"/></{t}font>')
        return self._xf(
            f'numFmtId="0" fontId="{font}" fillId="0" borderId="0" xfId="0" applyFont="1"'
        )

    def _num_fmt(self, code: str) -> int:
        t = self.tag
        m = re.search(
            rf'<{t}numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="{re.escape(code)}"'.encode(),
            self.xml,
        )
        if m:
            return int(m.group(1))
        ids = [int(x) for x in re.findall(rb'numFmtId="(\d+)"', self.xml)]
        new_id = max([163, *ids]) + 1
        element = f'<{t}numFmt numFmtId="{new_id}" formatCode="{code}"/>'
        self._ensure_list("numFmts", _AFTER_NUM_FMTS)
        self._append("numFmts", element)
        return new_id

    def _xf(self, attrs: str) -> str:
        element = f"<{self.tag}xf {attrs}/>"
        return str(self._append_unique("cellXfs", "xf", element))

    def _complete(self) -> None:
        """Put in the default entries a writer left out, so that index 0 of each list is
        there for the styles the job adds (and for cells without a style)."""
        t = self.tag
        for i, (parent, (child, entries)) in enumerate(_DEFAULT_ENTRIES.items()):
            self._ensure_list(parent, _STYLE_LISTS[i + 1 :] + _AFTER_DXFS)
            start, end = self._block(parent)
            if re.search(rf"<{t}{child}\b".encode(), self.xml[start:end]) is None:
                defaults = "".join(entries).format(t=t).encode()
                self.xml = self.xml[:end] + defaults + self.xml[end:]
                self._set_count(parent, len(entries))

    def _append_unique(self, parent: str, child: str, element: str) -> int:
        """Position of `element` in `parent`, appending it when it is not there yet."""
        if parent != "dxfs":
            self._complete()
        start, end = self._block(parent)
        items = re.findall(
            rf"<{self.tag}{child}\b(?:[^>]*/>|.*?</{self.tag}{child}>)".encode(),
            self.xml[start:end],
            re.S,
        )
        for i, item in enumerate(items):
            if item == element.encode():
                return i
        self._append(parent, element)
        return len(items)

    def _block(self, parent: str) -> tuple[int, int]:
        t = self.tag
        m = re.search(rf"<{t}{parent}\b[^>]*>".encode(), self.xml)
        if m is None or m.group(0).endswith(b"/>"):
            raise ValueError(f"styles.xml has no <{parent}> list")
        return m.end(), self.xml.find(f"</{t}{parent}>".encode(), m.end())

    def _append(self, parent: str, element: str) -> None:
        start, end = self._block(parent)
        self.xml = self.xml[:end] + element.encode() + self.xml[end:]
        # The count the list really has: a writer's count that was off is put right.
        self._set_count(parent, self._entries(parent, start))

    def _entries(self, parent: str, start: int) -> int:
        """Entries of the list that starts at `start`: children one level down, counted by
        their opening tags (no style entry nests one of its own kind)."""
        end = self.xml.find(f"</{self.tag}{parent}>".encode(), start)
        child = _CHILD[parent]
        return len(re.findall(rf"<{self.tag}{child}[\s/>]".encode(), self.xml[start:end]))

    def _set_count(self, parent: str, count: int) -> None:
        m = re.search(rf'<{self.tag}{parent}\b[^>]*?\bcount="(\d+)"'.encode(), self.xml)
        if m:
            self.xml = self.xml[: m.start(1)] + str(count).encode() + self.xml[m.end(1) :]
