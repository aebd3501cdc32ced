"""A register formatted as an Excel table stays one table, whoever made it.

Each fixture is made by xlsxwriter or openpyxl (and LibreOffice's re-save of them), synced
twice, the second time later so that tiers change; after each sync the package keeps the
rules Excel enforces (tests/xlsx_rules.py), the table covers the owned columns with a
column per header, no sheet-level filter overlaps it, and LibreOffice reads the tiers.
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
from openpyxl.worksheet.table import Table, TableStyleInfo

from sheetcrm import sync
from sheetcrm.cli import execute
from sheetcrm.settings import load_settings
from tests.excel_fixtures import csv_of_every_sheet, resave_with_libreoffice
from tests.xlsx_rules import assert_sync_kept_it_valid, parse_ref, problems_of, sdk_errors

HEADER = ["Customer ID", "Name", "Phone", "Spend"]
CUSTOMERS = [
    ["C1", "Ana Ruiz", "+34 612 345 678", 100],
    ["C2", "Luis Gil", "12345", 200],
    ["C3", "Eva Sanz", "+34 622 345 678", 300],
]
ORDERS = [["Order ID", "Date", "Customer ID", "Amount"]] + [
    [f"O{i}", f"2027-01-{10 + i:02d}", f"C{1 + i % 3}", 1000 * (i + 1)] for i in range(6)
]


def _orders(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet("Orders")
    for r, row in enumerate(ORDERS):
        sheet.write_row(r, 0, row)


def xlsxwriter_table(path: Path, **options: object) -> Path:
    """The register as a table, as Excel's "Format as Table" or xlsxwriter writes it."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    columns = [{"header": h} for h in HEADER]
    rows = len(CUSTOMERS)
    last = "D"
    if options.get("calculated"):
        columns.append({"header": "Double", "formula": "=[@Spend]*2"})
        last = "E"
    if options.get("totals"):
        columns[0]["total_string"] = "Total"
        columns[3]["total_function"] = "sum"
        rows += 1
    sheet.add_table(
        f"A1:{last}{rows + 1}",
        {"data": CUSTOMERS, "columns": columns, "total_row": bool(options.get("totals"))},
    )
    _orders(book)
    book.close()
    return path


def filtered_table(path: Path) -> Path:
    """The table filtered to two sources by its own buttons, the other rows hidden, as Excel
    saves it (xlsxwriter writes no table criteria: the table part is edited by hand)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.add_table(
        f"A1:D{len(CUSTOMERS) + 1}",
        {"data": CUSTOMERS, "columns": [{"header": h} for h in HEADER]},
    )
    sheet.set_row(2, None, None, {"hidden": True})  # Luis Gil, filtered out
    _orders(book)
    book.close()
    criteria = (
        b'<filterColumn colId="1"><filters><filter val="Ana Ruiz"/><filter val="Eva Sanz"/>'
        b"</filters></filterColumn>"
    )
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/tables/"):
                data = re.sub(
                    rb"(<autoFilter\b[^>]*?)/>", rb"\1>" + criteria + rb"</autoFilter>", data
                )
                assert criteria in data
            z.writestr(info, data)
    shutil.move(copy, path)
    return path


def openpyxl_table(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Customers"
    for row in [HEADER, *CUSTOMERS]:
        sheet.append(row)
    table = Table(displayName="Register", ref=f"A1:D{len(CUSTOMERS) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
    sheet.add_table(table)
    orders = book.create_sheet("Orders")
    for row in ORDERS:
        orders.append(row)
    book.save(path)
    return path


MAKERS: dict[str, Callable[[Path], Path]] = {
    "xlsxwriter": xlsxwriter_table,
    "xlsxwriter, totals row": lambda p: xlsxwriter_table(p, totals=True),
    "xlsxwriter, calculated column": lambda p: xlsxwriter_table(p, calculated=True),
    "openpyxl": openpyxl_table,
    "xlsxwriter, filtered, rows hidden": filtered_table,
}


def sync_on(book: Path, today: dt.date) -> None:
    config = book.parent / "settings.yaml"
    config.write_text(f"workbook: {book.name}\nlanguage: en\n", "utf-8")
    report = sync.run(load_settings(config), today=today)
    assert report.result is not None


def register_table(book: Path) -> bytes:
    with zipfile.ZipFile(book) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/tables/")]
        assert len(parts) == 1
        return z.read(parts[0])


@pytest.mark.parametrize("maker", list(MAKERS))
def test_the_register_table_grows_over_the_owned_columns(maker: str, tmp_path: Path) -> None:
    book = MAKERS[maker](tmp_path / "crm.xlsx")
    assert problems_of(book) == []
    sdk_before = sdk_errors(book)
    for today in (dt.date(2027, 2, 1), dt.date(2027, 9, 1)):
        sync_on(book, today)
        assert_sync_kept_it_valid(book, sdk_before)
        sheet = openpyxl.load_workbook(book)["Customers"]
        assert sheet.auto_filter.ref is None  # the table's own filter is the register's
        (table,) = sheet.tables.values()
        top, left, bottom, right = parse_ref(table.ref)
        headers = [sheet.cell(1, c).value for c in range(left, right + 1)]
        assert [c.name for c in table.tableColumns] == headers
        assert {"Problems", "Tier", "Next contact"} <= set(headers)
        rows = len(CUSTOMERS) + 1 + (1 if table.totalsRowCount else 0)
        assert (top, bottom) == (1, rows)
    if "totals" in maker:
        assert sheet.cell(rows, 1).value == "Total"  # the totals row stayed last
    if "filtered" in maker:  # staff's filter and the rows it hides are as they left them
        assert [f.colId for f in table.autoFilter.filterColumn] == [1]
        assert sheet.row_dimensions[3].hidden


def test_the_totals_row_is_a_sum_not_a_customer(tmp_path: Path) -> None:
    book = xlsxwriter_table(tmp_path / "crm.xlsx", totals=True)
    sync_on(book, dt.date(2027, 2, 1))
    workbook = openpyxl.load_workbook(book)
    problems = [row[1] for row in workbook["Problems"].iter_rows(min_row=2, values_only=True)]
    assert problems == ["C3"]  # Luis Gil's phone, and nothing about the row "Total"
    listed = [
        row[0]
        for name in ("Tier A", "Tier B", "Tier C", "Tier D")
        for row in workbook[name].iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(listed) == ["C1", "C2", "C3"]
    totals = workbook["Customers"][len(CUSTOMERS) + 2]
    kept = ["Total", None, None, "=SUBTOTAL(109,[Spend])", None, None]
    assert [c.value for c in totals[:6]] == kept  # and no problem or tier written into it


def test_rows_typed_below_the_table_join_it(tmp_path: Path) -> None:
    book = xlsxwriter_table(tmp_path / "crm.xlsx")
    sync_on(book, dt.date(2027, 2, 1))
    grown = openpyxl.load_workbook(book)
    grown["Customers"].append(["C4", "Sol Vega", "+34 632 345 678", 50])
    grown.save(book)  # a tool that did not extend the table, as Excel would have
    sync_on(book, dt.date(2027, 2, 2))
    assert problems_of(book) == []
    (table,) = openpyxl.load_workbook(book)["Customers"].tables.values()
    assert parse_ref(table.ref)[2] == len(CUSTOMERS) + 2


def test_a_column_that_would_fall_inside_another_table_is_refused(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    sheet.add_table("A1:D4", {"data": CUSTOMERS, "columns": [{"header": h} for h in HEADER]})
    sheet.add_table("F1:G2", {"data": [["x", "y"]], "name": "Prices"})
    _orders(book)
    book.close()
    path = tmp_path / "crm.xlsx"
    before = path.read_bytes()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    with pytest.raises(Exception, match="would fall inside the table at F1:G2"):
        sync.run(load_settings(config), today=dt.date(2027, 2, 1))
    assert path.read_bytes() == before


PIVOT_CACHE = (
    '<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'refreshOnLoad="1"><cacheSource type="worksheet"><worksheetSource ref="A1:D4" '
    'sheet="Customers"/></cacheSource><cacheFields count="2">'
    '<cacheField name="Name" numFmtId="0"><sharedItems/></cacheField>'
    '<cacheField name="Spend" numFmtId="0"><sharedItems containsNumber="1"/></cacheField>'
    "</cacheFields></pivotCacheDefinition>"
)
PIVOT_TABLE = (
    '<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'name="Spend by name" cacheId="1" dataCaption="Values"><location ref="F1:G5" '
    'firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/><pivotFields count="2">'
    '<pivotField axis="axisRow" showAll="0"><items count="1"><item t="default"/></items>'
    '</pivotField><pivotField dataField="1" showAll="0"/></pivotFields>'
    '<rowFields count="1"><field x="0"/></rowFields><dataFields count="1">'
    '<dataField name="Sum of Spend" fld="1" baseField="0" baseItem="0"/></dataFields>'
    "</pivotTableDefinition>"
)


def with_pivot_table(path: Path) -> Path:
    """A register with a pivot table laid out right of it whose cells are left to Excel's
    refresh on open (as EPPlus and ClosedXML write them): the sheet's cells there are empty.
    Made by hand-editing the parts of an xlsxwriter file."""
    source = path.with_suffix(".src.xlsx")
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([HEADER, *CUSTOMERS]):
        sheet.write_row(r, 0, row)
    _orders(book)
    book.close()
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    content = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    added = {
        "xl/pivotCache/pivotCacheDefinition1.xml": PIVOT_CACHE,
        "xl/pivotTables/pivotTable1.xml": PIVOT_TABLE,
        "xl/pivotTables/_rels/pivotTable1.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/pivotCacheDefinition" '
            'Target="../pivotCache/pivotCacheDefinition1.xml"/></Relationships>'
        ),
        "xl/worksheets/_rels/sheet1.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/pivotTable" '
            'Target="../pivotTables/pivotTable1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    (
                        '<Override PartName="/xl/pivotTables/pivotTable1.xml" '
                        f'ContentType="{content}.pivotTable+xml"/>'
                        '<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" '
                        f'ContentType="{content}.pivotCacheDefinition+xml"/></Types>'
                    ).encode(),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    (
                        f'<Relationship Id="rId99" Type="{rel}/pivotCacheDefinition" '
                        'Target="pivotCache/pivotCacheDefinition1.xml"/></Relationships>'
                    ).encode(),
                )
            elif info.filename == "xl/workbook.xml":
                data = re.sub(  # after calcPr, in schema order
                    rb"(<calcPr\b[^>]*/>)",
                    rb'\1<pivotCaches><pivotCache cacheId="1" r:id="rId99"/></pivotCaches>',
                    data,
                )
                assert b"<pivotCaches>" in data
            z.writestr(info, data)
        for name, text in added.items():
            z.writestr(name, text)
    return path


def test_no_sheet_filter_over_a_table_below_the_register(tmp_path: Path) -> None:
    """Staff keep a small table under the register (excelize's Book1 has one): Excel would
    delete a sheet filter that reaches it, so the register gets none."""
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([HEADER, *CUSTOMERS]):
        sheet.write_row(r, 0, row)
    sheet.add_table("A8:B10", {"data": [["Gold", 10], ["Silver", 5]], "name": "Levels"})
    _orders(book)
    book.close()
    path = tmp_path / "crm.xlsx"
    sdk_before = sdk_errors(path)
    sync_on(path, dt.date(2027, 2, 1))
    assert_sync_kept_it_valid(path, sdk_before)
    assert openpyxl.load_workbook(path)["Customers"].auto_filter.ref is None


@pytest.mark.parametrize("command", ["check", "sync"])
def test_a_column_that_would_fall_inside_a_pivot_table_is_refused(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = with_pivot_table(tmp_path / "crm.xlsx")
    before = book.read_bytes()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    assert execute(["-c", str(config), command, "--today", "2027-02-01"]) == 3
    assert capsys.readouterr().err == (
        "Error: sheet 'Customers': the column for 'Tier' would fall inside the pivot table at "
        "F1:G5; leave free columns right of the register (move that pivot table), then run "
        "sync again\n"
    )
    assert book.read_bytes() == before


@pytest.mark.libreoffice
def test_libreoffice_resave_of_a_table_register(tmp_path: Path) -> None:
    original = xlsxwriter_table(tmp_path / "made.xlsx", totals=True)
    book = tmp_path / "crm.xlsx"
    shutil.move(resave_with_libreoffice(original, tmp_path), book)
    assert problems_of(book) == []
    sdk_before = sdk_errors(book)
    sync_on(book, dt.date(2027, 2, 1))
    assert_sync_kept_it_valid(book, sdk_before)
    text = csv_of_every_sheet(book, tmp_path / "read")["Customers"]
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert "Tier" in header and "Problems" in header
    tiers = [row[header.index("Tier")] for row in rows[:3]]
    assert set(tiers) <= {"A", "B", "C", "D"} and any(tiers)
