"""Which greetings are due [issue 4], per the customer's plan, consent and the calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetcrm.outbound import MessageKind
from sheetcrm.records import Contact, Customer, Order
from sheetcrm.rules.calendar import Occasion, next_birthday
from sheetcrm.rules.plan_settings import PlanSettings, plan_params
from sheetcrm.rules.plans import last_orders, plan_customers
from sheetcrm.rules.reminders import (
    ReminderParams,
    customer_intents,
    orders_still_needed,
    week_spend,
)
from sheetcrm.vocabulary import Calendar, ContactType, Status, Tier

TODAY = dt.date(2027, 2, 1)
PARAMS = ReminderParams(
    company="明华家电",
    language="zh-Hans",
    grace_days={"birthday": 1, "holiday": 1, "touch": 7},
)
SPRING = {"zh-Hans": [Occasion(dt.date(2027, 2, 1), "春节", "holiday")]}


def due(
    tier: Tier | None,
    *,
    status: Status = Status.CUSTOMER,
    birthday: dt.date | None = None,
    consent: bool | None = True,
    last_sms: dt.date | None = None,
    holidays: dict[str, list[Occasion]] | None = None,
) -> list[tuple[MessageKind, dt.date]]:
    customer = Customer(
        0, "C1", "王芳", status=status, birthday=birthday, accepts_promotions=consent
    )
    contacts = [Contact(1, last_sms, ContactType.SMS, customer_id="C1")] if last_sms else []
    plans = plan_customers(
        [customer], contacts, [], [], {"C1": tier}, TODAY, plan_params(PlanSettings())
    )
    intents = customer_intents([customer], [], plans, holidays or {}, TODAY, PARAMS)
    return [(i.kind, i.occasion) for i in intents]


B, H, T = MessageKind.BIRTHDAY, MessageKind.HOLIDAY, MessageKind.TOUCH
RECENT = dt.date(2027, 1, 20)  # an SMS logged 12 days ago: no monthly greeting due yet


@pytest.mark.parametrize(
    ("case", "kwargs", "expected"),
    [
        (
            "birthday today, tier C",
            {"tier": Tier.C, "birthday": dt.date(1980, 2, 1), "last_sms": RECENT},
            [(B, TODAY)],
        ),
        (
            "birthday yesterday: one day of grace",
            {"tier": Tier.A, "birthday": dt.date(1980, 1, 31), "last_sms": RECENT},
            [(B, dt.date(2027, 1, 31))],
        ),
        (
            "no promotions: nothing",
            {"tier": Tier.C, "birthday": dt.date(1980, 2, 1), "consent": False},
            [],
        ),
        ("lost: nothing", {"tier": Tier.D, "status": Status.LOST, "holidays": SPRING}, []),
        (
            "tier D: the holiday, no birthday",
            {"tier": Tier.D, "birthday": dt.date(1980, 2, 1), "holidays": SPRING},
            [(H, TODAY)],
        ),
        (
            "monthly SMS due 3 days ago (tier C)",
            {"tier": Tier.C, "last_sms": dt.date(2026, 12, 29)},
            [(T, dt.date(2027, 1, 29))],
        ),
        ("never greeted: greeted today", {"tier": Tier.C}, [(T, TODAY)]),
        (
            "SMS overdue for months: a task for staff, not a message",
            {"tier": Tier.C, "last_sms": dt.date(2026, 8, 1)},
            [],
        ),
        ("no tier, completed customer: no greeting plan", {"tier": None}, []),
    ],
)
def test_greetings_follow_the_plan_and_consent(
    case: str, kwargs: dict[str, object], expected: list[tuple[MessageKind, dt.date]]
) -> None:
    assert due(**kwargs) == expected  # type: ignore[arg-type]


@given(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.sampled_from([Calendar.SOLAR, Calendar.LUNAR]),
    st.integers(min_value=0, max_value=400),  # past a year: two birthdays in the grace
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
)
@settings(max_examples=200)
def test_a_birthday_greeting_is_due_on_each_birthday_within_the_grace(
    born: dt.date, calendar: Calendar, grace: int, today: dt.date
) -> None:
    customer = Customer(
        0, "C1", "王芳", birthday=born, birthday_calendar=calendar, accepts_promotions=True
    )
    plans = plan_customers(
        [customer], [], [], [], {"C1": Tier.A}, today, plan_params(PlanSettings())
    )
    params = dataclasses.replace(PARAMS, grace_days={"birthday": grace})
    intents = customer_intents([customer], [], plans, {}, today, params)
    days = [today - dt.timedelta(days=n) for n in range(grace, -1, -1)]
    expected = [d for d in days if next_birthday(born, calendar, d) == d]
    assert [i.occasion for i in intents if i.kind is MessageKind.BIRTHDAY] == expected


def test_a_long_digest_says_how_many_more_and_where_to_see_them() -> None:
    from sheetcrm.message_context import (
        StaffContext,
        StaffDigestContext,
        TaskItem,
        as_context,
    )
    from sheetcrm.outbound import MessageKind
    from sheetcrm.templating import TemplateLibrary

    day = dt.date(2027, 2, 1)
    item = TaskItem("王芳", "138 0013 8000", "短信问候", "每月", day, 3, "C")
    context = StaffDigestContext(
        StaffContext("李娜", ""), "明华家电", day, overdue=(item,) * 30, overdue_total=136
    )
    rendered = TemplateLibrary().render(MessageKind.STAFF_DIGEST, "zh-Hans", as_context(context))
    assert rendered.subject.endswith("逾期 136 项")
    assert (
        "- …… 另有 106 项：请在客户表中按负责人筛选自己的名字，并按「下次跟进」排序"
        in rendered.body
    )


# -- the orders a run still reads once its customers are ranked ---------------------------


def _order(row: int, day: str, cid: str) -> Order:
    return Order(row, dt.date.fromisoformat(day), cid, Decimal(100 * row))


@pytest.mark.parametrize(
    ("case", "orders", "kept"),
    [
        ("one customer's latest, the older ones let go",
         [("2026-05-01", "C1"), ("2026-11-02", "C1"), ("2026-08-03", "C1")], [2]),
        ("each customer's latest", [("2026-05-01", "C1"), ("2026-06-01", "C2")], [1, 2]),
        ("the past week's, for the managers' spend",
         [("2027-01-25", "C1"), ("2027-01-28", "C1"), ("2027-02-01", "C1")], [1, 2, 3]),
        ("eight days back: older than the week", [("2027-01-24", "C1"), ("2027-01-30", "C1")],
         [2]),
        ("dated after today: neither the latest nor the week's",
         [("2026-12-01", "C1"), ("2027-03-01", "C1")], [1]),
    ],
)  # fmt: skip
def test_a_ranked_run_keeps_each_customers_latest_order_and_the_past_weeks(
    case: str, orders: list[tuple[str, str]], kept: list[int]
) -> None:
    made = [_order(n, day, cid) for n, (day, cid) in enumerate(orders, start=1)]
    assert [o.row for o in orders_still_needed(made, TODAY)] == kept


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-400, 30), st.sampled_from(["C1", "C2", "C3"])), max_size=30))
def test_the_orders_kept_give_the_plans_and_the_managers_what_all_of_them_give(
    orders: list[tuple[int, str]],
) -> None:
    """The plans read each customer's last purchase; the managers' summary the week's
    spend and its quiet customers' last purchase: the same from the orders kept."""
    made = [
        Order(n, TODAY + dt.timedelta(days=delta), cid, Decimal(n))
        for n, (delta, cid) in enumerate(orders)
    ]
    kept = orders_still_needed(made, TODAY)
    assert last_orders(kept, TODAY) == last_orders(made, TODAY)
    assert week_spend(kept, TODAY) == week_spend(made, TODAY)
