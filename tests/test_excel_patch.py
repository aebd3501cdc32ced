"""The sheet patcher: the streaming one gives exactly what the whole-sheet one gives, or
says it cannot (and the backend patches the sheet whole)."""

from __future__ import annotations

import io
import re

import pytest

from sheetcrm.excel import sheet_patch
from sheetcrm.excel.sheet_patch import CellEdit, _row_end, patch_sheet, patch_sheet_stream

HEAD = b'<?xml version="1.0"?><worksheet xmlns="main"><dimension ref="A1:B3"/><sheetData>'
TAIL = b"</sheetData><extLst><ext>sparklines</ext></extLst></worksheet>"


def sheet(rows: int) -> bytes:
    body = b"".join(
        b'<row r="%d" spans="1:2"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>'
        % (r, r, r, r, r)
        for r in range(1, rows + 1)
    )
    return HEAD + body + TAIL


class Sink:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, piece: bytes | memoryview) -> None:
        self.parts.append(bytes(piece))


def stream(xml: bytes, edits: dict[int, dict[int, CellEdit]]) -> bytes | None:
    sink = Sink()
    if patch_sheet_stream(io.BytesIO(xml), edits, sink, date1904=False) is None:
        return None
    return b"".join(sink.parts)


EDITS = {
    0: {2: CellEdit("Problems")},
    4: {2: CellEdit("bad phone")},
    997: {2: CellEdit("x")},
    998: {0: CellEdit("replaced")},
}


@pytest.mark.parametrize("chunk", [64, 97, 1000, 1 << 22])
def test_streaming_gives_what_the_whole_patch_gives(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_patch, "_CHUNK", chunk)
    xml = sheet(1000)
    assert stream(xml, EDITS) == patch_sheet(xml, EDITS, date1904=False).xml


def test_only_the_edited_rows_change() -> None:
    xml = sheet(10)
    out = patch_sheet(xml, {4: {2: CellEdit("bad phone")}}, date1904=False).xml
    assert (
        out.replace(
            b'<row r="5"><c r="A5" t="s"><v>5</v></c><c r="B5"><v>5</v></c><c r="C5" t="inlineStr">'
            b"<is><t>bad phone</t></is></c></row>",
            b'<row r="5" spans="1:2"><c r="A5" t="s"><v>5</v></c><c r="B5"><v>5</v></c></row>',
        )
        .replace(b'ref="A1:C5"', b'ref="A1:B3"')
        .replace(b'ref="A1:C10"', b'ref="A1:B3"')
        == xml
    )


@pytest.mark.parametrize(
    ("xml", "row"),
    [
        (sheet(3).replace(b' r="2" spans="1:2"', b""), 1),  # the row has no r
        (sheet(3).replace(b'<row r="3"', b'<row spans="1:2" r="3"'), 2),  # r is not first
        # LibreOffice 4's rows: every attribute before r (ClosedXML's test files keep some).
        (re.sub(rb'<row r="(\d+)" spans="1:2"', rb'<row collapsed="false" r="\1"', sheet(3)), 0),
        (HEAD + TAIL, 2),  # the row does not exist yet
        (HEAD.replace(b"<sheetData>", b"<sheetData/>") + TAIL.replace(b"</sheetData>", b""), 2),
    ],
    ids=["row without r", "r after other attributes", "r last", "missing row", "empty sheetData"],
)
def test_unusual_sheets_fall_back_to_the_whole_patch(xml: bytes, row: int) -> None:
    edits = {row: {2: CellEdit("x")}}
    assert stream(xml, edits) is None
    out = patch_sheet(xml, edits, date1904=False).xml
    assert b'<c r="C%d" t="inlineStr"><is><t>x</t></is></c>' % (row + 1) in out
    # The cell joins its row: no second row of the same number.
    (written,) = [r for r in re.findall(rb"<row\b.*?</row>", out) if b'r="C%d"' % (row + 1) in r]
    assert (b'r="A%d"' % (row + 1) in written) == (b'r="A%d"' % (row + 1) in xml)
    assert out.endswith(b"</worksheet>")


ROW_SPEC = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)


@pytest.mark.parametrize(
    "xml",
    [
        b'<row r="5"><c r="A5"><v>1</v></c></row><row r="6"/>',
        b'<row r="5" spans="1:3"/><row r="6"><c r="A6"/></row>',
        b'<row r="5" x14ac:dyDescent="0.25"><c r="A5" t="s"><v>0</v></c>\n</row>',
        b'<row r="5"></row>',
        b'<row r="5"><c r="A5"><is><t>a/b</t></is></c>',  # its end not read yet
        b'<row r="5" ht="15"',  # nor the end of its tag
    ],
)
def test_the_streaming_patcher_finds_where_a_row_ends(xml: bytes) -> None:
    spec = ROW_SPEC.match(xml)
    assert _row_end(xml, 0) == (spec.end() if spec else None)
