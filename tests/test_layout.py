"""Columns are found by their header, in any order and any of the four languages."""

from __future__ import annotations

import pytest

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue
from sheetcrm.rules.layout import find_layout, find_sheet_name, guess_language
from sheetcrm.rules.unread import unread_columns
from sheetcrm.schema import FIELDS, SheetKind


def sheet(*rows: list[CellValue], name: str = "S") -> RawSheet:
    return RawSheet(name=name, rows=[list(r) for r in rows])


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        (SheetKind.CUSTOMERS, "客户编号", "id"),
        (SheetKind.CUSTOMERS, "客戶編號", "id"),
        (SheetKind.CUSTOMERS, "ID cliente", "id"),
        (SheetKind.CUSTOMERS, "ＩＤ", "id"),
        (SheetKind.CUSTOMERS, "Customer  ID", "id"),
        (SheetKind.CUSTOMERS, "customer_id", "id"),
        (SheetKind.CUSTOMERS, "E-mail", "email"),
        (SheetKind.CUSTOMERS, "Correo electrónico", "email"),
        (SheetKind.CUSTOMERS, "电子邮件", "email"),
        (SheetKind.CUSTOMERS, "手机号", "phone"),
        (SheetKind.CUSTOMERS, "電話", "phone"),
        (SheetKind.CUSTOMERS, "Teléfono:", "phone"),
        (SheetKind.CUSTOMERS, "Fecha de nacimiento", "birthday"),
        (SheetKind.CUSTOMERS, "负责人", "owner"),
        (SheetKind.CUSTOMERS, "接受推广", "accepts_promotions"),
        (SheetKind.VISITS, "拜访日期", "date"),
        (SheetKind.VISITS, "下次回访日期", "callback"),
        (SheetKind.VISITS, "Tipo", "type"),
        (SheetKind.ORDERS, "合同金额", "amount"),
        (SheetKind.ORDERS, "Beneficio", "profit"),
        (SheetKind.ORDERS, "Coste", "cost"),
        (SheetKind.ORDERS, "訂單編號", "order_id"),
        (SheetKind.STAFF, "是否在职", "active"),
        (SheetKind.STAFF, "Jefe", "manager"),
    ],
)
def test_a_header_in_any_language_names_its_field(kind: SheetKind, header: str, field: str) -> None:
    layout = find_layout(sheet(["Notes of my own", header]), kind)
    assert layout is not None
    assert layout.columns[field] == 1


def test_every_sheet_has_unambiguous_headers() -> None:
    for kind in SheetKind:
        assert find_layout(sheet([f.aliases["en"][0] for f in FIELDS[kind]]), kind) is not None


def test_a_title_row_above_the_header_is_skipped() -> None:
    rows = sheet(["2026 客户名单", None, None], [None, None, None], ["客户编号", "姓名", "电话"])
    layout = find_layout(rows, SheetKind.CUSTOMERS)
    assert layout is not None
    assert layout.header_row == 2
    assert dict(layout.columns) == {"id": 0, "name": 1, "phone": 2}


def test_columns_staff_added_are_kept_but_not_fields() -> None:
    layout = find_layout(sheet(["ID", "Name", "My own column"]), SheetKind.CUSTOMERS)
    assert layout is not None
    assert "My own column" in layout.headers.values()
    assert set(layout.columns) == {"id", "name"}


def test_the_owned_problems_column_is_found_in_another_language() -> None:
    layout = find_layout(sheet(["客户编号", "姓名", "Problemas"]), SheetKind.CUSTOMERS)
    assert layout is not None
    assert layout.owned == {"problems": 2}


def test_a_repeated_column_is_reported_and_the_first_one_read() -> None:
    layout = find_layout(sheet(["ID", "Phone", "Name", "Mobile"]), SheetKind.CUSTOMERS)
    assert layout is not None
    assert layout.columns["phone"] == 1
    assert layout.duplicates == ((3, 1, "phone"),)


@pytest.mark.parametrize(
    ("header", "read"),
    [
        (["Nº pedido", "ID cliente", "Total", "Base imponible"], 3),
        (["Nº pedido", "ID cliente", "Base imponible", "Importe total"], 2),
        (["订单号", "客户编号", "含税金额", "不含税金额"], 3),
        (["Order ID", "Customer ID", "Subtotal", "Total"], 2),
    ],
)
def test_the_amount_before_tax_is_read_beside_a_total_with_tax(
    header: list[str], read: int
) -> None:
    """A Spanish invoice list's Total includes IVA: value and tiers come from the base."""
    layout = find_layout(sheet(header, ["P1", "C1", 121, 100]), SheetKind.ORDERS)
    assert layout is not None
    assert layout.columns["amount"] == read
    assert layout.set_aside == ((5 - read, read, "amount"),)
    assert layout.duplicates == ()


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (["Núm. cliente", "Nombre", "Estado"], 2),  # the customer's state: prospect, lost
        (["Núm. cliente", "Nombre", "Ciudad", "Estado", "CP"], None),  # Jalisco
        (["Núm. cliente", "Nombre", "Dirección", "Colonia", "Municipio", "Estado"], None),
        (["Núm. cliente", "Estado", "Nombre", "Teléfono", "Dirección"], 1),
    ],
)
def test_estado_beside_an_address_is_its_state_not_the_customer_s(
    header: list[str], status: int | None
) -> None:
    register = sheet(header)
    layout = find_layout(register, SheetKind.CUSTOMERS)
    assert layout is not None
    assert layout.columns.get("status") == status
    assert unread_columns(register, layout) == []  # the state is not "skipped in silence"


@pytest.mark.parametrize(
    ("header", "date", "callback"),
    [
        (["客户编号", "回访日期", "回访内容"], 1, None),
        (["客户编号", "回访日期", "下次回访日期"], 1, 2),
        (["客户编号", "下次回访日期", "回访日期"], 2, 1),
        (["客户编号", "日期", "回访日期"], 1, 2),  # a log with its own date: a callback date
        (["ID cliente", "Fecha de seguimiento", "Fecha próximo contacto"], 1, 2),
    ],
)
def test_a_callback_log_is_dated_by_its_callback_date(
    header: list[str], date: int, callback: int | None
) -> None:
    layout = find_layout(sheet(header), SheetKind.VISITS)
    assert layout is not None
    assert (layout.columns.get("date"), layout.columns.get("callback")) == (date, callback)
    assert layout.duplicates == ()


def test_extra_headers_from_settings() -> None:
    layout = find_layout(sheet(["ID", "Name", "Handy"]), SheetKind.CUSTOMERS, {"phone": ["Handy"]})
    assert layout is not None
    assert layout.columns["phone"] == 2


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        (["客户编号", "姓名", "电话", "负责人"], "zh-Hans"),
        (["客戶編號", "姓名", "電話", "負責人"], "zh-Hant"),
        (["ID cliente", "Nombre", "Teléfono"], "es"),
        (["Customer ID", "Name", "Phone"], "en"),
    ],
)
def test_the_workbook_language_follows_the_headers(headers: list[str], language: str) -> None:
    layout = find_layout(sheet(headers), SheetKind.CUSTOMERS)
    assert layout is not None
    assert guess_language([layout]) == language


@pytest.mark.parametrize(
    ("names", "kind", "configured", "found"),
    [
        (["客户", "订单"], SheetKind.CUSTOMERS, None, "客户"),
        (["Hoja1", "Clientes"], SheetKind.CUSTOMERS, None, "Clientes"),
        (["Hoja1", "pedidos"], SheetKind.ORDERS, None, "pedidos"),
        (["Register 2026", "Customers"], SheetKind.CUSTOMERS, "Register 2026", "Register 2026"),
        (["Customers"], SheetKind.CUSTOMERS, "Kunden", None),
        (["Customers"], SheetKind.VISITS, None, None),
    ],
)
def test_sheets_are_found_by_name(
    names: list[str], kind: SheetKind, configured: str | None, found: str | None
) -> None:
    assert find_sheet_name(names, kind, configured) == found


def test_no_owned_header_is_also_a_field_header() -> None:
    """An owned header is recognised on every sheet: it must not steal a field's column."""
    from sheetcrm.rules.layout import OWNED_COLUMNS
    from sheetcrm.schema import FIELDS, normalize_header

    fields = {
        normalize_header(word)
        for kind_fields in FIELDS.values()
        for f in kind_fields
        for words in f.aliases.values()
        for word in words
    }
    owned = {
        word
        for aliases in OWNED_COLUMNS.values()
        for words in aliases.values()
        for word in words
        if normalize_header(word) in fields
    }
    assert owned == set()
