"""Tiers A/B/C/D by the three methods of the documents, VIP status, and manual overrides.

Pure: customer values and statuses in, tiers out. Cut-offs use exact fractions.
- weighted_rank [002]: 0.4·pr(amount) + 0.4·pr(profit) + 0.2·pr(frequency), ranked.
- thresholds [003]: spend ≥ 80,000 → A, ≥ 50,000 → B, otherwise C.
- profit_rank [004]: profit contribution in the previous calendar year, ranked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from sheetcrm.records import Order
from sheetcrm.rules.value import (
    ZERO,
    CustomerValue,
    doubled_ranks,
    order_profit,
    percentile_ranks,
    window_start,
)
from sheetcrm.vocabulary import Status, Tier


@dataclass(frozen=True)
class Shares:
    """Shares of the ranked customers per tier; A + B = 20% as [002] says."""

    a: Fraction = Fraction(5, 100)
    b: Fraction = Fraction(15, 100)
    c: Fraction = Fraction(50, 100)
    d: Fraction = Fraction(30, 100)

    def __post_init__(self) -> None:
        if self.a + self.b + self.c + self.d != 1:
            raise ValueError("tier shares must add up to 100%")


@dataclass(frozen=True)
class Weights:
    amount: Fraction = Fraction(4, 10)
    profit: Fraction = Fraction(4, 10)
    frequency: Fraction = Fraction(2, 10)


@dataclass(frozen=True)
class Ranked:
    tier: Tier | None
    score: Decimal | None = None  # 0–100, one decimal (ranked methods only)


@dataclass(frozen=True)
class Subject:
    """What a tier rule needs to know of a customer."""

    customer_id: str
    status: Status | None
    value: CustomerValue


def cut(n: int, position: int, shares: Shares) -> Tier:
    """The tier of the `position`-th (0-based) of `n` ranked customers: the first ⌈a·N⌉ are
    A, up to ⌈(a+b)·N⌉ B, up to ⌈(a+b+c)·N⌉ C, the rest D."""
    return tier_at(position, cut_offs(n, shares))


def tier_at(position: int, offsets: tuple[int, int, int]) -> Tier:
    """The tier of a 0-based position, given cut_offs()."""
    a, b, c = offsets
    if position < a:
        return Tier.A
    if position < b:
        return Tier.B
    if position < c:
        return Tier.C
    return Tier.D


@lru_cache(maxsize=64)
def cut_offs(n: int, shares: Shares) -> tuple[int, int, int]:
    """⌈a·N⌉, ⌈(a+b)·N⌉, ⌈(a+b+c)·N⌉ in exact fractions; the same for every position."""
    return (
        math.ceil(shares.a * n),
        math.ceil((shares.a + shares.b) * n),
        math.ceil((shares.a + shares.b + shares.c) * n),
    )


# A rule's verdict on a customer outside the ranking: shared, they are frozen.
LOST = Ranked(Tier.D)
NO_TIER = Ranked(None)
TENTH = Decimal("0.1")


def _unranked(subject: Subject) -> Ranked:
    """Lost customers are D; who never bought has no tier; who bought, but not lately, is D."""
    if subject.status is Status.LOST:
        return LOST
    if subject.value.orders_ever == 0:
        return NO_TIER
    return LOST


def percent(numerator: int, denominator: int) -> Decimal:
    """A score of numerator / denominator (0–1) as 0–100, one decimal, half up."""
    exact = Decimal(numerator * 100) / Decimal(denominator)
    return exact.quantize(TENTH, rounding=ROUND_HALF_UP)


def _rank(
    subjects: Sequence[Subject],
    ranked: Sequence[Subject],
    keys: Mapping[str, int | Fraction],
    scores: Mapping[str, Decimal],
    shares: Shares,
) -> dict[str, Ranked]:
    """Tiers by position: key descending, then amount descending, then id ascending.

    `keys` order like the scores (integers compare faster than the scores' Decimals)."""
    # Three stable sorts, last key first: no tuple and no negated Decimal per customer.
    order = sorted(ranked, key=_customer_id)
    order.sort(key=_amount, reverse=True)
    order.sort(key=lambda s: keys[s.customer_id], reverse=True)
    # Once, not per customer: cut_offs' cache would hash the four shares' Fractions each time.
    offsets = cut_offs(len(order), shares)
    tiers = {
        s.customer_id: Ranked(tier_at(position, offsets), scores[s.customer_id])
        for position, s in enumerate(order)
    }
    return {s.customer_id: tiers.get(s.customer_id) or _unranked(s) for s in subjects}


def _customer_id(subject: Subject) -> str:
    return subject.customer_id


def _amount(subject: Subject) -> Decimal:
    return subject.value.amount


def weighted_rank(
    subjects: Sequence[Subject], shares: Shares = Shares(), weights: Weights = Weights()
) -> dict[str, Ranked]:
    """[002]: the ranked set is every customer not lost with an order in the window."""
    ranked = [s for s in subjects if s.status is not Status.LOST and s.value.frequency > 0]
    n = len(ranked)
    amount = doubled_ranks({s.customer_id: s.value.amount for s in ranked})
    profit = doubled_ranks({s.customer_id: s.value.profit for s in ranked})
    freq = doubled_ranks({s.customer_id: s.value.frequency for s in ranked})
    # pr = 2(r − 1) / 2(N − 1): sum the weighted integers, divide once (10,000 Fractions
    # would cost more than the whole ranking).
    wa, wp, wf = weights.amount, weights.profit, weights.frequency
    common = math.lcm(wa.denominator, wp.denominator, wf.denominator)
    ia, ip, if_ = (int(w * common) for w in (wa, wp, wf))
    sums = {cid: ia * amount[cid] + ip * profit[cid] + if_ * freq[cid] for cid in amount}
    if n > 1:
        scale = common * 2 * (n - 1)
        shown = {v: percent(v, scale) for v in set(sums.values())}  # ties share a score
        scores = {cid: shown[v] for cid, v in sums.items()}
    else:
        alone = wa + wp + wf
        scores = {cid: percent(alone.numerator, alone.denominator) for cid in sums}
    return _rank(subjects, ranked, sums, scores, shares)


def thresholds(
    subjects: Sequence[Subject],
    a: Decimal = Decimal(80_000),
    b: Decimal = Decimal(50_000),
    basis: str = "lifetime",
) -> dict[str, Ranked]:
    """[003]: spend ≥ a → A, ≥ b → B, otherwise C; lost → D; never bought → no tier."""
    result: dict[str, Ranked] = {}
    for s in subjects:
        spend = s.value.lifetime_spend if basis == "lifetime" else s.value.amount
        if s.status is Status.LOST:
            result[s.customer_id] = Ranked(Tier.D)
        elif s.value.orders_ever == 0:
            result[s.customer_id] = Ranked(None)
        else:
            result[s.customer_id] = Ranked(
                Tier.A if spend >= a else Tier.B if spend >= b else Tier.C
            )
    return result


def profit_rank(
    subjects: Sequence[Subject], orders: Iterable[Order], today: dt.date, shares: Shares = Shares()
) -> dict[str, Ranked]:
    """[004]: rank by profit in the previous calendar year (score: its percentile rank)."""
    year = today.year - 1
    profit: dict[str, Decimal] = defaultdict(Decimal)
    for order in orders:
        if order.date.year == year:
            profit[order.customer_id] += order_profit(order)
    ranked = [s for s in subjects if s.status is not Status.LOST and s.customer_id in profit]
    ranks = percentile_ranks({s.customer_id: profit[s.customer_id] for s in ranked})
    scores = {cid: percent(pr.numerator, pr.denominator) for cid, pr in ranks.items()}
    return _rank(subjects, ranked, ranks, scores, shares)


def is_vip(
    orders: Iterable[Order],
    today: dt.date,
    *,
    window_days: int = 365,
    single: Decimal = Decimal(10_000),
    monthly: Decimal = Decimal(20_000),
    approved: bool = False,
) -> bool:
    """[000]: one purchase of `single`, or `monthly` accumulated in a calendar month of the
    window, or a manager's approval."""
    if approved:
        return True
    start = window_start(today, window_days)
    months: dict[int, Decimal] = {}  # year·12 + month: no tuple per order
    for order in orders:
        date = order.date
        if start < date <= today:
            if order.amount >= single:
                return True
            month = date.year * 12 + date.month
            months[month] = months.get(month, ZERO) + order.amount
    return any(total >= monthly for total in months.values())


@dataclass(frozen=True)
class Decision:
    tier: Tier | None
    reason: str  # "computed", "override by <approver>", "lost"
    override_ignored: bool = False  # an override without an approver: a problem on the row


def decide(
    computed: Ranked, status: Status | None, override: Tier | None, approver: str | None
) -> Decision:
    """[000]: a manager's override counts only when the approver is filled in."""
    if override is not None and approver:
        return Decision(override, f"override by {approver}")
    reason = "lost" if status is Status.LOST else "computed"
    return Decision(computed.tier, reason, override_ignored=unapproved(override, approver))


def unapproved(override: Tier | None, approver: str | None) -> bool:
    """[000]: an override with no approver filled in does not count; it is a problem."""
    return override is not None and not approver
