"""The optional Tiers sheet [issue 3]: managers set shares, weights and thresholds there; a bad
value is a problem on its cell and settings.yaml's value stands."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue
from sheetcrm.rules.plan_settings import Action, PlanSettings
from sheetcrm.settings import TierSettings
from sheetcrm.tier_sheet import apply_tier_sheet
from sheetcrm.vocabulary import Tier
from tests.test_manager_views import register_book, run

BASE = TierSettings()


def sheet(*rows: list[CellValue]) -> RawSheet:
    return RawSheet("Tiers", [list(r) for r in rows])


@pytest.mark.parametrize(
    ("rows", "path", "expected"),
    [
        ([["Share A", 10], ["Share C", 45]], ("shares", "A"), Decimal(10)),
        ([["A类占比", "10%"], ["C类占比", "45%"]], ("shares", "C"), Decimal(45)),
        # A cell formatted as a percentage holds the fraction.
        ([["Proporción A", 0.1], ["Proporción C", 0.45]], ("shares", "A"), Decimal(10)),
        ([["金额权重", 50], ["频次权重", 10]], ("weights", "amount"), Decimal(50)),
        ([["A類門檻", "十万"]], ("thresholds", "A"), Decimal(100_000)),
        ([["门槛依据", "统计期"]], ("thresholds", "basis"), "window"),
        ([["Method", "thresholds"]], ("method",), "thresholds"),
        ([["分级方法", "利润排名"]], ("method",), "profit_rank"),
        ([["Días de ventana", 180]], ("window_days",), 180),
        ([["VIP月累计", "30000"]], ("vip", "monthly"), Decimal(30_000)),
    ],
)
def test_a_value_in_the_sheet_replaces_the_setting(
    rows: list[list[CellValue]], path: tuple[str, ...], expected: object
) -> None:
    result = apply_tier_sheet(sheet(["Parameter", "Value"], *rows), BASE)
    assert result.problems == []
    value: object = result.tiers
    for step in path:
        value = getattr(value, step)
    assert value == expected


@pytest.mark.parametrize(
    ("rows", "cell", "code"),
    [
        ([["Share A", "lots"]], "B2", "tiers.bad_percent"),
        ([["A类门槛", "很多"]], "B2", "tiers.bad_amount"),
        ([["Method", "random"]], "B2", "tiers.bad_method"),
        ([["统计天数", 36.5]], "B2", "tiers.bad_days"),
        ([["统计天数", "50%"]], "B2", "tiers.bad_days"),
        ([["A类短信间隔（月）", "三"]], "B2", "tiers.bad_months"),
        # Shares that no longer add up to 100: the whole group stays as in settings.yaml.
        ([["Share A", 10]], "B2", "tiers.group_shares"),
        ([["Weight amount", 120]], "B2", "tiers.group_weights"),
        ([["Threshold B", 90_000]], "B2", "tiers.group_thresholds"),
        ([["Window days", 0]], "B2", "tiers.group_window_days"),
    ],
)
def test_a_bad_value_is_a_problem_and_settings_yaml_stands(
    rows: list[list[CellValue]], cell: str, code: str
) -> None:
    result = apply_tier_sheet(sheet(["Parameter", "Value"], *rows), BASE)
    assert [(p.cell, p.code, p.severity.value) for p in result.problems] == [(cell, code, "error")]
    assert result.tiers == BASE


def test_an_unknown_row_is_a_warning_and_the_rest_still_counts() -> None:
    rows = sheet(["Share A", 10], ["Share C", 45], ["Colour of A", "green"])
    result = apply_tier_sheet(rows, BASE)
    assert [(p.cell, p.code, p.severity.value) for p in result.problems] == [
        ("A3", "tiers.unknown", "warning")
    ]
    assert result.tiers.shares.A == 10


def test_sync_ranks_with_the_shares_of_the_tiers_sheet(tmp_path: Path) -> None:
    # Ranked: C3 70, C2 50, C1 30. With A at 40%, ⌈0.4 · 3⌉ = 2: C3 and C2 are A.
    book = register_book(tmp_path / "crm.xlsx")
    wb = openpyxl.load_workbook(book)
    tiers = wb.create_sheet("等级设置")
    rows = (
        ["参数", "值"],
        ["A类占比", "40%"],
        ["B类占比", 0],
        ["C类占比", 30],
        ["金额权重", "很多"],
    )
    for row in rows:
        tiers.append(row)
    wb.save(book)
    report = run(book)
    assert [(p.sheet, p.cell, p.code) for p in report.problems] == [
        ("等级设置", "B5", "tiers.bad_percent")
    ]
    values = openpyxl.load_workbook(book)["A类客户"].iter_rows(min_row=2, values_only=True)
    assert [r[0] for r in values] == ["C3", "C2"]


@pytest.mark.parametrize(
    ("label", "value", "tier", "action", "months"),
    [
        ("A类短信间隔（月）", 2, Tier.A, Action.SMS_GREETING, 2),
        ("SMS every (months) C", "3", Tier.C, Action.SMS_GREETING, 3),
        ("B類上門間隔（月）", 6, Tier.B, Action.HOME_VISIT, 6),
        ("Visita cada (meses) A", 24, Tier.A, Action.HOME_VISIT, 24),
    ],
)
def test_managers_set_how_often_each_tier_is_greeted_and_visited(
    label: str, value: CellValue, tier: Tier, action: Action, months: int
) -> None:
    result = apply_tier_sheet(sheet([label, value]), BASE, PlanSettings())
    assert result.problems == []
    every = {i.action: i.months for i in result.plans.tiers[tier].every}
    assert every[action] == months
    # The rest of that tier's plan stays as settings.yaml says.
    assert len(result.plans.tiers[tier].every) == len(PlanSettings().tiers[tier].every)


def test_the_callback_after_an_order_and_a_bad_interval() -> None:
    result = apply_tier_sheet(
        sheet(["售后回访天数", 3], ["A类短信间隔（月）", 0]), BASE, PlanSettings()
    )
    assert result.plans.order_callback_days == 3
    assert [(p.cell, p.code) for p in result.problems] == [("B2", "tiers.group_plans")]
    assert result.plans.tiers[Tier.A] == PlanSettings().tiers[Tier.A]
