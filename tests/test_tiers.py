"""Customer value and tiers, with expectations computed by hand from the documents' rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetcrm.records import Order
from sheetcrm.rules.tiers import (
    Ranked,
    Shares,
    Subject,
    Tier,
    cut,
    decide,
    is_vip,
    profit_rank,
    thresholds,
    weighted_rank,
)
from sheetcrm.rules.value import customer_values, doubled_ranks, percentile_ranks
from sheetcrm.vocabulary import Status

TODAY = dt.date(2027, 2, 1)
D = Decimal


def order(
    cid: str,
    amount: int,
    profit: int | None = None,
    *,
    day: dt.date = TODAY,
    order_id: str | None = None,
    cost: int | None = None,
) -> Order:
    return Order(
        row=0,
        date=day,
        customer_id=cid,
        amount=D(amount),
        order_id=order_id,
        profit=None if profit is None else D(profit),
        cost=None if cost is None else D(cost),
    )


def subjects(orders: list[Order], statuses: dict[str, Status | None]) -> list[Subject]:
    values = customer_values(statuses, orders, today=TODAY)
    return [Subject(cid, status, values[cid]) for cid, status in statuses.items()]


def test_value_counts_the_window_today_minus_365_days_exclusive_to_today_inclusive() -> None:
    orders = [
        order("C1", 100, day=TODAY - dt.timedelta(days=365)),  # outside: the window is open
        order("C1", 200, day=TODAY - dt.timedelta(days=364)),
        order("C1", 300, 50, day=TODAY, order_id="O1"),
        order("C1", 400, cost=300, day=TODAY, order_id="O1"),  # same order id: one order
    ]
    value = customer_values(["C1"], orders, today=TODAY)["C1"]
    assert value.amount == D(900)
    assert value.profit == D(150)  # 0 (no profit, no cost) + 50 + (400 − 300)
    assert value.frequency == 2  # one order without id, one order id
    assert value.lifetime_spend == D(1000)
    assert value.last_purchase == TODAY
    assert value.yearly_profit == {2026: D(0), 2027: D(150)}


def test_rfm_scores_recency_frequency_and_money_by_fifths() -> None:
    orders = [
        order("C1", 900, day=TODAY),
        order("C1", 900, day=TODAY),
        order("C2", 100, day=TODAY - dt.timedelta(days=200)),
    ]
    values = customer_values(["C1", "C2", "C3"], orders, today=TODAY)
    assert (values["C1"].rfm, values["C2"].rfm, values["C3"].rfm) == ("555", "111", "")
    alone = customer_values(["C2", "C3"], orders[2:], today=TODAY)
    assert (alone["C2"].rfm, alone["C3"].rfm) == ("555", "")  # the only buyer tops them all


def test_percentile_ranks_average_ties() -> None:
    assert percentile_ranks({"a": 50, "b": 100, "c": 200, "d": 200}) == {
        "a": Fraction(0),
        "b": Fraction(1, 3),
        "c": Fraction(5, 6),
        "d": Fraction(5, 6),
    }
    assert percentile_ranks({"only": 7}) == {"only": Fraction(1)}


money = st.decimals(min_value=-500, max_value=500, places=2, allow_nan=False)


@given(st.lists(st.one_of(money, st.integers(min_value=-3, max_value=3)), min_size=2))
def test_doubled_ranks_are_percentile_ranks_in_whole_numbers(amounts: list[Decimal | int]) -> None:
    # 1.5 and 1.50 are one amount and tie, as do 2 and 2.00: the ranking compares values.
    values = {f"C{i}": amount for i, amount in enumerate(amounts)}
    doubled = doubled_ranks(values)
    n = len(values)
    assert {k: Fraction(r, 2 * (n - 1)) for k, r in doubled.items()} == percentile_ranks(values)


def test_a_profit_share_is_of_every_customers_profit_in_the_window() -> None:
    orders = [
        order("C1", 100, 30),
        order("C2", 100, 10),
        order("C2", 100, 60, day=TODAY - dt.timedelta(days=400)),  # before the window
        order("C9", 100, 60),  # not asked about, yet part of the total
    ]
    values = customer_values(["C1", "C2", "C3"], orders, today=TODAY)
    assert [values[c].profit_share for c in ("C1", "C2", "C3")] == [D("0.3"), D("0.1"), 0]


def test_weighted_rank_by_hand() -> None:
    # amount, profit, frequency: C1 100/10/1, C2 200/20/2, C3 200/30/2, C4 50/5/1
    orders = [
        order("C1", 100, 10),
        order("C2", 100, 10),
        order("C2", 100, 10),
        order("C3", 100, 15),
        order("C3", 100, 15),
        order("C4", 50, 5),
        order("C5", 9_000, 900),  # lost: D whatever it buys
        order("C7", 500, 50, day=TODAY - dt.timedelta(days=400)),  # nothing in the window
    ]
    statuses = {
        "C1": Status.CUSTOMER,
        "C2": Status.CUSTOMER,
        "C3": None,
        "C4": Status.CUSTOMER,
        "C5": Status.LOST,
        "C6": Status.PROSPECT,
        "C7": Status.CUSTOMER,
    }
    tiers = weighted_rank(subjects(orders, statuses))
    # C3: .4·5/6 + .4·1 + .2·5/6 = .9; C2: .4·5/6 + .4·2/3 + .2·5/6 = .7667;
    # C1: .4·1/3 + .4·1/3 + .2·1/6 = .3; C4: .2·1/6 = .0333. N = 4: A ⌈.2⌉ = 1, B up to
    # ⌈.8⌉ = 1 (none), C up to ⌈2.8⌉ = 3, D the rest.
    assert tiers == {
        "C3": Ranked(Tier.A, D("90.0")),
        "C2": Ranked(Tier.C, D("76.7")),
        "C1": Ranked(Tier.C, D("30.0")),
        "C4": Ranked(Tier.D, D("3.3")),
        "C5": Ranked(Tier.D),
        "C6": Ranked(None),
        "C7": Ranked(Tier.D),
    }


def test_a_single_ranked_customer_scores_100_and_is_a() -> None:
    assert weighted_rank(subjects([order("C1", 10, 1)], {"C1": Status.CUSTOMER})) == {
        "C1": Ranked(Tier.A, D("100.0"))
    }


def test_seven_customers_round_the_shares_up() -> None:
    # A: ⌈0.35⌉ = 1; B: up to ⌈1.4⌉ = 2; C: up to ⌈4.9⌉ = 5; D: 2.
    assert [cut(7, p, Shares()) for p in range(7)] == [
        Tier.A,
        Tier.B,
        Tier.C,
        Tier.C,
        Tier.C,
        Tier.D,
        Tier.D,
    ]


def test_equal_scores_are_ordered_by_amount_then_id() -> None:
    orders = [order("C2", 100, 10), order("C1", 100, 10)]
    tiers = weighted_rank(subjects(orders, {"C1": None, "C2": None}))
    # N = 2: A is the first ⌈0.1⌉ = 1, B up to ⌈0.4⌉ = 1 (none), C up to ⌈1.4⌉ = 2.
    assert (tiers["C1"].tier, tiers["C2"].tier) == (Tier.A, Tier.C)


@pytest.mark.parametrize(
    ("spend", "status", "tier"),
    [
        (80_000, Status.CUSTOMER, Tier.A),
        (79_999, Status.CUSTOMER, Tier.B),
        (50_000, Status.CUSTOMER, Tier.B),
        (49_999, Status.CUSTOMER, Tier.C),
        (100, Status.CUSTOMER, Tier.C),
        (90_000, Status.LOST, Tier.D),
        (0, Status.PROSPECT, None),
    ],
    ids=[
        "80,000 is A",
        "just under is B",
        "50,000 is B",
        "just under is C",
        "small is C",
        "lost is D",
        "never bought: no tier",
    ],
)
def test_spend_thresholds(spend: int, status: Status, tier: Tier | None) -> None:
    orders = [order("C1", spend)] if spend else []
    assert thresholds(subjects(orders, {"C1": status}))["C1"].tier is tier


def test_profit_rank_uses_last_calendar_year() -> None:
    last_year = dt.date(2026, 6, 1)
    orders = [
        order("C1", 1_000, 10, day=last_year),
        order("C2", 100, 90, day=last_year),
        order("C3", 5_000, 500, day=TODAY),
    ]  # this year's profit does not count
    tiers = profit_rank(subjects(orders, {"C1": None, "C2": None, "C3": None}), orders, TODAY)
    assert tiers["C2"] == Ranked(Tier.A, D("100.0"))
    assert tiers["C1"] == Ranked(Tier.C, D("0.0"))  # N = 2: no B, as above
    assert tiers["C3"] == Ranked(Tier.D)


@pytest.mark.parametrize(
    ("amounts", "approved", "vip"),
    [
        ([(10_000, 3)], False, True),
        ([(9_999, 3)], False, False),
        ([(7_000, 3), (7_000, 3), (7_000, 3)], False, True),
        ([(7_000, 3), (7_000, 4), (7_000, 5)], False, False),
        ([(7_000, 12), (7_000, 12), (7_000, (2027, 1, 10))], False, False),
        ([(7_000, 2), (7_000, 2), (7_000, (2027, 2, 1))], False, False),
        ([(7_000, (2026, 1, 10)), (7_000, 2), (7_000, 2)], False, False),
        ([(9_000, 4), (9_000, 4), (9_000, 4), (-20_000, 5)], False, True),
        ([], True, True),
    ],
    ids=[
        "a single purchase of 10,000",
        "just under",
        "20,000 in one month",
        "spread over three months",
        "December and January are two months",
        "February 2026 and February 2027 are two months",
        "January 2026 is before the window",
        "a refund the month after",
        "approved by a manager",
    ],
)
def test_vip(
    amounts: list[tuple[int, int | tuple[int, int, int]]], approved: bool, vip: bool
) -> None:
    # A month alone is the 10th of that month in 2026; the window is (2026-02-01, 2027-02-01].
    days = [dt.date(*m) if isinstance(m, tuple) else dt.date(2026, m, 10) for _, m in amounts]
    orders = [order("C1", a, day=day) for (a, _), day in zip(amounts, days, strict=True)]
    assert is_vip(orders, TODAY, approved=approved) is vip


def test_an_override_counts_only_with_an_approver() -> None:
    computed = Ranked(Tier.C, D("40.0"))
    assert decide(computed, Status.CUSTOMER, Tier.A, "张经理").reason == "override by 张经理"
    ignored = decide(computed, Status.CUSTOMER, Tier.A, None)
    assert (ignored.tier, ignored.reason, ignored.override_ignored) == (Tier.C, "computed", True)


@given(st.integers(min_value=1, max_value=400))
def test_tier_counts_follow_the_ceiling_rule(n: int) -> None:
    tiers = [cut(n, p, Shares()) for p in range(n)]
    a = -(-5 * n // 100)
    ab = -(-20 * n // 100)
    abc = -(-70 * n // 100)
    assert tiers.count(Tier.A) == a
    assert tiers.count(Tier.B) == ab - a
    assert tiers.count(Tier.C) == abc - ab
    assert tiers.count(Tier.D) == n - abc


RANK = {Tier.A: 0, Tier.B: 1, Tier.C: 2, Tier.D: 3, None: 4}
amounts = st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=4)


@given(
    st.lists(amounts, min_size=1, max_size=12),
    st.integers(min_value=1, max_value=50_000),
    st.data(),
)
def test_raising_a_customers_orders_never_lowers_its_tier(
    books: list[list[int]], raise_by: int, data: st.DataObject
) -> None:
    who = f"C{data.draw(st.integers(min_value=0, max_value=len(books) - 1))}"
    statuses: dict[str, Status | None] = {f"C{i}": Status.CUSTOMER for i in range(len(books))}

    def orders(extra: int) -> list[Order]:
        return [
            order(
                f"C{i}",
                a + (extra if f"C{i}" == who and j == 0 else 0),
                a // 10,
                day=dt.date(2026, 5, 1),
            )
            for i, book in enumerate(books)
            for j, a in enumerate(book)
        ]

    for method in (
        lambda o: weighted_rank(subjects(o, statuses)),
        lambda o: thresholds(subjects(o, statuses)),
        lambda o: profit_rank(subjects(o, statuses), o, TODAY),
    ):
        before, after = method(orders(0))[who].tier, method(orders(raise_by))[who].tier
        assert RANK[after] <= RANK[before]


def test_profit_per_tier_per_month_and_per_year() -> None:
    from sheetcrm.rules.value import customer_values, profit_by_tier

    orders = [
        order("C1", 100, 10, day=dt.date(2026, 1, 5)),
        order("C1", 100, 20, day=dt.date(2026, 2, 5)),
        order("C2", 100, 5, day=dt.date(2026, 2, 9)),
        order("C3", 100, 7, day=dt.date(2025, 12, 31)),
    ]
    values = customer_values(["C1", "C2", "C3"], orders, today=dt.date(2026, 3, 1))
    by_tier = profit_by_tier(values, {"C1": "A", "C2": "A", "C3": None})
    assert by_tier.monthly == {
        "A": {(2026, 1): Decimal(10), (2026, 2): Decimal(25)},
        "": {(2025, 12): Decimal(7)},
    }
    assert by_tier.yearly == {"A": {2026: Decimal(35)}, "": {2025: Decimal(7)}}
