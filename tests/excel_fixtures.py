"""Staff workbooks with everything openpyxl's load/save would lose, built with xlsxwriter,
and the same workbook as LibreOffice saves it."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

REGISTER = "客户"
HEADER = ["客户编号", "姓名", "电话", "生日", "名字长度"]
CUSTOMERS = [
    ["C001", "王芳", "138 0013 8000", dt.date(1980, 3, 5)],
    ["C002", "李明", "12345", dt.date(1975, 6, 1)],
    ["C003", "José Martínez", "+34 612 345 678", "31/02/1990"],
    ["C004", "陈静", "１３９ ００１３ ９０００", None],
]


def tiny_png() -> bytes:
    """A 2×2 red PNG, made here so the test needs no file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def staff_workbook(path: Path, tmp: Path) -> Path:
    """A register with a title row, formulas, a chart, an image, a text box, a sparkline, a
    2010 data bar, data validation, comments, an autofilter, frozen panes; a table on another
    sheet; and an unrelated sheet."""
    image = tmp / "logo.png"
    image.write_bytes(tiny_png())
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(REGISTER)
    sheet.merge_range("A1:E1", "2027 客户名单", bold)
    sheet.write_row(1, 0, HEADER, bold)
    for r, row in enumerate(CUSTOMERS, start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif value is not None:
                sheet.write_string(r, c, value)
        sheet.write_formula(r, 4, f"=LEN(B{r + 1})", None, len(str(row[1])))
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, 1 + len(CUSTOMERS), 4)
    sheet.write_comment("B3", "VIP: 喜欢靠窗的座位")
    sheet.data_validation(2, 1, 100, 1, {"validate": "length", "criteria": "<", "value": 50})
    sheet.conditional_format("E3:E6", {"type": "data_bar", "data_bar_2010": True})
    sheet.add_sparkline("G3", {"range": f"{REGISTER}!E3:E6"})
    sheet.insert_image("I2", str(image))
    sheet.insert_textbox("I10", "Do not edit the ids", {"width": 200, "height": 40})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": f"={REGISTER}!$E$3:$E$6", "categories": f"={REGISTER}!$B$3:$B$6"})
    sheet.insert_chart("I14", chart)
    orders = book.add_worksheet("订单")
    orders.add_table(
        "A1:C3",
        {
            "data": [["2027-01-05", "C001", 800], ["2027-01-06", "C002", 90]],
            "columns": [{"header": "日期"}, {"header": "客户编号"}, {"header": "金额"}],
        },
    )
    notes = book.add_worksheet("Notas")
    notes.write_row(0, 0, ["Lo que sea", 42])
    book.define_name("Clientes", f"={REGISTER}!$A$3:$A$6")
    book.close()
    return path


def soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is required in CI: install libreoffice-calc-nogui")
    return found


def libreoffice(args: list[str], tmp: Path) -> None:
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", *args],
        check=True,
        capture_output=True,
        timeout=180,
    )


def resave_with_libreoffice(source: Path, tmp: Path) -> Path:
    out = tmp / "lo-out"
    out.mkdir(parents=True, exist_ok=True)
    # An .xlsm is saved as one (with its macros), whatever else as .xlsx.
    target = "xlsm:Calc MS Excel 2007 VBA XML" if source.suffix == ".xlsm" else "xlsx"
    libreoffice(["--convert-to", target, "--outdir", str(out), str(source)], tmp)
    return out / source.name


def csv_of_every_sheet(book: Path, tmp: Path) -> dict[str, str]:
    """What LibreOffice reads in each sheet, as CSV text, by sheet name."""
    out = tmp / "csv"
    out.mkdir(parents=True, exist_ok=True)
    spec = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    libreoffice(["--convert-to", spec, "--outdir", str(out), str(book)], tmp)
    return {p.stem.removeprefix(book.stem + "-"): p.read_text("utf-8") for p in out.glob("*.csv")}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</(?:\w+:)?c>)', re.S)


def cells(xml: bytes) -> dict[str, bytes]:
    """Each <c> element of a sheet, by its address."""
    return {m.group(1).decode(): m.group(0) for m in _CELL.finditer(xml)}


def outside_sheet_data(xml: bytes) -> bytes:
    """The sheet XML without sheetData and dimension: everything the job must not touch."""
    xml = re.sub(
        rb"<(\w+:)?sheetData\b.*?</(\w+:)?sheetData>|<(\w+:)?sheetData/>", b"", xml, flags=re.S
    )
    return re.sub(rb"<(\w+:)?dimension\b[^>]*/>", b"", xml)
