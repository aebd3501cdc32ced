"""An orders sheet as a Spanish shop keeps its invoices: the amount before tax beside the
total with IVA, and the margin as a percentage. Value and tiers come from the amount before
tax [002], the profit from the margin; the run says which column it read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.cli import execute
from sheetcrm.rules.value import order_profit
from sheetcrm.settings import load_settings

TODAY = dt.date(2027, 3, 1)
HEADER = ["Nº factura", "Fecha factura", "Nº cliente", "Base imponible", "IVA", "Total", "Margen %"]
INVOICES = [
    ["F-001", "2027-01-10", "C1", 100, 21, 121, "25%"],
    ["F-002", "2027-01-20", "C2", 200, 42, 242, 0.1],  # a cell formatted as a percentage
    ["F-003", "2027-02-05", "C1", 50, 10.5, 60.5, 40],
]


def shop(folder: Path) -> Path:
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    register = book.add_worksheet("Clientes")
    register.write_row(0, 0, ["Nº cliente", "Nombre y apellidos", "Teléfono móvil"])
    register.write_row(1, 0, ["C1", "Lucía Fernández", "+34 612 345 678"])
    register.write_row(2, 0, ["C2", "Javier Moreno", "+34 622 345 678"])
    orders = book.add_worksheet("Pedidos")
    for r, row in enumerate([HEADER, *INVOICES]):
        orders.write_row(r, 0, row)
    book.close()
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nreport_language: es\n", "utf-8")
    return config


def test_amounts_before_tax_and_profit_from_the_margin(tmp_path: Path) -> None:
    settings = load_settings(shop(tmp_path))
    computed = sync.compute(settings, sync.open_backend(settings).read(), TODAY)
    assert computed.problems == ()
    orders = computed.validated.orders
    assert [o.amount for o in orders] == [Decimal(100), Decimal(200), Decimal(50)]
    assert [order_profit(o) for o in orders] == [Decimal(25), Decimal(20), Decimal(20)]


def test_check_says_which_amount_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = shop(tmp_path)
    assert execute(["-c", str(config), "check", "--today", TODAY.isoformat()]) == 0
    assert (
        "Los importes de Pedidos se leen de Base imponible (sin impuestos), no de Total"
        in capsys.readouterr().out
    )


def test_a_margin_typed_in_the_profit_column_says_how_to_head_it(tmp_path: Path) -> None:
    config = shop(tmp_path)
    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    register = book.add_worksheet("Clientes")
    register.write_row(0, 0, ["Nº cliente", "Nombre y apellidos"])
    register.write_row(1, 0, ["C1", "Lucía Fernández"])
    orders = book.add_worksheet("Pedidos")
    orders.write_row(0, 0, ["Nº factura", "Fecha", "Nº cliente", "Importe", "Margen"])
    orders.write_row(1, 0, ["F-001", "2027-01-10", "C1", 100, "25%"])
    book.close()
    report = sync.check(load_settings(config), today=TODAY)
    (problem,) = report.problems
    assert (problem.cell, problem.code) == ("E2", "amount.percent")
    assert "se lee si se titula Margen %" in problem.message("es")
