"""Measures managers ask for, from the library [002][003][004]: customer value with monthly
and yearly profit, per customer and per tier. The dashboard sheet will show these.

    from sheetcrm.measures import measure
    report = measure(load_settings(path), today=date(2027, 2, 1))
    report.by_tier.yearly["A"][2026]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sheetcrm.backend import Backend
from sheetcrm.rules.value import CustomerValue, TierProfit, customer_values, profit_by_tier
from sheetcrm.settings import Settings
from sheetcrm.sync import compute, open_backend


@dataclass(frozen=True)
class Measures:
    today: dt.date
    customers: Mapping[str, CustomerValue]  # with monthly_profit and yearly_profit filled
    tiers: Mapping[str, str | None]  # customer id → tier letter (None: no tier)
    by_tier: TierProfit


def measure(settings: Settings, *, today: dt.date, backend: Backend | None = None) -> Measures:
    """Read the workbook once (writing nothing) and compute every customer's value."""
    backend = backend or open_backend(settings)
    computed = compute(settings, backend.read(), today)
    validated = computed.validated
    window = computed.tier_window_days
    values = customer_values(
        (c.id for c in validated.customers), validated.orders, today=today, window_days=window
    )
    tiers = {cid: row.tier.value if row.tier else None for cid, row in computed.tiers.items()}
    return Measures(today, values, tiers, profit_by_tier(values, tiers))
