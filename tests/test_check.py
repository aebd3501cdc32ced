"""`check` says what is wrong without ranking the customers or planning their contacts: the
problems it reports are those a sync reports, and it refuses the same layouts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.demo import generate_demo
from sheetcrm.rules.plans import unowned_customers
from sheetcrm.settings import load_settings
from sheetcrm.starter import starter_settings
from sheetcrm.write_plan import layout_plan

TODAY = dt.date(2027, 2, 1)
REASSIGN = "plans:\n  reassign_inactive: true\n"


def _demo(language: str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        generate_demo(folder / "crm.xlsx", customers=300, language=language, today=TODAY)
        return starter_settings(language).replace("customers.xlsx", "crm.xlsx")

    return make


def _chinese_shop(folder: Path) -> str:
    """xlsxwriter: overrides with and without an approver, and owners who left (one with a
    manager to take the customers over, one without), one nobody knows, one missing."""
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    register = book.add_worksheet("客户")
    register.write_row(0, 0, ["客户编号", "姓名", "负责人", "人工等级", "审批人"])
    for r, row in enumerate(
        [
            ["C1", "王芳", "李明", "A类", "张经理"],
            ["C2", "陈静", "李明", "A类", ""],  # an override nobody approved
            ["C3", "刘洋", "赵磊", "", ""],  # left; 张经理 takes over
            ["C4", "黄丽", "孙悦", "", ""],  # left, no manager
            ["C5", "周强", "不认识", "", ""],  # not on the Staff sheet
            ["C6", "吴敏", "", "", ""],  # no owner
        ],
        start=1,
    ):
        register.write_row(r, 0, row)
    orders = book.add_worksheet("订单")
    orders.write_row(0, 0, ["日期", "客户编号", "金额"])
    for r, cid in enumerate(["C1", "C2", "C3", "C4", "C9"], start=1):
        orders.write_row(r, 0, ["2027-01-10", cid, 100 * r])
    staff = book.add_worksheet("员工")
    staff.write_row(0, 0, ["姓名", "在职", "主管"])
    for r, row in enumerate(
        [["李明", "是", "张经理"], ["张经理", "是", ""], ["赵磊", "否", "张经理"],
         ["孙悦", "否", ""]],
        start=1,
    ):  # fmt: skip
        staff.write_row(r, 0, row)
    book.close()
    return "workbook: crm.xlsx\n" + REASSIGN


def _spanish_shop(folder: Path) -> str:
    """openpyxl: a Spanish register with an unapproved override and a salesman who left."""
    book = openpyxl.Workbook()
    register = book.active
    assert register is not None
    register.title = "Clientes"
    register.append(["ID Cliente", "Nombre", "Responsable", "Nivel manual", "Aprobado por"])
    register.append(["C1", "Ana García", "Luis", "A", ""])
    register.append(["C2", "José Pérez", "Marta", "", ""])
    sales = book.create_sheet("Pedidos")
    sales.append(["Fecha", "ID Cliente", "Importe"])
    sales.append([dt.date(2027, 1, 10), "C1", 120])
    staff = book.create_sheet("Personal")
    staff.append(["Nombre", "Activo", "Jefe"])
    staff.append(["Luis", "sí", ""])
    staff.append(["Marta", "no", "Luis"])
    book.save(folder / "crm.xlsx")
    return "workbook: crm.xlsx\n" + REASSIGN


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_demo("zh-Hans"), set()),
        (_demo("zh-Hant"), set()),
        (_demo("en"), set()),
        (_demo("es"), set()),
        (
            _chinese_shop,
            {"tier.override_unapproved", "plan.owner_reassigned", "plan.owner_inactive"},
        ),
        (_spanish_shop, {"tier.override_unapproved", "plan.owner_reassigned"}),
    ],
    ids=["demo zh-Hans", "demo zh-Hant", "demo en", "demo es", "xlsxwriter zh", "openpyxl es"],
)
def test_check_reports_what_a_sync_reports_without_ranking_or_planning(
    tmp_path: Path, make: Callable[[Path], str], expected: set[str]
) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text(make(tmp_path), "utf-8")
    settings = load_settings(config)
    snapshot = sync.open_backend(settings).read()
    full = sync.compute(settings, snapshot, TODAY)
    quick = sync.compute(settings, snapshot, TODAY, problems_only=True)
    assert quick.problems == full.problems
    assert expected <= {p.code for p in full.problems}
    assert full.problems  # every workbook here has something to report
    assert not quick.tiers and not quick.plans.rows  # nothing ranked, nothing planned
    assert layout_plan(settings, quick) == layout_plan(settings, full)
    v = full.validated
    assert unowned_customers(v.customers, v.staff, full.plan_params) == full.plans.unowned
    assert sync.check(settings, today=TODAY).problems == full.problems
