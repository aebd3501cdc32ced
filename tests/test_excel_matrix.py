"""The rest of the fixture matrix of issue 16: what staff and their tools put in a register
that the job must write around, each synced twice (the second time later, so tiers change).

Each shape is made by xlsxwriter, with the XML edited by hand where no writer here produces
it (an x14-only rule, x14 dropdowns, threaded comments, an .xlsm's VBA part), and again as
LibreOffice re-saves it. After each sync: the rules Excel enforces hold, the Open XML SDK finds
nothing new, every cell of staff's columns and every part the job does not own is byte for
byte the same, and LibreOffice reads the tiers sync wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.worksheet.formula import ArrayFormula

from sheetcrm import sync
from sheetcrm.settings import load_settings
from tests.excel_fixtures import cells, csv_of_every_sheet, members, resave_with_libreoffice
from tests.xlsx_rules import assert_sync_kept_it_valid, problems_of, sdk_errors

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["Customer ID", "Name", "Phone", "Source"]
CUSTOMERS = [
    ["C1", "Ana Ruiz", "+34 612 345 678", "Feria"],
    ["C2", "Luis Gil", "+34 699 000 111", "Web"],
    ["C3", "Eva Sanz", "+34 622 345 678", "Feria"],
]
ORDER_DAYS = [dt.datetime(2027, 1, 10 + i) for i in range(6)]
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"


def register(path: Path, shape: Callable[[xlsxwriter.Workbook, object], None] | None = None,
             **options: object) -> Path:  # fmt: skip
    """The register, the orders (real dates) and a Lists sheet, with `shape` applied."""
    book = xlsxwriter.Workbook(str(path), options)
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([HEADER, *CUSTOMERS]):
        sheet.write_row(r, 0, row)
    if shape is not None:
        shape(book, sheet)
    orders = book.add_worksheet("Orders")
    orders.write_row(0, 0, ["Order ID", "Date", "Customer ID", "Amount"])
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i, when in enumerate(ORDER_DAYS):
        orders.write_row(1 + i, 0, [f"O{i}"])
        orders.write_datetime(1 + i, 1, when, day)
        orders.write_row(1 + i, 2, [f"C{1 + i % 3}", 1000 * (i + 1)])
    lists = book.add_worksheet("Lists")
    lists.write_column(0, 0, ["Feria", "Web", "Referido"])
    book.close()
    return path


def edit_part(path: Path, edits: dict[str, Callable[[bytes], bytes]],
              added: dict[str, bytes] | None = None) -> Path:  # fmt: skip
    """Rewrite the named members through their edit; add `added` members."""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            edit = edits.get(info.filename)
            zout.writestr(info, edit(data) if edit else data)
        for name, data in (added or {}).items():
            zout.writestr(name, data)
    shutil.move(copy, path)
    return path


def before_end(tag: bytes, addition: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert tag in data
        return data.replace(tag, addition + tag, 1)

    return edit


def with_ext(extension: bytes) -> Callable[[bytes], bytes]:
    """The sheet with an extLst (last of the worksheet's children) holding `extension`."""

    def edit(data: bytes) -> bytes:
        data = data.replace(
            b"<worksheet ", f'<worksheet xmlns:x14="{X14}" xmlns:xm="{XM}" '.encode(), 1
        )
        return before_end(b"</worksheet>", b"<extLst>" + extension + b"</extLst>")(data)

    return edit


def x14_only_rule(path: Path) -> Path:
    """An icon set only Excel 2010+ knows (3 stars): the rule lives in the sheet's extLst
    alone, with priority 1, which the job's rules must not take again."""
    rule = (
        '<ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings>'
        '<x14:conditionalFormatting xmlns:xm="' + XM + '"><x14:cfRule type="iconSet" '
        'priority="1" id="{00000000-0000-0000-0000-000000000001}"><x14:iconSet iconSet="3Stars">'
        '<x14:cfvo type="percent"><xm:f>0</xm:f></x14:cfvo><x14:cfvo type="percent"><xm:f>33'
        '</xm:f></x14:cfvo><x14:cfvo type="percent"><xm:f>67</xm:f></x14:cfvo></x14:iconSet>'
        "</x14:cfRule><xm:sqref>A2:A4</xm:sqref></x14:conditionalFormatting>"
        "</x14:conditionalFormattings></ext>"
    ).encode()
    return edit_part(register(path), {SHEET: with_ext(rule)})


def x14_dropdown(path: Path) -> Path:
    """A dropdown on Source offering the Lists sheet's words, kept as Excel 2010 keeps a list
    on another sheet: in the extLst, as x14:dataValidation."""
    validation = (
        b'<ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1">'
        b'<x14:dataValidation type="list" allowBlank="1" showErrorMessage="1"><x14:formula1>'
        b"<xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>D2:D200</xm:sqref>"
        b"</x14:dataValidation></x14:dataValidations></ext>"
    )
    return edit_part(register(path), {SHEET: with_ext(validation)})


def threaded_comments(path: Path) -> Path:
    """A legacy note on C1 (xlsxwriter) and, as Excel 365 writes a comment thread, its
    threadedComments part and the workbook's persons part."""
    register(path, lambda book, sheet: sheet.write_comment("A2", "VIP since 2020"))  # type: ignore[attr-defined]
    ns = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    person = "{11111111-2222-3333-4444-555555555555}"
    thread = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="{ns}">'
        f'<threadedComment ref="A2" dT="2027-01-05T10:00:00.00" personId="{person}" '
        'id="{AAAAAAAA-0000-0000-0000-000000000001}"><text>VIP since 2020</text>'
        "</threadedComment></ThreadedComments>"
    ).encode()
    persons = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="{ns}">'
        f'<person displayName="Marta" id="{person}" userId="marta@example.com" '
        'providerId="None"/></personList>'
    ).encode()
    rel = "http://schemas.microsoft.com/office/2017/10/relationships"
    content = "application/vnd.ms-excel"
    return edit_part(
        path,
        {
            "[Content_Types].xml": before_end(
                b"</Types>",
                (
                    '<Override PartName="/xl/threadedComments/threadedComment1.xml" '
                    f'ContentType="{content}.threadedcomments+xml"/>'
                    '<Override PartName="/xl/persons/person.xml" '
                    f'ContentType="{content}.person+xml"/>'
                ).encode(),
            ),
            "xl/worksheets/_rels/sheet1.xml.rels": before_end(
                b"</Relationships>",
                (
                    f'<Relationship Id="rId90" Type="{rel}/threadedComment" '
                    'Target="../threadedComments/threadedComment1.xml"/>'
                ).encode(),
            ),
            "xl/_rels/workbook.xml.rels": before_end(
                b"</Relationships>",
                (
                    f'<Relationship Id="rId90" Type="{rel}/person" Target="persons/person.xml"/>'
                ).encode(),
            ),
        },
        {"xl/threadedComments/threadedComment1.xml": thread, "xl/persons/person.xml": persons},
    )


def array_formula(path: Path) -> Path:
    """A column of staff's formulas right of the data, one of them an array formula."""

    def shape(book: xlsxwriter.Workbook, sheet: object) -> None:
        sheet.write("E1", "Initials")  # type: ignore[attr-defined]
        sheet.write_array_formula("E2:E2", "{=LEFT(B2:B2,1)}")  # type: ignore[attr-defined]
        sheet.write_formula("E3", "=LEFT(B3,1)")  # type: ignore[attr-defined]
        sheet.write_formula("E4", "=LEFT(B4,1)")  # type: ignore[attr-defined]

    return register(path, shape)


def rich_header(path: Path) -> Path:
    """Header cells typed with two fonts in one cell (rich text in the shared strings)."""

    def shape(book: xlsxwriter.Workbook, sheet: object) -> None:
        bold = book.add_format({"bold": True})
        sheet.write_rich_string("A1", bold, "Customer", " ID")  # type: ignore[attr-defined]
        sheet.write_rich_string("B1", "Na", bold, "me")  # type: ignore[attr-defined]

    return register(path, shape)


def outlined_columns(path: Path) -> Path:
    """Phone and Source grouped in an outline (Data > Group), collapsed and hidden."""

    def shape(book: xlsxwriter.Workbook, sheet: object) -> None:
        sheet.set_column("C:D", 14, None, {"level": 1, "hidden": True})  # type: ignore[attr-defined]
        sheet.set_column("E:E", None, None, {"collapsed": True})  # type: ignore[attr-defined]

    return register(path, shape)


def dates_1904(path: Path) -> Path:
    """A workbook on the 1904 date system (old Mac Excel): the order dates' serials are
    1,462 days smaller than in 1900 workbooks."""
    return register(path, None, date_1904=True)


VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b'Attribute VB_Name = "Module1"' * 4


def macro_workbook(path: Path) -> Path:
    """An .xlsm: the workbook's content type is macro-enabled and a vbaProject part hangs off
    the workbook (its bytes are Excel's; the job must carry them over untouched)."""
    register(path)
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return edit_part(
        path,
        {
            "[Content_Types].xml": lambda data: before_end(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
            )(data.replace(main, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")),
            "xl/_rels/workbook.xml.rels": before_end(
                b"</Relationships>",
                b'<Relationship Id="rId91" Type="http://schemas.microsoft.com/office/2006/'
                b'relationships/vbaProject" Target="vbaProject.bin"/>',
            ),
            "xl/workbook.xml": lambda data: data.replace(
                b"<workbookPr", b'<workbookPr codeName="ThisWorkbook"', 1
            ),
        },
        {"xl/vbaProject.bin": VBA},
    )


SHAPES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "x14-only conditional format": ("crm.xlsx", x14_only_rule),
    "x14 dropdown from another sheet": ("crm.xlsx", x14_dropdown),
    "legacy and threaded comments": ("crm.xlsx", threaded_comments),
    "array formula": ("crm.xlsx", array_formula),
    "rich-text header": ("crm.xlsx", rich_header),
    "outlined, hidden columns": ("crm.xlsx", outlined_columns),
    "1904 dates": ("crm.xlsx", dates_1904),
    ".xlsm": ("crm.xlsm", macro_workbook),
}
STAFF_COLUMNS = re.compile(r"[A-E]\d+")
OWNED_SHEETS = ("Problems", "Tier A", "Tier B", "Tier C", "Tier D", "Outbox", "Tier history")


def sync_on(book: Path, today: dt.date) -> sync.SyncReport:
    config = book.parent / "settings.yaml"
    config.write_text(f"workbook: {book.name}\nlanguage: en\n", "utf-8")
    report = sync.run(load_settings(config), today=today)
    assert report.result is not None
    return report


# What the job may rewrite: the register and the orders (their owned columns), the lists of
# sheets, names, styles, strings and types, and what Excel recomputes. Nothing else.
TOUCHED = {
    SHEET, "xl/worksheets/sheet2.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
    "xl/styles.xml", "xl/sharedStrings.xml", "[Content_Types].xml", "docProps/app.xml",
    "xl/calcChain.xml",
}  # fmt: skip


def parts_not_owned(book: Path) -> dict[str, bytes]:
    return {n: d for n, d in members(book).items() if n not in TOUCHED}


def staff_cells(book: Path) -> dict[str, bytes]:
    """The register's cells in columns A–E, as XML."""
    with zipfile.ZipFile(book) as z:
        xml = z.read(SHEET)
    return {ref: c for ref, c in cells(xml).items() if STAFF_COLUMNS.fullmatch(ref)}


def staff_values(book: Path) -> list[list[object]]:
    """The register's values left of the job's first column."""
    sheet = openpyxl.load_workbook(book, keep_vba=book.suffix == ".xlsm")["Customers"]
    header = [c.value for c in sheet[1]]
    width = header.index("Problems") if "Problems" in header else len(header)
    return [[_plain(c.value) for c in row[:width]] for row in sheet.iter_rows()]


def _plain(value: object) -> object:
    if isinstance(value, ArrayFormula):
        return ("array formula", value.ref, value.text)
    return value


def made(shape: str, folder: Path, resaved: bool) -> Path:
    name, make = SHAPES[shape]
    book = make(folder / name)
    if resaved:
        resaved_book = resave_with_libreoffice(book, folder)
        shutil.move(resaved_book, book)
    return book


def synced_twice_and_checked(book: Path) -> None:
    assert problems_of(book) == []
    sdk_before = sdk_errors(book)
    kept, values = parts_not_owned(book), staff_values(book)
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        report = sync_on(book, today)
        assert report.errors == 0, [p.line("en") for p in report.problems]
        assert_sync_kept_it_valid(book, sdk_before)
        assert {n: d for n, d in parts_not_owned(book).items() if n in kept} == kept
        assert staff_values(book) == values


@pytest.mark.parametrize("shape", list(SHAPES))
def test_sync_writes_around_what_staff_keep(shape: str, tmp_path: Path) -> None:
    book = made(shape, tmp_path, resaved=False)
    before = staff_cells(book)
    synced_twice_and_checked(book)
    after = staff_cells(book)
    assert {ref: after.get(ref) for ref in before} == before  # byte for byte


@pytest.mark.libreoffice
@pytest.mark.parametrize("shape", list(SHAPES))
def test_libreoffice_resaves_then_reads_what_sync_wrote(shape: str, tmp_path: Path) -> None:
    book = made(shape, tmp_path, resaved=True)
    synced_twice_and_checked(book)
    text = csv_of_every_sheet(book, tmp_path / "read")["Customers"]
    header, *rows = list(csv.reader(io.StringIO(text)))
    tiers = [row[header.index("Tier")] for row in rows[:3]]
    assert set(tiers) <= {"A", "B", "C", "D"} and all(tiers)


def test_1904_dates_are_read_and_written_on_the_workbook_s_own_calendar(tmp_path: Path) -> None:
    book = dates_1904(tmp_path / "crm.xlsx")
    sync_on(book, dt.date(2027, 2, 1))
    sheet = openpyxl.load_workbook(book)["Customers"]
    header = [c.value for c in sheet[1]]
    last = [sheet.cell(r, header.index("Last purchase") + 1).value for r in (2, 3, 4)]
    # C1 bought on Jan 13 (O3), C2 on Jan 14, C3 on Jan 15: the days the staff typed.
    assert last == [dt.datetime(2027, 1, 13), dt.datetime(2027, 1, 14), dt.datetime(2027, 1, 15)]


def test_an_xlsm_stays_macro_enabled_with_its_vba_untouched(tmp_path: Path) -> None:
    book = macro_workbook(tmp_path / "crm.xlsm")
    sync_on(book, dt.date(2027, 2, 1))
    after = members(book)
    assert after["xl/vbaProject.bin"] == VBA
    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in after["[Content_Types].xml"]
    assert "Tier A" in openpyxl.load_workbook(book, keep_vba=True).sheetnames
