"""Customer value from the orders: amount, profit, frequency, recency, lifetime spend, RFM.

Pure: orders and `today` in, values out. The window is (today − window_days, today].
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sheetcrm.records import Order

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CustomerValue:
    customer_id: str
    amount: Decimal = ZERO  # sum of order amounts in the window
    profit: Decimal = ZERO  # profit in the window (profit column, else amount − cost)
    frequency: int = 0  # orders in the window (distinct order ids where there are ids)
    last_purchase: dt.date | None = None  # ever
    lifetime_spend: Decimal = ZERO  # all orders ever
    orders_ever: int = 0
    profit_share: Decimal = ZERO  # of the total profit in the window, 0–1
    rfm: str = ""  # recency, frequency, monetary quintile scores, e.g. "545"
    monthly_profit: Mapping[tuple[int, int], Decimal] = field(default_factory=dict)
    yearly_profit: Mapping[int, Decimal] = field(default_factory=dict)


def order_profit(order: Order) -> Decimal:
    """The order's profit column; else amount − cost; else amount × its margin rate; else
    nothing known (0)."""
    if order.profit is not None:
        return order.profit
    if order.cost is not None:
        return order.amount - order.cost
    if order.margin_rate is not None:
        return order.amount * order.margin_rate
    return ZERO


def window_start(today: dt.date, window_days: int) -> dt.date:
    """The window is (start, today]: the start day itself is outside."""
    return today - dt.timedelta(days=window_days)


def customer_values(
    customer_ids: Iterable[str],
    orders: Iterable[Order],
    *,
    today: dt.date,
    window_days: int = 365,
    periods: bool = True,
) -> dict[str, CustomerValue]:
    """The value of every customer (those without orders get zeros).

    `periods=False` leaves out the monthly and yearly profit (a sync that only ranks does not
    need 200,000 month entries in memory).
    """
    ids = list(customer_ids)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    profit: dict[str, Decimal] = defaultdict(Decimal)
    counted: dict[str, set[str]] = defaultdict(set)
    unnamed: dict[str, int] = defaultdict(int)
    last: dict[str, dt.date] = {}
    lifetime: dict[str, Decimal] = defaultdict(Decimal)
    ever: dict[str, int] = defaultdict(int)
    monthly: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    start = window_start(today, window_days)
    for order in orders:
        cid = order.customer_id
        gain = order_profit(order)
        lifetime[cid] += order.amount
        ever[cid] += 1
        if periods:
            monthly[cid][(order.date.year, order.date.month)] += gain
        if order.date <= today and (cid not in last or order.date > last[cid]):
            last[cid] = order.date
        if start < order.date <= today:
            amount[cid] += order.amount
            profit[cid] += gain
            if order.order_id:
                counted[cid].add(order.order_id)
            else:
                unnamed[cid] += 1
    total_profit = sum(profit.values(), ZERO)
    frequency = {cid: len(counted[cid]) + unnamed[cid] for cid in ids}
    scores = rfm_scores(ids, last, frequency, amount, today)
    return {
        cid: CustomerValue(
            customer_id=cid,
            amount=amount.get(cid, ZERO),
            profit=profit.get(cid, ZERO),
            frequency=frequency[cid],
            last_purchase=last.get(cid),
            lifetime_spend=lifetime.get(cid, ZERO),
            orders_ever=ever.get(cid, 0),
            profit_share=profit.get(cid, ZERO) / total_profit if total_profit else ZERO,
            rfm=scores.get(cid, ""),
            monthly_profit=dict(monthly.get(cid, {})),
            yearly_profit=_by_year(monthly.get(cid, {})),
        )
        for cid in ids
    }


def _by_year(monthly: Mapping[tuple[int, int], Decimal]) -> dict[int, Decimal]:
    years: dict[int, Decimal] = defaultdict(Decimal)
    for (year, _), gain in monthly.items():
        years[year] += gain
    return dict(years)


def percentile_ranks(values: Mapping[str, Fraction | Decimal | int]) -> dict[str, Fraction]:
    """pr = (r − 1) / (N − 1), r the average 1-based ascending rank among ties; 1 when N = 1."""
    n = len(values)
    if n == 1:
        return {key: Fraction(1) for key in values}
    ordered = sorted(values.items(), key=lambda item: item[1])
    ranks: dict[str, Fraction] = {}
    i = 0
    while i < n:
        j = i
        while j + 1 < n and ordered[j + 1][1] == ordered[i][1]:
            j += 1
        average = Fraction(i + 1 + j + 1, 2)
        for k in range(i, j + 1):
            ranks[ordered[k][0]] = (average - 1) / (n - 1)
        i = j + 1
    return ranks


def doubled_ranks(values: Mapping[str, Decimal | int]) -> dict[str, int]:
    """2·(r − 1) for each key, r its average 1-based ascending rank among ties: an integer,
    so scores can be summed and compared exactly without Fraction arithmetic."""
    ordered = sorted(values.items(), key=lambda item: item[1])
    ranks: dict[str, int] = {}
    i, n = 0, len(ordered)
    while i < n:
        j = i
        while j + 1 < n and ordered[j + 1][1] == ordered[i][1]:
            j += 1
        for k in range(i, j + 1):
            ranks[ordered[k][0]] = i + j  # 2·(average rank − 1) = (i + 1) + (j + 1) − 2
        i = j + 1
    return ranks


def rfm_scores(
    ids: Sequence[str],
    last: Mapping[str, dt.date],
    frequency: Mapping[str, int],
    amount: Mapping[str, Decimal],
    today: dt.date,
) -> dict[str, str]:
    """Recency, frequency and monetary quintiles among customers who ever bought."""
    buyers = [cid for cid in ids if cid in last]
    if not buyers:
        return {}
    n = len(buyers)
    recency = doubled_ranks({cid: -(today - last[cid]).days for cid in buyers})
    freq = doubled_ranks({cid: frequency.get(cid, 0) for cid in buyers})
    money = doubled_ranks({cid: amount.get(cid, ZERO) for cid in buyers})
    return {
        cid: f"{_fifth(recency[cid], n)}{_fifth(freq[cid], n)}{_fifth(money[cid], n)}"
        for cid in buyers
    }


def _fifth(doubled_rank: int, n: int) -> int:
    """1–5 from a doubled rank: the top fifth of pr = doubled_rank / 2(n − 1) scores 5."""
    if n == 1:
        return 5
    return min(5, 1 + 5 * doubled_rank // (2 * (n - 1)))


@dataclass(frozen=True)
class TierProfit:
    """Profit per tier, per month and per year [004]: periods can be compared."""

    monthly: Mapping[str, Mapping[tuple[int, int], Decimal]]  # tier ("" no tier) → (y, m) → sum
    yearly: Mapping[str, Mapping[int, Decimal]]


def profit_by_tier(
    values: Mapping[str, CustomerValue], tiers: Mapping[str, str | None]
) -> TierProfit:
    """Sum each customer's monthly and yearly profit into their tier's ("" for no tier)."""
    monthly: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    yearly: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for cid, value in values.items():
        tier = tiers.get(cid) or ""
        for month, gain in value.monthly_profit.items():
            monthly[tier][month] += gain
        for year, gain in value.yearly_profit.items():
            yearly[tier][year] += gain
    return TierProfit(
        monthly={t: dict(sorted(m.items())) for t, m in monthly.items()},
        yearly={t: dict(sorted(y.items())) for t, y in yearly.items()},
    )
