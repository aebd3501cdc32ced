"""The Excel backend on its own: polite, atomic, keyed by id, and exact about what it writes."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from sheetcrm.errors import BackendError
from sheetcrm.excel import ExcelBackend
from sheetcrm.plan import CellWrite, GeneratedSheet, OwnedColumn, SheetWrites, WritePlan
from tests.xlsx_rules import problems_of

HEADER = ["ID", "Name", "Phone"]


def book(
    path: Path,
    rows: list[list[object]],
    *,
    table: bool = False,
    date1904: bool = False,
    extra: dict[tuple[int, int], object] | None = None,
    header: list[str] = HEADER,
) -> Path:
    options = {"strings_to_formulas": False, "date_1904": date1904}
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("Customers")
    data = [header, *rows]
    if table:
        sheet.add_table(
            0,
            0,
            len(rows),
            len(HEADER) - 1,
            {"data": rows, "columns": [{"header": h} for h in HEADER]},
        )
    else:
        for r, row in enumerate(data):
            sheet.write_row(r, 0, row)
    for (r, c), value in (extra or {}).items():
        sheet.write(r, c, value)
    workbook.close()
    return path


def plan(values: dict[str, object], *, kind: str = "text", header: str = "Problems") -> WritePlan:
    return WritePlan(
        sheets=(
            SheetWrites(
                sheet="Customers",
                anchor="ID",
                key_header="ID",
                owned=(OwnedColumn(header, kind),),
                cells=tuple(CellWrite(k, header, v) for k, v in values.items()),
            ),
        )
    )


def values(path: Path, sheet: str = "Customers") -> list[list[object]]:
    rows: list[list[object]] = (
        python_calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )
    return rows


ROWS = [["C1", "Ana", "600"], ["C2", "Eva", "601"], ["C3", "Luz", "602"]]


def test_values_go_to_the_rows_of_their_ids(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    result = backend.write(plan({"C3": "three", "C1": "one"}), backend.read())
    assert result.changed and result.cells_written == 3  # two values and the new header
    assert [r[3] for r in values(path)] == ["Problems", "one", "", "three"]


def test_rows_sorted_between_syncs_keep_their_own_values(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one", "C3": "three"}), backend.read())
    shuffled = [[*r[:3]] for r in reversed(values(path)[1:])]
    # Staff sorted the register descending; C3's cell holds an outdated value.
    book(
        path,
        [[*r, "stale" if r[0] == "C3" else ""] for r in shuffled],
        header=[*HEADER, "Problems"],
    )
    backend.write(plan({"C1": "one", "C3": "three"}), backend.read())
    got = {r[0]: r[3] for r in values(path)[1:]}
    assert got == {"C3": "three", "C2": "", "C1": "one"}


def test_a_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    backend.write(
        plan({"C1": '=HYPERLINK("http://x")', "C2": "+1-2", "C3": "@SUM(A1)"}), backend.read()
    )
    sheet = openpyxl.load_workbook(path)["Customers"]
    assert [(c.value, c.data_type) for c in sheet["D"][1:]] == [
        ('=HYPERLINK("http://x")', "s"),
        ("+1-2", "s"),
        ("@SUM(A1)", "s"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "tab\tand\nnewline",
        "windows\r\nline",
        "bell\x07 and vt\x0b",
        "literal _x000B_ stays",
        "  spaces  ",
        "<&>",
        "中文 ñ é",
        "x" * 40_000,
    ],
)
def test_any_text_round_trips(tmp_path: Path, text: str) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": text}), backend.read())
    # Read back with calamine: openpyxl leaves _xHHHH_ escapes of inline strings undecoded.
    got = values(path)[1][3]
    expected = text if len(text) <= 32_767 else text[:32_766] + "…"
    assert got == expected


@pytest.mark.parametrize("date1904", [False, True])
def test_dates_are_written_as_dates_in_the_workbook_epoch(tmp_path: Path, date1904: bool) -> None:
    path = book(tmp_path / "b.xlsx", ROWS, date1904=date1904)
    backend = ExcelBackend(path, backups=0)
    backend.write(
        plan({"C2": dt.date(2027, 3, 5)}, kind="date", header="Next contact"), backend.read()
    )
    assert values(path)[2][3] == dt.date(2027, 3, 5)
    assert openpyxl.load_workbook(path)["Customers"]["D3"].value == dt.datetime(2027, 3, 5)


def test_a_text_with_a_carriage_return_is_not_rewritten_by_the_next_sync(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "line\r\nbreak"}), backend.read())
    assert not backend.write(plan({"C1": "line\r\nbreak"}), backend.read()).changed


def test_a_second_identical_write_changes_nothing(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    the_plan = plan({"C2": dt.date(2027, 3, 5)}, kind="date", header="Next contact")
    backend.write(the_plan, backend.read())
    first = path.read_bytes()
    assert not backend.write(the_plan, backend.read()).changed
    assert path.read_bytes() == first


def test_staff_data_without_a_header_is_never_overwritten(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS, extra={(2, 3): "my own note"})
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one"}), backend.read())
    rows = values(path)
    assert rows[2][3] == "my own note"
    assert rows[0][4] == "Problems" and rows[1][4] == "one"


def test_a_register_formatted_as_a_table_keeps_a_valid_table(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS, table=True)
    with zipfile.ZipFile(path) as z:
        table_before = z.read("xl/tables/table1.xml")
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one"}), backend.read())
    with zipfile.ZipFile(path) as z:
        table_after = z.read("xl/tables/table1.xml")
    # The owned column joins the table; staff's filter is the table's, none on the sheet.
    assert table_after != table_before
    assert b'ref="A1:D4"' in table_after and b'<autoFilter ref="A1:D4"/>' in table_after
    assert b'<tableColumn id="4" name="Problems"/>' in table_after
    assert b'tableColumns count="4"' in table_after
    assert problems_of(path) == []
    sheet = openpyxl.load_workbook(path)["Customers"]
    assert [c.value for c in sheet[1]] == [*HEADER, "Problems"]
    assert sheet.auto_filter.ref is None
    assert len(sheet.tables) == 1


@pytest.mark.parametrize("lock", ["~$b.xlsx", ".~lock.b.xlsx#"])
def test_an_open_workbook_is_not_written(tmp_path: Path, lock: str) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    snapshot = backend.read()
    (tmp_path / lock).write_text("")
    before = path.read_bytes()
    with pytest.raises(BackendError, match=f"lock file {lock.replace('$', '[$]')}"):
        backend.write(plan({"C1": "one"}), snapshot)
    assert path.read_bytes() == before


def test_edits_made_after_the_read_win(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    snapshot = backend.read()
    book(path, [*ROWS, ["C4", "Sol", "603"]])  # staff saved meanwhile
    edited = path.read_bytes()
    with pytest.raises(BackendError, match="changed since it was read; staff edits win"):
        backend.write(plan({"C1": "one"}), snapshot)
    assert path.read_bytes() == edited


STAFF_SAVE_PHASES = ["while the package is patched", "between the last check and the rename"]


@pytest.mark.parametrize("phase", STAFF_SAVE_PHASES)
@pytest.mark.parametrize("how", ["in place", "by rename, as Excel saves"])
def test_a_staff_save_during_the_write_is_never_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, phase: str, how: str
) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    staff = book(tmp_path / "staff.xlsx", [*ROWS, ["C4", "Sol", "603"]]).read_bytes()
    backend = ExcelBackend(path, backups=1)
    snapshot = backend.read()

    def staff_saves() -> None:
        if how == "in place":
            path.write_bytes(staff)
        else:
            (tmp_path / "saving.tmp").write_bytes(staff)
            os.replace(tmp_path / "saving.tmp", path)

    import sheetcrm.excel.backend as excel_backend
    import sheetcrm.excel.save as excel_save

    if phase == STAFF_SAVE_PHASES[0]:
        patch = excel_backend._write_package

        def patching(*args: object) -> None:
            patch(*args)  # type: ignore[arg-type]
            staff_saves()

        monkeypatch.setattr(excel_backend, "_write_package", patching)
        expected = "changed since it was read; staff edits win"
    else:
        hold = excel_save._hold

        def holding(p: Path) -> Path | None:
            staff_saves()  # lands after the last check, right before the rename
            return hold(p)

        monkeypatch.setattr(excel_save, "_hold", holding)
        expected = "was saved by someone else while sync was writing; their version is back"
    with pytest.raises(BackendError, match=expected):
        backend.write(plan({"C1": "one"}), snapshot)
    assert path.read_bytes() == staff
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".b.")) == []


def test_temporary_files_of_a_killed_run_are_cleaned_up(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    stale = [tmp_path / ".b.x1y2z3.tmp", tmp_path / ".b.replaced-4242.xlsx"]
    for left in stale:
        left.write_bytes(b"left by a run killed mid-write")
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one"}), backend.read())
    assert not any(p.exists() for p in stale)


def test_backups_keep_the_last_n_versions(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=2)
    for n in range(4):
        backend.write(plan({"C1": f"v{n}"}), backend.read())
    kept = sorted((tmp_path / ".sheetcrm-backups").iterdir())
    assert len(kept) == 2
    assert values(kept[-1])[1][3] == "v2"  # the version before the last write
    assert values(kept[0])[1][3] == "v1"


def test_the_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", ROWS)
    os.chmod(path, 0o640)
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one"}), backend.read())
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_staff_sheet_named_like_a_generated_one_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Customers").write_row(0, 0, HEADER)
    workbook.add_worksheet("Problems").write_row(0, 0, ["My own list"])
    workbook.close()
    backend = ExcelBackend(path, backups=0)
    report = GeneratedSheet("Problems", ("Sheet", "Cell"), (("Customers", "A2"),))
    with pytest.raises(BackendError, match="has a sheet 'Problems' that sheetcrm did not make"):
        backend.write(WritePlan(generated=(report,)), backend.read())


def test_formulas_and_error_values_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Customers")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["C1", "Ana"])
    sheet.write_formula(1, 2, "=NA()", None, "#N/A")
    sheet.write_formula(2, 1, "=UPPER(B2)", None, "")
    workbook.close()
    snapshot = ExcelBackend(path).read()
    sheet_read = snapshot.sheets["Customers"]
    assert sheet_read.errors == {(1, 2): "#N/A"}
    assert sheet_read.formulas == {(1, 2), (2, 1)}


# TRUE equals 1 and FALSE equals 0 in Python: read in any order, each keeps its own type.
# (calamine gives every xlsx number as a float.)
YES_NO_AND_NUMBERS = [
    pytest.param([1, True, 1, True], [1.0, True, 1.0, True], id="a number, then TRUE"),
    pytest.param([True, 1, True, 1], [True, 1.0, True, 1.0], id="TRUE, then a number"),
    pytest.param([0, False, 0.0, False], [0.0, False, 0.0, False], id="a zero, then FALSE"),
    pytest.param([False, 0, False, 0], [False, 0.0, False, 0.0], id="FALSE, then a zero"),
    pytest.param([2.5, 3800, 2.5, 3800.0], [2.5, 3800.0, 2.5, 3800.0], id="amounts"),
]


@pytest.mark.parametrize(("written", "read"), YES_NO_AND_NUMBERS)
def test_yes_no_cells_and_numbers_keep_their_type(
    tmp_path: Path, written: list[object], read: list[object]
) -> None:
    path = tmp_path / "b.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Customers")
    sheet.write_row(0, 0, ["ID", "Value"])
    for r, value in enumerate(written, start=1):
        sheet.write_string(r, 0, f"C{r}")
        if isinstance(value, bool):
            sheet.write_boolean(r, 1, value)
        else:
            sheet.write_number(r, 1, value)
    workbook.close()
    column = [row[1] for row in ExcelBackend(path).read().sheets["Customers"].rows[1:]]
    assert [(type(v), v) for v in column] == [(type(v), v) for v in read]


def test_an_amount_repeated_down_a_column_is_one_object(tmp_path: Path) -> None:
    """An order list repeats its prices: read once each, not once per row."""
    path = tmp_path / "b.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Orders")
    sheet.write_row(0, 0, ["Order", "Amount"])
    for r in range(1, 5):
        sheet.write_row(r, 0, [f"O{r}", 5200])
    workbook.close()
    amounts = [row[1] for row in ExcelBackend(path).read().sheets["Orders"].rows[1:]]
    assert amounts == [5200.0] * 4
    assert len({id(a) for a in amounts}) == 1


MINIMAL = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
    'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
    'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http:'
    '//schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
    't="inlineStr"><is><t>ID</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>C1'
    "</t></is></c></row></sheetData></worksheet>",
}


def test_a_workbook_without_styles_gets_a_registered_styles_part(tmp_path: Path) -> None:
    path = tmp_path / "minimal.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in MINIMAL.items():
            z.writestr(name, text)
    backend = ExcelBackend(path, backups=0)
    report = GeneratedSheet("Problems", ("Sheet", "Cell"), (("Customers", "A2"),))
    the_plan = plan({"C1": dt.date(2027, 3, 5)}, kind="date", header="Next contact")
    backend.write(WritePlan(sheets=the_plan.sheets, generated=(report,)), backend.read())
    with zipfile.ZipFile(path) as z:
        assert "xl/styles.xml" in z.namelist()
        assert b"styles" in z.read("xl/_rels/workbook.xml.rels")
        assert b"/xl/styles.xml" in z.read("[Content_Types].xml")
    loaded = openpyxl.load_workbook(path)
    assert loaded["Customers"]["B2"].value == dt.datetime(2027, 3, 5)
    assert loaded["Problems"]["A2"].value == "Customers"


def test_an_owned_cell_that_held_a_formula_drops_the_stale_calc_chain(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Customers")
    sheet.write_row(0, 0, [*HEADER, "Problems"])
    sheet.write_row(1, 0, ROWS[0])
    sheet.write_formula(1, 3, '="typed by staff"', None, "typed by staff")
    workbook.close()
    with zipfile.ZipFile(path, "a") as z:  # xlsxwriter writes no calc chain: add one
        z.writestr(
            "xl/calcChain.xml",
            '<calcChain xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><c r="D2" i="1"/></calcChain>',
        )
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one"}), backend.read())
    with zipfile.ZipFile(path) as z:
        assert "xl/calcChain.xml" not in z.namelist()
        assert b'fullCalcOnLoad="1"' in z.read("xl/workbook.xml")
    assert values(path)[1][3] == "one"


def test_macros_in_an_xlsm_are_kept_byte_for_byte(tmp_path: Path) -> None:
    project = tmp_path / "vbaProject.bin"
    project.write_bytes(bytes(range(256)) * 16)
    path = tmp_path / "b.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Customers").write_row(0, 0, HEADER)
    workbook.worksheets()[0].write_row(1, 0, ROWS[0])
    workbook.add_vba_project(str(project))
    workbook.close()
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in z.namelist()}
    backend = ExcelBackend(path, backups=0)
    backend.write(plan({"C1": "one"}), backend.read())
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/vbaProject.bin") == before["xl/vbaProject.bin"] == project.read_bytes()
        assert z.read("[Content_Types].xml") == before["[Content_Types].xml"]
    assert values(path)[1][3] == "one"


def test_a_workbook_opened_while_sync_writes_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel opens the workbook after the first check, while the new version is being
    written: the last-moment check sees its lock file and leaves the workbook as it is."""
    import sheetcrm.excel.backend as excel_backend

    path = book(tmp_path / "b.xlsx", ROWS)
    backend = ExcelBackend(path, backups=0)
    snapshot = backend.read()
    before = path.read_bytes()
    patch = excel_backend._write_package

    def excel_opens_it(*args: object) -> None:
        patch(*args)  # type: ignore[arg-type]
        (tmp_path / "~$b.xlsx").write_bytes(b"\x03Kim" + bytes(40))

    monkeypatch.setattr(excel_backend, "_write_package", excel_opens_it)
    with pytest.raises(
        BackendError, match=r"open in another program by Kim .* Nothing was written"
    ):
        backend.write(plan({"C1": "one"}), snapshot)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".b.*.tmp"))  # its own temp file is gone
