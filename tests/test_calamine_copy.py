"""calamine reads a copy of the workbook in which each sheet's XML starts with an empty
<mergeCells>, so that python-calamine reads a sheet once instead of twice (the second read
looked for merged cells, which the reader's own scan now finds). The copy must give calamine
the same values from any writer's workbook, check as a zip, keep a sheet it cannot lead as
it is, and never cost a read: a copy calamine refuses is read from the original."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from excel_fixtures import resave_with_libreoffice

from sheetcrm.excel import calamine_copy, reader
from sheetcrm.excel.package import Package


def by_xlsxwriter(path: Path) -> Path:
    """Shared strings, typed dates, a merged title and a merged box in the data."""
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Customers")
    sheet.merge_range("A1:C1", "Customer register")
    sheet.write_row(1, 0, ["Customer ID", "Name", "Since"])
    for r in range(2, 40):
        sheet.write_row(r, 0, [f"C{r:03d}", f"Cliente habitual {r % 5}"])
        sheet.write_datetime(r, 2, dt.datetime(2026, 1, 1 + r % 28), day)
    sheet.merge_range("E5:F8", "call after 5 pm")
    log = book.add_worksheet("拜访记录")
    log.write_row(0, 0, ["客户编号", "日期", "方式"])
    for r in range(1, 30):
        log.write_row(r, 0, [f"C{r:03d}", f"2026-11-{1 + r % 28:02d}", "电话" if r % 2 else "拜访"])
    book.close()
    return path


def by_openpyxl(path: Path) -> Path:
    """Inline numbers and texts as openpyxl writes them, merged cells in two sheets."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Clientes"
    sheet.append(["ID", "Nombre", "Importe"])
    for r in range(1, 25):
        sheet.append([f"E{r:03d}", f"José {r}", r * 12.5])
    sheet.merge_cells("E2:G2")
    orders = book.create_sheet("订单")
    orders.append(["订单号", "金额"])
    orders.append(["O1", 8000])
    orders.merge_cells("A4:B5")
    book.save(path)
    return path


def by_libreoffice(path: Path) -> Path:
    return resave_with_libreoffice(by_xlsxwriter(path.with_name("source.xlsx")), path.parent)


WRITERS: dict[str, Callable[[Path], Path]] = {
    "xlsxwriter": by_xlsxwriter,
    "openpyxl": by_openpyxl,
    "LibreOffice re-save": by_libreoffice,
}


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the copies are made in, empty at the start."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def calamine_view(path: Path) -> dict[str, Any]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {
        name: (sheet.to_python(), sheet.start, sheet.merged_cell_ranges)
        for name in book.sheet_names
        for sheet in [book.get_sheet_by_name(name)]
    }


@pytest.mark.parametrize("writer", WRITERS)
def test_the_copy_gives_calamine_the_same_values_and_checks_as_a_zip(
    tmp_path: Path, writer: str
) -> None:
    book = WRITERS[writer](tmp_path / "book.xlsx")
    original = calamine_view(book)
    with Package(book) as package:
        parts = [e.part for e in package.sheets]
        with calamine_copy.calamine_copy(package, parts) as copy:
            assert copy != book
            assert copy.stat().st_mode & 0o077 == 0  # the job's user's only (README)
            with zipfile.ZipFile(copy) as z:
                assert z.testzip() is None  # every member's CRC-32 holds
                for part in parts:
                    assert z.read(part).startswith(calamine_copy.LEAD)
            copied = calamine_view(copy)
        assert not copy.exists()
    for name, (rows, start, _) in original.items():
        assert copied[name][:2] == (rows, start)
        assert copied[name][2] == []  # the second read stopped at the empty element


@pytest.mark.parametrize("writer", WRITERS)
def test_the_scan_finds_the_merged_ranges_calamine_finds(tmp_path: Path, writer: str) -> None:
    book = WRITERS[writer](tmp_path / "book.xlsx")
    original = calamine_view(book)
    with Package(book) as package:
        snapshot = reader.read_snapshot(package)
    for name, (_, _, merged) in original.items():
        assert snapshot.sheets[name].merged == tuple(merged or ())
    assert any(sheet.merged for sheet in snapshot.sheets.values())


@pytest.mark.parametrize(
    ("start", "led"),
    [
        (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet', True),
        (b"<worksheet", True),
        (b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?><worksheet", False),  # a BOM
        (b'<?xml version="1.0" encoding="windows-1252"?><worksheet', False),
        (b"  <worksheet", False),
    ],
)
def test_only_a_sheet_that_starts_with_markup_in_utf8_is_led(start: bytes, led: bool) -> None:
    xml = start + b' xmlns="main"><sheetData/></worksheet>'
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    info.compress_type = zipfile.ZIP_DEFLATED
    compressor = zlib.compressobj(6, 8, -15)
    raw = compressor.compress(xml) + compressor.flush()
    assert calamine_copy._can_lead(info, raw) is led


def test_a_copy_calamine_refuses_is_read_from_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = by_xlsxwriter(tmp_path / "book.xlsx")
    with Package(book) as package:
        expected = reader.read_snapshot(package)
    # A block header that is not a stored block: the copy's sheets do not inflate.
    monkeypatch.setattr(calamine_copy, "_stored_block", lambda content: b"\x07" + content)
    with Package(book) as package:
        snapshot = reader.read_snapshot(package)
    assert snapshot.sheets == expected.sheets


def test_the_read_leaves_no_copy_behind(tmp_path: Path, scratch: Path) -> None:
    book = by_openpyxl(tmp_path / "book.xlsx")
    with Package(book) as package:
        reader.read_snapshot(package)
    assert list(scratch.iterdir()) == []


def test_a_damaged_workbook_leaves_no_copy(tmp_path: Path, scratch: Path) -> None:
    book = by_openpyxl(tmp_path / "book.xlsx")
    with Package(book) as package:
        sheet = next(i for i in package.infos if i.filename.startswith("xl/worksheets/"))
        sheet.header_offset += 1  # its local header is not where the directory says
        with (
            pytest.raises(zipfile.BadZipFile),
            calamine_copy.calamine_copy(package, [sheet.filename]),
        ):
            pass
    assert list(scratch.iterdir()) == []
