"""Which greetings are due [issue 4], per the customer's plan, consent and the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetcrm.outbound import MessageKind
from sheetcrm.records import Contact, Customer
from sheetcrm.rules.calendar import Occasion
from sheetcrm.rules.plan_settings import PlanSettings, plan_params
from sheetcrm.rules.plans import plan_customers
from sheetcrm.rules.reminders import ReminderParams, customer_intents
from sheetcrm.vocabulary import ContactType, Status, Tier

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
