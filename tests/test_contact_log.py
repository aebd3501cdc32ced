"""A shop's own workbook, in the words its staff type: a status dropdown (潜在,成交,流失) and
a contact log with a "how" (方式) and a "what" (类型) column. Nothing they offer is an error,
and a complaint typed under the "what" column reaches its owner first [001][004]."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import python_calamine
import xlsxwriter

from sheetcrm import sync
from sheetcrm.errors import ConfigError
from sheetcrm.rules.plan_settings import Action
from sheetcrm.settings import load_settings
from sheetcrm.vocabulary import Status

TODAY = dt.date(2027, 3, 1)

SHOPS = {
    "zh-Hans": {
        "sheets": ("客户", "跟进记录", "员工"),
        "register": ["客户编号", "姓名", "电话", "客户状态", "负责人"],
        "customers": [
            ["C1", "王芳", "138 0013 8000", "成交", "李娜"],
            ["C2", "陈静", "139 0013 9000", "潜在", "李娜"],
            ["C3", "赵磊", "136 0013 6000", "流失", "李娜"],
        ],
        "log": ["日期", "客户编号", "方式", "类型", "内容", "是否解决"],
        "contacts": [
            ["2027-02-20", "C1", "电话", "投诉", "安装延误", "否"],
            ["2027-02-21", "C2", "拜访", "回访", "介绍新款", None],
            ["2027-02-22", "C1", "短信", "问候", "", None],
        ],
        "staff": [["姓名", "在职"], ["李娜", "是"]],
    },
    "zh-Hant": {  # a Taiwanese shop
        "sheets": ("客戶資料", "聯絡紀錄", "業務人員"),
        "register": ["客戶編號", "客戶名稱", "行動電話", "客戶狀態", "負責業務"],
        "customers": [
            ["C1", "林怡君", "+886 912 345 678", "成交", "陳志明"],
            ["C2", "張家豪", "+886 922 345 678", "潛在", "陳志明"],
            ["C3", "黃淑芬", "+886 932 345 678", "流失", "陳志明"],
        ],
        "log": ["日期", "客戶編號", "方式", "類型", "內容摘要", "是否解決"],
        "contacts": [
            ["2027-02-20", "C1", "電話", "客訴", "安裝延誤", "否"],
            ["2027-02-21", "C2", "親訪", "回訪", "介紹新款", None],
            ["2027-02-22", "C1", "簡訊", "問候", "", None],
        ],
        "staff": [["姓名", "在職狀態"], ["陳志明", "在職"]],
    },
    "es": {  # a shop in Spain
        "sheets": ("Clientes", "Seguimiento", "Comerciales"),
        "register": ["Nº cliente", "Nombre y apellidos", "Teléfono móvil", "Estado", "Comercial"],
        "customers": [
            ["C1", "Lucía Fernández", "+34 612 345 678", "Cliente habitual", "Marta Ruiz"],
            ["C2", "Javier Moreno", "+34 622 345 678", "Potencial", "Marta Ruiz"],
            ["C3", "Elena Navarro", "+34 632 345 678", "Perdido", "Marta Ruiz"],
        ],
        "log": ["Fecha", "Nº cliente", "Medio", "Motivo", "Comentarios", "Resuelto"],
        "contacts": [
            ["2027-02-20", "C1", "Teléfono", "Incidencia", "retraso en la instalación", "No"],
            ["2027-02-21", "C2", "Visita", "Seguimiento", "nuevos modelos", None],
            ["2027-02-22", "C1", "SMS", "Felicitación", "", None],
        ],
        "staff": [["Nombre", "Activo"], ["Marta Ruiz", "Sí"]],
    },
    "es-MX": {  # a sales team in Mexico
        "sheets": ("Clientes", "Actividades", "Vendedores"),
        "register": ["Núm. cliente", "Nombre", "Celular", "Estatus", "Asesor"],
        "customers": [
            ["C1", "Guadalupe Hernández", "+52 55 1234 5678", "Cliente", "Jorge Ramírez"],
            ["C2", "José Martínez", "+52 55 2234 5678", "Prospecto", "Jorge Ramírez"],
            ["C3", "María López", "+52 55 3234 5678", "Inactivo", "Jorge Ramírez"],
        ],
        "log": ["Fecha", "Núm. cliente", "Canal", "Tipo", "Notas", "Resuelto"],
        "contacts": [
            ["2027-02-20", "C1", "Llamada", "Queja", "entrega tardía", "No"],
            ["2027-02-21", "C2", "Visita", "Seguimiento", "cotización enviada", None],
            ["2027-02-22", "C1", "WhatsApp", "Saludo", "", None],
        ],
        "staff": [["Vendedor", "Estatus"], ["Jorge Ramírez", "Activo"]],
    },
    "en": {
        "sheets": ("Customers", "Activities", "Staff"),
        "register": ["Customer ID", "Name", "Phone", "Lifecycle Stage", "Owner"],
        "customers": [
            ["C1", "Mary Johnson", "+1 415 236 7788", "customer", "Kim Lee"],
            ["C2", "Tom Baker", "+1 415 236 7789", "opportunity", "Kim Lee"],
            ["C3", "Ann Clark", "+1 415 236 7790", "Former Customer", "Kim Lee"],
        ],
        "log": ["Date", "Customer ID", "Channel", "Type", "Notes", "Resolved"],
        "contacts": [
            ["2027-02-20", "C1", "Phone", "Complaint", "late install", "no"],
            ["2027-02-21", "C2", "Visit", "Follow-up", "new models", None],
            ["2027-02-22", "C1", "SMS", "Greeting", "", None],
        ],
        "staff": [["Name", "Active"], ["Kim Lee", "yes"]],
    },
}


def shop_workbook(folder: Path, language: str) -> Path:
    shop = SHOPS[language]
    register, log, staff = shop["sheets"]
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    sheet = book.add_worksheet(register)
    for r, row in enumerate([shop["register"], *shop["customers"]]):
        sheet.write_row(r, 0, row)
    # The status column's own dropdown: the shop's vocabulary.
    words = sorted({row[3] for row in shop["customers"]})
    sheet.data_validation(1, 3, 200, 3, {"validate": "list", "source": words})
    contacts = book.add_worksheet(log)
    for r, row in enumerate([shop["log"], *shop["contacts"]]):
        contacts.write_row(r, 0, row)
    people = book.add_worksheet(staff)
    for r, row in enumerate(shop["staff"]):
        people.write_row(r, 0, row)
    book.close()
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\ndates: {day_first: false}\nphone_region: CN\n", "utf-8")
    return config


@pytest.mark.parametrize("language", list(SHOPS))
def test_the_shop_s_own_words_raise_no_problem(language: str, tmp_path: Path) -> None:
    settings = load_settings(shop_workbook(tmp_path, language))
    report = sync.check(settings, today=TODAY)
    assert [(p.cell, p.code) for p in report.problems] == []
    # ...and the words were read, not skipped: the statuses the dropdown offers.
    computed = sync.compute(settings, settings_snapshot(settings), TODAY)
    statuses = [c.status.value if c.status else None for c in computed.validated.customers]
    assert statuses == ["customer", "prospect", "lost"]


@pytest.mark.parametrize("language", list(SHOPS))
def test_a_complaint_under_the_what_column_heads_its_owner_s_list(
    language: str, tmp_path: Path
) -> None:
    settings = load_settings(shop_workbook(tmp_path, language))
    computed = sync.compute(settings, settings_snapshot(settings), TODAY)
    (c1_first_contact, *_) = [c for c in computed.validated.contacts if c.customer_id == "C1"]
    assert (c1_first_contact.type.value, c1_first_contact.channel) == ("complaint", "call")
    owner = SHOPS[language]["staff"][1][0]
    first = computed.plans.tasks[owner][0]
    assert (first.customer_id, first.due.action) == ("C1", Action.COMPLAINT)


def settings_snapshot(settings: object) -> sync.Snapshot:
    return sync.open_backend(settings).read()  # type: ignore[arg-type]


def register_with_a_word_of_its_own(folder: Path, extra_settings: str = "") -> Path:
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    sheet = book.add_worksheet("客户")
    sheet.write_row(0, 0, ["客户编号", "姓名", "客户状态"])
    for r in range(1, 8):
        sheet.write_row(r, 0, [f"C{r}", f"客户{r}", "合作伙伴" if r <= 6 else "成交"])
    book.close()
    config = folder / "settings.yaml"
    config.write_text(f"workbook: crm.xlsx\n{extra_settings}", "utf-8")
    return config


def test_an_unknown_word_is_one_problem_that_names_its_cells_and_the_fix(tmp_path: Path) -> None:
    settings = load_settings(register_with_a_word_of_its_own(tmp_path))
    report = sync.check(settings, today=TODAY)
    (problem,) = report.problems
    assert (problem.cell, problem.code, problem.value) == ("C2", "enum.unknown_word", "合作伙伴")
    assert problem.message("zh-Hans") == (
        "「合作伙伴」无法识别（共 6 个单元格：C2, C3, C4, C5, C6, …）；应为 访客 / 潜在客户 / "
        "成交客户 / 流失 之一（英文、西班牙文均可）。"
        "如果它表示其中之一，请在 settings.yaml 中加上："
        "vocabulary: {status: {<visitor|prospect|customer|lost>: [合作伙伴]}}"
    )
    assert "visitante / prospecto / cliente / perdido" in problem.message("es")
    # Each row that holds the word points at the one problem from its problems cell.
    report = sync.run(settings, today=TODAY)
    register = python_calamine.CalamineWorkbook.from_path(str(settings.workbook))
    rows = register.get_sheet_by_name("客户").to_python()
    problems_column = rows[0].index("问题")
    assert [bool(row[problems_column]) for row in rows[1:]] == [True] * 6 + [False]


def test_the_shop_maps_its_own_word_in_settings(tmp_path: Path) -> None:
    vocabulary = "vocabulary:\n  status:\n    customer: [合作伙伴]\n"
    settings = load_settings(register_with_a_word_of_its_own(tmp_path, vocabulary))
    assert sync.check(settings, today=TODAY).problems == ()
    computed = sync.compute(settings, settings_snapshot(settings), TODAY)
    assert {c.status for c in computed.validated.customers} == {Status.CUSTOMER}


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        (
            "vocabulary:\n  stage:\n    customer: [x]\n",
            "settings.yaml line 3: vocabulary.stage: no such list of words; known: status, "
            "contact, gender, yes_no, calendar, tier, satisfaction",
        ),
        (
            "vocabulary:\n  status:\n    partner: [x]\n",
            "settings.yaml line 4: vocabulary.status.partner: expected one of visitor, "
            "prospect, customer, lost",
        ),
    ],
)
def test_a_vocabulary_that_names_nothing_is_refused(
    vocabulary: str, message: str, tmp_path: Path
) -> None:
    config = register_with_a_word_of_its_own(tmp_path, vocabulary)
    with pytest.raises(ConfigError) as raised:
        load_settings(config)
    assert str(raised.value).replace(str(config), "settings.yaml") == message


def register_with_dropdowns(folder: Path, status_words: list[str], typed: list[str]) -> Path:
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    sheet = book.add_worksheet("客户")
    sheet.write_row(0, 0, ["客户编号", "姓名", "客户状态", "性别"])
    for r, word in enumerate(typed, start=1):
        sheet.write_row(r, 0, [f"C{r}", f"客户{r}", word, "女"])
    sheet.data_validation(1, 2, 300, 2, {"validate": "list", "source": status_words})
    lists = book.add_worksheet("选项")
    lists.write_column(0, 0, ["男", "女"])
    sheet.data_validation(1, 3, 300, 3, {"validate": "list", "source": "=选项!$A$1:$A$2"})
    book.close()
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\n", "utf-8")
    return config


def test_every_word_a_dropdown_offers_is_checked_once(tmp_path: Path) -> None:
    config = register_with_dropdowns(tmp_path, ["潜在", "成交", "流失", "合作伙伴"], ["成交"])
    (problem,) = sync.check(load_settings(config), today=TODAY).problems
    assert (problem.cell, problem.code, problem.value) == (
        "C1",
        "enum.dropdown_unknown",
        "合作伙伴",
    )
    assert problem.message("en").startswith("this column's dropdown offers '合作伙伴'")


def test_cells_with_a_dropdown_s_unknown_word_join_its_one_problem(tmp_path: Path) -> None:
    config = register_with_dropdowns(tmp_path, ["成交", "合作伙伴"], ["合作伙伴", "合作伙伴"])
    (problem,) = sync.check(load_settings(config), today=TODAY).problems
    assert (problem.cell, problem.row, problem.also) == ("C1", 0, (1, 2))


def test_an_x14_list_on_another_sheet_is_read_as_a_dropdown() -> None:
    # How Excel stores a dropdown whose list lives on another sheet (in the sheet's extLst).
    from io import BytesIO

    from sheetcrm.excel.reader import scan_sheet

    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData/><extLst><ext><x14:dataValidations count="1">'
        b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1>'
        b"<xm:f>'\xe9\x80\x89\xe9\xa1\xb9'!$A$1:$A$3</xm:f></x14:formula1>"
        b"<xm:sqref>C2:C500</xm:sqref></x14:dataValidation></x14:dataValidations>"
        b"</ext></extLst></worksheet>"
    )
    assert scan_sheet(BytesIO(xml)).dropdowns == [("C2:C500", "'选项'!$A$1:$A$3")]


@pytest.mark.parametrize(
    ("headers", "cells", "name"),
    [
        (["Record ID", "First Name", "Last Name"], ["C1", "Mary", "Johnson"], "Mary Johnson"),
        (["客户编号", "名", "姓"], ["C1", "芳", "王"], "王芳"),
        (["Nº cliente", "Nombre", "Apellidos"], ["C1", "Ana", "García López"], "Ana García López"),
        (["Customer ID", "Name", "Last Name"], ["C1", "Ana Ruiz", "Ruiz"], "Ana Ruiz"),
    ],
    ids=["HubSpot export", "名 + 姓", "Nombre + Apellidos", "already whole"],
)
def test_a_name_split_in_two_columns_is_read_whole(
    headers: list[str], cells: list[str], name: str, tmp_path: Path
) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, headers)
    sheet.write_row(1, 0, cells)
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\n", "utf-8")
    settings = load_settings(config)
    assert sync.check(settings, today=TODAY).problems == ()
    computed = sync.compute(settings, settings_snapshot(settings), TODAY)
    assert [c.name for c in computed.validated.customers] == [name]


def test_nothing_is_skipped_in_silence(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("客户")
    sheet.write_row(0, 0, ["客户编号", "姓名", "客户手机号"])  # holds 手机: likely the phone
    sheet.write_row(1, 0, ["C1", "王芳", "138 0013 8000"])
    log = book.add_worksheet("沟通日志")  # not a name sheetcrm knows
    log.write_row(0, 0, ["日期", "客户编号", "方式", "内容"])
    log.write_row(1, 0, ["2027-02-01", "C1", "电话", "回访"])
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\n", "utf-8")
    report = sync.check(load_settings(config), today=TODAY)
    found = {(p.sheet, p.cell, p.code, dict(p.params)["fix"]) for p in report.problems}
    assert found == {
        ("客户", "C1", "column.unread", "headers: {customers: {phone: [客户手机号]}}"),
        ("沟通日志", "A1", "sheet.unread", "sheets: {visits: 沟通日志}"),
    }
