"""The optional Tiers sheet: managers change shares, weights and thresholds there without
touching settings.yaml [issue 3].

The sheet holds label | value rows. It is validated like any staff sheet: a value that
cannot be used is a problem on its cell, and that setting (or, when only the combination is
wrong, such as shares that do not add up to 100, its whole group) keeps what settings.yaml
says. Pure: a sheet and the settings in, settings and problems out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, a1, as_text, is_blank
from sheetcrm.problems import Problem, Severity
from sheetcrm.rules.parsers.amounts import parse_amount
from sheetcrm.rules.plan_settings import PlanSettings
from sheetcrm.schema import normalize_header
from sheetcrm.settings import TierSettings
from sheetcrm.vocabulary import Tier

Parsed = str | int | Decimal


@dataclass(frozen=True)
class Parameter:
    path: tuple[str, ...]  # where it goes in TierSettings, e.g. ("shares", "A")
    labels: tuple[str, ...]  # what managers may type, in any of the four languages
    kind: str  # percent | amount | days | months | method | basis


def _p(path: str, kind: str, *labels: str) -> Parameter:
    return Parameter(tuple(path.split(".")), labels, kind)


PARAMETERS: tuple[Parameter, ...] = (
    _p("method", "method", "Method", "分级方法", "分級方法", "Método"),
    _p("window_days", "days", "Window days", "统计天数", "統計天數", "Días de ventana"),
    *(
        _p(f"shares.{t}", "percent", f"Share {t}", f"{t}类占比", f"{t}類占比", f"Proporción {t}")
        for t in "ABCD"
    ),
    _p("weights.amount", "percent", "Weight amount", "金额权重", "金額權重", "Peso importe"),
    _p("weights.profit", "percent", "Weight profit", "利润权重", "利潤權重", "Peso beneficio"),
    _p(
        "weights.frequency",
        "percent",
        "Weight frequency",
        "频次权重",
        "頻次權重",
        "Peso frecuencia",
    ),
    *(
        _p(f"thresholds.{t}", "amount", f"Threshold {t}", f"{t}类门槛", f"{t}類門檻", f"Umbral {t}")
        for t in "AB"
    ),
    _p("thresholds.basis", "basis", "Threshold basis", "门槛依据", "門檻依據", "Base del umbral"),
    _p("vip.single_order", "amount", "VIP single order", "VIP单笔", "VIP單筆", "VIP compra única"),
    _p("vip.monthly", "amount", "VIP monthly", "VIP月累计", "VIP月累計", "VIP mensual"),
    # Maintenance plans [issue 4]: how often each tier is greeted and visited, in months.
    *(
        _p(
            f"plans.sms_greeting.{t}",
            "months",
            f"SMS every (months) {t}",
            f"{t}类短信间隔（月）",
            f"{t}類簡訊間隔（月）",
            f"SMS cada (meses) {t}",
        )
        for t in "ABC"
    ),
    *(
        _p(
            f"plans.home_visit.{t}",
            "months",
            f"Visit every (months) {t}",
            f"{t}类上门间隔（月）",
            f"{t}類上門間隔（月）",
            f"Visita cada (meses) {t}",
        )
        for t in "AB"
    ),
    _p(
        "plans.order_callback_days",
        "days",
        "Callback days after order",
        "售后回访天数",
        "售後回訪天數",
        "Días de seguimiento tras pedido",
    ),
)
# A header row such as "Parameter | Value" is not a parameter.
_HEADER_WORDS = {
    normalize_header(w)
    for w in ("Parameter", "Setting", "参数", "參數", "设置", "設定", "Parámetro", "Ajuste")
}
_WORDS: Mapping[str, Mapping[str, str]] = {
    "method": {
        **dict.fromkeys(("weightedrank", "加权排名", "加權排名", "ponderado"), "weighted_rank"),
        **dict.fromkeys(("thresholds", "消费门槛", "消費門檻", "umbrales"), "thresholds"),
        **dict.fromkeys(("profitrank", "利润排名", "利潤排名", "beneficio"), "profit_rank"),
    },
    "basis": {
        **dict.fromkeys(("lifetime", "累计", "累計", "total"), "lifetime"),
        **dict.fromkeys(("window", "统计期", "統計期", "ventana"), "window"),
    },
}
_LABELS = {normalize_header(label): p for p in PARAMETERS for label in p.labels}


@dataclass(frozen=True)
class _Cell:
    parameter: Parameter
    row: int
    col: int
    value: CellValue


@dataclass(frozen=True)
class SheetSettings:
    tiers: TierSettings
    plans: PlanSettings
    problems: list[Problem]


def apply_tier_sheet(
    sheet: RawSheet,
    base: TierSettings,
    plans: PlanSettings | None = None,
    *,
    decimal_comma: bool | None = None,
) -> SheetSettings:
    """`base` and `plans` with the sheet's values put in; a problem for each value that could
    not be. Amounts are read as on the other sheets (`decimal_comma` from settings.yaml)."""
    problems: list[Problem] = []
    found: list[tuple[_Cell, Parsed]] = []
    for r, row in enumerate(sheet.rows):
        cells = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        if not cells:
            continue
        (label_col, label), *rest = cells
        key = normalize_header(as_text(label))
        if key in _HEADER_WORDS:
            continue
        parameter = _LABELS.get(key)
        if parameter is None:
            problems.append(_problem(sheet, r, label_col, label, "tiers.unknown", Severity.WARNING))
            continue
        if not rest:
            continue  # a label without a value: settings.yaml decides
        value_col, value = rest[0]
        parsed = (
            _amount(value, decimal_comma)
            if parameter.kind == "amount"
            else _PARSERS[parameter.kind](value)
        )
        if parsed is None:
            problems.append(_problem(sheet, r, value_col, value, f"tiers.bad_{parameter.kind}"))
            continue
        found.append((_Cell(parameter, r, value_col, value), parsed))
    plan_settings = plans or PlanSettings()
    for cell, value in [f for f in found if f[0].parameter.path[0] == "plans"]:
        changed = _with_plan(plan_settings, cell.parameter.path[1:], value)
        if changed is None:
            problems.append(_problem(sheet, cell.row, cell.col, cell.value, "tiers.group_plans"))
        else:
            plan_settings = changed
    found = [f for f in found if f[0].parameter.path[0] != "plans"]
    settings = base
    for group in dict.fromkeys(cell.parameter.path[0] for cell, _ in found):
        members = [(cell, v) for cell, v in found if cell.parameter.path[0] == group]
        updated = _with_group(settings, group, members)
        if updated is None:
            for cell, _ in members:
                code = f"tiers.group_{group}"
                problems.append(_problem(sheet, cell.row, cell.col, cell.value, code))
        else:
            settings = updated
    return SheetSettings(settings, plan_settings, problems)


def _with_plan(plans: PlanSettings, path: tuple[str, ...], value: Parsed) -> PlanSettings | None:
    """plans with one interval replaced, or None when the value cannot be one."""
    data: dict[str, Any] = plans.model_dump()
    if path == ("order_callback_days",):
        data["order_callback_days"] = value
    else:
        action, tier = path
        items = data["tiers"].setdefault(Tier(tier), {"every": [], "events": [], "per_year": {}})
        every = [i for i in items["every"] if i["action"] != action]
        items["every"] = [*every, {"action": action, "months": value, "days": 0}]
    try:
        return PlanSettings.model_validate(data)
    except ValidationError:
        return None


def _with_group(
    settings: TierSettings, group: str, members: list[tuple[_Cell, Parsed]]
) -> TierSettings | None:
    """settings with one group's values replaced, or None when the group is then invalid."""
    data: dict[str, Any] = settings.model_dump()
    for cell, value in members:
        target = data
        for step in cell.parameter.path[:-1]:
            target = target[step]
        target[cell.parameter.path[-1]] = value
    try:
        return TierSettings.model_validate(data)
    except ValidationError:
        return None


def _percent(value: CellValue) -> Decimal | None:
    """15, "15", "15%" → 15; a cell formatted as a percentage holds 0.15 → 15."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return number * 100 if 0 < number < 1 else number
    text = as_text(value).strip().rstrip("%％").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _amount(value: CellValue, decimal_comma: bool | None) -> Decimal | None:
    parsed = parse_amount(value, decimal_comma=decimal_comma)
    return parsed if isinstance(parsed, Decimal) else None


def _whole(value: CellValue) -> int | None:
    """A whole number of days or months: 365, 365.0, "365"; not 36.5, not "50%"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = as_text(value).strip()
    return int(text) if text.isdecimal() else None


def _word(kind: str) -> Callable[[CellValue], str | None]:
    def parse(value: CellValue) -> str | None:
        return _WORDS[kind].get(normalize_header(as_text(value)))

    return parse


_PARSERS: Mapping[str, Callable[[CellValue], Parsed | None]] = {
    "percent": _percent,
    "days": _whole,
    "months": _whole,
    "method": _word("method"),
    "basis": _word("basis"),
}


def _problem(
    sheet: RawSheet,
    row: int,
    col: int,
    value: CellValue,
    code: str,
    severity: Severity = Severity.ERROR,
) -> Problem:
    return Problem(
        sheet=sheet.name,
        cell=a1(row, col),
        value=as_text(value),
        code=code,
        severity=severity,
        row=row,
    )
