"""The register's tier columns: tier, score and VIP per customer, as a write plan.

Pure: records, parameters and `today` in, values and writes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, a1, as_text
from sheetcrm.frozen_builder import builder
from sheetcrm.plan import CellWrite, OwnedColumn, cell_write
from sheetcrm.problems import Problem, Severity
from sheetcrm.records import Customer, Order
from sheetcrm.rules.layout import SheetLayout
from sheetcrm.rules.problem_report import owned_header, row_key
from sheetcrm.rules.tiers import (
    Ranked,
    Shares,
    Subject,
    Weights,
    decide,
    is_vip,
    profit_rank,
    thresholds,
    unapproved,
    weighted_rank,
)
from sheetcrm.rules.value import CustomerValue, grouped_values, orders_by_customer
from sheetcrm.schema import SCORE_COLUMN, TIER_COLUMN, VALUE_COLUMNS, VIP_COLUMN, header_text
from sheetcrm.vocabulary import YES_NO_WORDS, Tier, YesNo


@dataclass(frozen=True)
class TierParams:
    method: str = "weighted_rank"
    window_days: int = 365
    shares: Shares = field(default_factory=Shares)
    weights: Weights = field(default_factory=Weights)
    threshold_a: Decimal = Decimal(80_000)
    threshold_b: Decimal = Decimal(50_000)
    basis: str = "lifetime"
    vip_single: Decimal = Decimal(10_000)
    vip_monthly: Decimal = Decimal(20_000)


@dataclass(frozen=True, slots=True)
class TierRow:
    tier: Tier | None
    score: Decimal | None
    vip: bool
    reason: str = "computed"  # "computed", "override by <approver>", "lost"
    override_ignored: bool = False  # an override without an approver [000]
    value: CustomerValue | None = None


_tier_row = builder(TierRow)  # every field, in order: 10,000 at a time

# Fill colours of the tier column, light enough to read black text on (RRGGBB).
TIER_FILLS: tuple[tuple[Tier, str], ...] = (
    (Tier.A, "C6EFCE"),  # green
    (Tier.B, "DDEBF7"),  # blue
    (Tier.C, "FFF2CC"),  # yellow
    (Tier.D, "EDEDED"),  # grey
)
# The value columns and how each is shown ("money", "percent"... see sheetcrm.plan.Kind).
VALUE_KINDS: Mapping[str, str] = {
    "amount": "money",
    "profit": "money",
    "profit_share": "percent",
    "frequency": "integer",
    "last_purchase": "date",
    "lifetime_spend": "money",
    "rfm": "text",
}
SHARE_PLACES = Decimal("0.0001")  # profit share to 0.01 %: more digits only look precise


def compute_tiers(
    customers: Sequence[Customer], orders: Sequence[Order], today: dt.date, params: TierParams
) -> dict[str, TierRow]:
    by_customer = orders_by_customer(orders)
    values = grouped_values(
        (c.id for c in customers),
        by_customer,
        today=today,
        window_days=params.window_days,
        periods=False,
    )
    subjects = [Subject(c.id, c.status, values[c.id]) for c in customers]
    ranked: Mapping[str, Ranked]
    if params.method == "thresholds":
        ranked = thresholds(subjects, params.threshold_a, params.threshold_b, params.basis)
    elif params.method == "profit_rank":
        ranked = profit_rank(subjects, orders, today, params.shares)
    else:
        ranked = weighted_rank(subjects, params.shares, params.weights)
    rows: dict[str, TierRow] = {}
    for c in customers:
        decision = decide(ranked[c.id], c.status, c.tier_override, c.tier_approver)
        vip = is_vip(
            by_customer.get(c.id, ()),
            today,
            window_days=params.window_days,
            single=params.vip_single,
            monthly=params.vip_monthly,
            approved=bool(c.vip_approver),
        )
        rows[c.id] = _tier_row(
            decision.tier,
            ranked[c.id].score,
            vip,
            decision.reason,
            decision.override_ignored,
            values[c.id],
        )
    return rows


def override_problems(
    sheet: RawSheet,
    layout: SheetLayout,
    customers: Sequence[Customer],
) -> list[Problem]:
    """A problem on each override nobody approved: the computed tier stands [000]."""
    col = layout.columns.get("tier_override")
    if col is None:
        return []
    return [
        Problem(
            sheet=sheet.name,
            cell=a1(c.row, col),
            value=as_text(sheet.value(c.row, col)),
            code="tier.override_unapproved",
            severity=Severity.WARNING,
            header=layout.headers.get(col, ""),
            row=c.row,
        )
        for c in customers
        if unapproved(c.tier_override, c.tier_approver)
    ]


def tier_columns(
    sheet: RawSheet,
    layout: SheetLayout,
    customers: Sequence[Customer],
    tiers: Mapping[str, TierRow],
    language: str,
) -> tuple[tuple[OwnedColumn, ...], tuple[CellWrite, ...]]:
    """Owned tier, score, VIP and value columns of the register, a write per customer row."""
    tier = owned_header(layout, "tier", header_text(TIER_COLUMN, language))
    score = owned_header(layout, "score", header_text(SCORE_COLUMN, language))
    vip = owned_header(layout, "vip", header_text(VIP_COLUMN, language))
    values = {
        name: owned_header(layout, name, header_text(aliases, language))
        for name, aliases in VALUE_COLUMNS.items()
    }
    yes = YES_NO_WORDS[YesNo.YES][language][0]
    cells: list[CellWrite] = []
    for customer in customers:
        key = row_key(sheet, layout, customer.row)
        row = tiers[customer.id]
        if key is None:
            continue
        cells += [
            cell_write(key, tier, row.tier.value if row.tier else ""),
            cell_write(key, score, row.score if row.score is not None else ""),
            cell_write(key, vip, yes if row.vip else ""),
        ]
        if row.value is not None:
            shown = value_cells(row.value)
            cells += [cell_write(key, header, shown[name]) for name, header in values.items()]
    owned = (
        OwnedColumn(tier, "text", fills=tuple((t.value, rgb) for t, rgb in TIER_FILLS)),
        OwnedColumn(score, "number"),
        OwnedColumn(vip, "text"),
        *(OwnedColumn(header, VALUE_KINDS[name]) for name, header in values.items()),
    )
    return owned, tuple(cells)


def value_cells(value: CustomerValue) -> dict[str, CellValue]:
    """What the register shows of a customer's value: blanks where nothing was bought."""
    bought = value.orders_ever > 0
    recent = value.frequency > 0
    return {
        "amount": value.amount if recent else "",
        "profit": value.profit if recent else "",
        "profit_share": value.profit_share.quantize(SHARE_PLACES) if recent else "",
        "frequency": value.frequency if bought else "",
        "last_purchase": value.last_purchase or "",
        "lifetime_spend": value.lifetime_spend if bought else "",
        "rfm": value.rfm,
    }
