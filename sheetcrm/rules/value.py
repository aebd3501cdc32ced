"""Customer value from the orders: amount, profit, frequency, recency, lifetime spend, RFM.

Pure: orders and `today` in, values out. The window is (today − window_days, today].
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from sheetcrm.frozen_builder import builder
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


_value = builder(CustomerValue)  # every field, in order: 10,000 at a time


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
    return grouped_values(
        customer_ids,
        orders_by_customer(orders),
        today=today,
        window_days=window_days,
        periods=periods,
    )


def orders_by_customer(orders: Iterable[Order]) -> dict[str, list[Order]]:
    """Each customer's orders, in the sheet's order."""
    grouped: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        grouped[order.customer_id].append(order)
    return grouped


class OrderSums(NamedTuple):
    """One customer's orders summed, as CustomerValue has them (a tuple: 10,000 are made
    at a time, and only here)."""

    amount: Decimal
    profit: Decimal
    frequency: int
    last: dt.date | None
    lifetime: Decimal


def grouped_values(
    customer_ids: Iterable[str],
    grouped: Mapping[str, Sequence[Order]],
    *,
    today: dt.date,
    window_days: int = 365,
    periods: bool = True,
) -> dict[str, CustomerValue]:
    """customer_values() of orders already grouped by orders_by_customer()."""
    ids = list(customer_ids)
    start = window_start(today, window_days)
    sums = {cid: _summed(mine, start, today) for cid, mine in grouped.items()}
    # The window's profit of every customer who bought in it, even one not in `ids`.
    total_profit = sum((s.profit for s in sums.values() if s.frequency), ZERO)
    nothing = OrderSums(ZERO, ZERO, 0, None, ZERO)
    mine = {cid: sums.get(cid, nothing) for cid in ids}
    scores = rfm_scores({cid: s for cid, s in mine.items() if s.last is not None}, today)
    return {
        cid: _value(
            cid,
            s.amount,
            s.profit,
            s.frequency,
            s.last,
            s.lifetime,
            len(grouped.get(cid, ())),
            s.profit / total_profit if total_profit else ZERO,
            scores.get(cid, ""),
            *(_periods(grouped.get(cid, ())) if periods else ({}, {})),
        )
        for cid, s in mine.items()
    }


def _summed(orders: Sequence[Order], start: dt.date, today: dt.date) -> OrderSums:
    """Sums of one customer's orders: the window is (start, today]."""
    amount = profit = lifetime = ZERO
    last: dt.date | None = None
    named: set[str] = set()
    unnamed = 0
    for order in orders:
        lifetime += order.amount
        date = order.date
        if date > today:
            continue
        if last is None or date > last:
            last = date
        if start < date:
            amount += order.amount
            profit += order_profit(order)
            if order.order_id:
                named.add(order.order_id)
            else:
                unnamed += 1
    return OrderSums(amount, profit, len(named) + unnamed, last, lifetime)


def _periods(
    orders: Iterable[Order],
) -> tuple[dict[tuple[int, int], Decimal], dict[int, Decimal]]:
    """CustomerValue's monthly and yearly profit of one customer's orders."""
    monthly: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for order in orders:
        monthly[(order.date.year, order.date.month)] += order_profit(order)
    yearly: dict[int, Decimal] = defaultdict(Decimal)
    for (year, _), gain in monthly.items():
        yearly[year] += gain
    return dict(monthly), dict(yearly)


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
    # Ties share a value: rank the distinct values, n of them from 0-based position i
    # take i + (i + n − 1), twice their average position.
    counts = Counter(values.values())
    doubled: dict[Decimal | int, int] = {}
    first = 0
    for value in sorted(counts):
        doubled[value] = 2 * first + counts[value] - 1
        first += counts[value]
    return {key: doubled[value] for key, value in values.items()}


def rfm_scores(buyers: Mapping[str, OrderSums], today: dt.date) -> dict[str, str]:
    """Recency, frequency and monetary quintiles among customers who ever bought."""
    if not buyers:
        return {}
    # (every buyer has a last purchase: the test tells mypy)
    recency = _fifths({c: -(today - s.last).days for c, s in buyers.items() if s.last is not None})
    freq = _fifths({cid: s.frequency for cid, s in buyers.items()})
    money = _fifths({cid: s.amount for cid, s in buyers.items()})
    return {cid: recency[cid] + freq[cid] + money[cid] for cid in buyers}


def _fifths(values: Mapping[str, Decimal | int]) -> dict[str, str]:
    """1–5 of each key: the top fifth of percentile ranks scores 5 (one value alone, 5)."""
    span = 2 * (len(values) - 1)  # doubled ranks: pr = doubled_rank / span
    if not span:
        return dict.fromkeys(values, "5")
    return {key: str(min(5, 1 + 5 * rank // span)) for key, rank in doubled_ranks(values).items()}


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
