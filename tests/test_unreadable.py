"""Whatever file staff hand the job, a line that says what it is and what to do (exit 2),
never a traceback; a damaged workbook names the newest backup."""

from __future__ import annotations

import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetcrm.cli import execute
from sheetcrm.excel.save import BACKUP_DIR

SHEET = "xl/worksheets/sheet1.xml"


def good(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([["Customer ID", "Name"], ["C1", "Ana"], ["C2", "Eva"]]):
        sheet.write_row(r, 0, row)
    book.close()
    return path


def rewrite(path: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    source = good(path.with_suffix(".src"))
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                out.writestr(info, data)
    return path


def write(content: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return make


def cut_in_half(path: Path) -> Path:
    data = good(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def bad_checksum(path: Path) -> Path:
    data = bytearray(good(path).read_bytes())
    info = zipfile.ZipFile(path).getinfo(SHEET)
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 5] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


def strict(path: Path) -> Path:
    """Excel's "Strict Open XML Spreadsheet": the same parts in the purl.oclc.org namespaces."""
    renames = [
        (
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        ),
        (
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        ),
    ]

    def edit(name: str, data: bytes) -> bytes:
        for transitional, strict_ in renames:
            data = data.replace(transitional, strict_)
        if name == "xl/workbook.xml":
            data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        return data

    return rewrite(path, edit)


CASES = [
    ("empty", write(b""), "the file is empty."),
    (
        "password or .xls",
        write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)),
        "this is a password-protected workbook or an old .xls file; save it in Excel as .xlsx "
        "(File > Info > Protect Workbook: remove the password), then run again",
    ),
    (
        "CSV renamed",
        write(b"Customer ID,Name\nC1,Ana\n"),
        "this is a text file (CSV?), not a workbook; open it in Excel and save as .xlsx",
    ),
    (
        "ODS renamed",
        ods,
        "this is a LibreOffice .ods file renamed; save it as .xlsx in LibreOffice",
    ),
    ("cut in half", cut_in_half, "the workbook is damaged or cut short (File is not a zip file)."),
    (
        "sheet XML cut in half",
        lambda p: rewrite(p, lambda n, d: d[: len(d) // 2] if n == SHEET else d),
        "the workbook is damaged or cut short (",
    ),
    ("bad checksum", bad_checksum, "the workbook is damaged or cut short ("),
    (
        "Strict Open XML",
        strict,
        "this workbook is saved as Strict Open XML, which the job does not write; in Excel use "
        'File > Save As and choose "Excel Workbook (*.xlsx)" (not "Strict Open XML '
        'Spreadsheet"), then run again',
    ),
]


def config_for(folder: Path) -> Path:
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\n", "utf-8")
    return config


@pytest.mark.parametrize(("case", "make", "message"), CASES, ids=[c[0] for c in CASES])
def test_an_unreadable_workbook_is_one_line_and_exit_2(
    case: str,
    make: Callable[[Path], Path],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book = make(tmp_path / "crm.xlsx")
    for command in ("check", "sync"):
        assert execute(["-c", str(config_for(tmp_path)), command, "--today", "2027-02-01"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"Error: {book}: {message}"), err
        assert err.count("\n") == 1


def test_a_damaged_workbook_names_the_newest_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut_in_half(tmp_path / "crm.xlsx")
    backups = tmp_path / BACKUP_DIR
    backups.mkdir()
    for stamp in ("20270101-080000-000000", "20270102-080000-000000"):
        shutil.copy(good(tmp_path / "x.xlsx"), backups / f"crm.{stamp}.xlsx")
    assert execute(["-c", str(config_for(tmp_path)), "check"]) == 2
    newest = backups / "crm.20270102-080000-000000.xlsx"
    assert (
        capsys.readouterr()
        .err.rstrip()
        .endswith(f"The newest backup is {newest}: copy it over the workbook to restore it.")
    )


def test_a_workbook_given_as_the_settings_file_is_told_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = good(tmp_path / "crm.xlsx")
    assert execute(["-c", str(book), "check"]) == 2
    assert capsys.readouterr().err == (
        f"Error: {book} is not a settings file (not UTF-8 text): give -c the settings.yaml "
        "that names the workbook, not the workbook itself\n"
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_damaged_package_never_ends_in_a_traceback(tmp_path: Path, data: st.DataObject) -> None:
    source = good(tmp_path / "source.xlsx")
    with zipfile.ZipFile(source) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    victim = data.draw(st.sampled_from(sorted(members)))
    damage = data.draw(st.sampled_from(["truncate", "drop", "garble", "flip"]))
    rng = random.Random(data.draw(st.integers(0, 2**16)))
    content = members[victim]
    if damage == "truncate":
        members[victim] = content[: rng.randrange(len(content) + 1)]
    elif damage == "drop":
        del members[victim]
    elif damage == "garble":
        at = rng.randrange(len(content) + 1)
        members[victim] = content[:at] + b"<&\xff>" + content[at:]
    book = tmp_path / "crm.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    if damage == "flip":
        raw = bytearray(book.read_bytes())
        raw[rng.randrange(len(raw))] ^= 0xFF
        book.write_bytes(bytes(raw))
    config = config_for(tmp_path)
    for command in ("check", "sync"):
        assert execute(["-c", str(config), command, "--today", "2027-02-01"]) in (0, 1, 2, 3)
