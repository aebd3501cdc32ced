"""The byte scan of a sheet's XML, which finds what calamine does not say (formula cells,
error cells, dropdowns, conditional formats, sparklines' columns) and the merged ranges,
reads a 40 MB sheet in chunks: whatever the chunks' size, it finds what one look at the
whole sheet finds, with a namespace prefix on every tag (as some writers make them) and
without."""

from __future__ import annotations

from io import BytesIO

import pytest

from sheetcrm.excel import reader


def _sheet(prefix: str, rows: int) -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="main"' if prefix else ' xmlns="main"'
    cells = []
    for r in range(1, rows + 1):
        row = f'<{p}row r="{r}"><{p}c r="A{r}" t="s"><{p}v>{r % 7}</{p}v></{p}c>'
        if r % 97 == 0:
            row += f'<{p}c r="B{r}"><{p}f>SUM(C{r}:D{r})</{p}f><{p}v>3</{p}v></{p}c>'
        if r % 89 == 0:
            row += f'<{p}c r="C{r}" t="e"><{p}f>1/0</{p}f><{p}v>#DIV/0!</{p}v></{p}c>'
        if r % 83 == 0:
            row += f'<{p}c r="D{r}" t="e"><{p}v>#N/A</{p}v></{p}c>'
        cells.append(row + f"</{p}row>")
    return (
        f'<{p}worksheet{ns}><{p}dimension ref="A1:D{rows}"/><{p}sheetData>'
        + "".join(cells)
        + f'</{p}sheetData><{p}autoFilter ref="A1:D{rows}"/>'
        f'<{p}mergeCells count="3"><{p}mergeCell ref="F2:G3"/><{p}mergeCell ref="$H$9:H10"/>'
        f'<{p}mergeCell ref="A{rows + 1}:D{rows + 1}"/></{p}mergeCells>'
        f'<{p}conditionalFormatting sqref="A2:A{rows}"><{p}cfRule type="dataBar"/>'
        f"</{p}conditionalFormatting>"
        f'<{p}dataValidations count="1"><{p}dataValidation type="list" sqref="E2:E{rows}">'
        f'<{p}formula1>"VIP,常客,Cliente habitual"</{p}formula1></{p}dataValidation>'
        f"</{p}dataValidations></{p}worksheet>"
    ).encode()


@pytest.mark.parametrize("prefix", ["", "x"])
@pytest.mark.parametrize(("chunk", "overlap"), [(1 << 22, 1 << 16), (4096, 512), (1000, 300)])
def test_the_scan_finds_in_chunks_what_it_finds_in_the_whole_sheet(
    monkeypatch: pytest.MonkeyPatch, prefix: str, chunk: int, overlap: int
) -> None:
    xml = _sheet(prefix, 3000)
    monkeypatch.setattr(reader, "_CHUNK", chunk)
    monkeypatch.setattr(reader, "_OVERLAP", overlap)
    flags = reader.scan_sheet(BytesIO(xml))
    assert flags.formulas == {
        *((r - 1, 1) for r in range(97, 3001, 97)),
        *((r - 1, 2) for r in range(89, 3001, 89)),
    }
    assert flags.errors == {
        **{(r - 1, 2): "#DIV/0!" for r in range(89, 3001, 89)},
        **{(r - 1, 3): "#N/A" for r in range(83, 3001, 83)},
    }
    assert flags.auto_filter and flags.conditional_ranges == {"A2:A3000"}
    assert flags.dropdowns == [("E2:E3000", '"VIP,常客,Cliente habitual"')]
    assert flags.used_columns == 4
    assert flags.merged == [((1, 5), (2, 6)), ((8, 7), (9, 7)), ((3000, 0), (3000, 3))]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_an_empty_sheet_ends_its_data_at_once(prefix: str) -> None:
    p = f"{prefix}:" if prefix else ""
    xml = (
        f'<{p}worksheet xmlns="main"><{p}sheetData/><{p}autoFilter ref="A1:B1"/></{p}worksheet>'
    ).encode()
    flags = reader.scan_sheet(BytesIO(xml))
    assert flags.auto_filter and not flags.formulas and not flags.errors
