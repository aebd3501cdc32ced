"""Maintenance plans: due dates, rows and staff tasks, computed by hand for 23 November 2026."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sheetcrm.records import Contact, Customer, Order, StaffMember
from sheetcrm.rules.contact_log import contact_log
from sheetcrm.rules.plan_settings import (
    Action,
    Cadenced,
    Event,
    Every,
    Plan,
    PlanParams,
    PlanSettings,
    add_months,
    plan_params,
)
from sheetcrm.rules.plan_texts import (
    ACTIONS,
    EVENTS,
    EVERY,
    PATTERNS,
    describe,
    describe_every,
    describe_plan,
    describe_task,
)
from sheetcrm.rules.plans import (
    Basis,
    Due,
    OwnerStatus,
    PlanResult,
    Task,
    Unowned,
    plan_customers,
    plan_logged,
)
from sheetcrm.rules.value import customer_values
from sheetcrm.vocabulary import LANGUAGES, ContactType, Status, Tier

TODAY = dt.date(2026, 11, 23)
PARAMS = plan_params(PlanSettings())
NO_TIER_PLANS = dataclasses.replace(PARAMS, tiers={})
SMS, CALL, VISIT, CHAT = ContactType.SMS, ContactType.CALL, ContactType.VISIT, ContactType.CHAT
COMPLAINT = ContactType.COMPLAINT
STAFF = (
    StaffMember(0, "Li"),
    StaffMember(1, "Zhao"),
    StaffMember(2, "Wang", active=False, manager="Zhao"),
    StaffMember(3, "Qian", active=False, manager="Zhao"),
    StaffMember(4, "Sun", active=False, manager="Qian"),
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def customer(
    cid: str = "C1",
    *,
    status: Status | None = None,
    owner: str | None = "Li",
    since: str | None = None,
) -> Customer:
    return Customer(
        row=0,
        id=cid,
        name=f"name of {cid}",
        status=status,
        owner=owner,
        since=d(since) if since else None,
    )


def contact(
    day: str,
    kind: ContactType,
    cid: str = "C1",
    *,
    staff: str | None = None,
    callback: str | None = None,
    resolved: bool | None = None,
) -> Contact:
    return Contact(
        row=0,
        date=d(day),
        type=kind,
        customer_id=cid,
        staff=staff,
        callback=d(callback) if callback else None,
        resolved=resolved,
    )


def order(day: str, cid: str = "C1") -> Order:
    return Order(row=0, date=d(day), customer_id=cid, amount=Decimal(100))


def run(
    customers: Sequence[Customer],
    contacts: Sequence[Contact] = (),
    orders: Sequence[Order] = (),
    tiers: Mapping[str, Tier | None] | None = None,
    *,
    staff: Sequence[StaffMember] = STAFF,
    params: PlanParams = PARAMS,
) -> PlanResult:
    return plan_customers(customers, contacts, orders, staff, tiers or {}, TODAY, params)


def due_of(result: PlanResult, action: Action, cid: str = "C1") -> Due:
    (found,) = [due for due in result.rows[cid].dues if due.action is action]
    return found


def actions(result: PlanResult, cid: str = "C1") -> list[tuple[Action, dt.date]]:
    return [(due.action, due.date) for due in result.rows[cid].dues]


GREET, HOME, PHONE = Action.SMS_GREETING, Action.HOME_VISIT, Action.PHONE_CALLBACK


@pytest.mark.parametrize(
    ("tier", "logged", "action", "due", "matched"),
    [
        (Tier.A, "2026-07-01 sms", GREET, "2026-10-01", SMS),
        (Tier.A, "2026-07-01 sms, 2026-11-01 call", GREET, "2026-10-01", SMS),
        (Tier.A, "2026-07-01 sms, 2026-09-15 chat", GREET, "2026-12-15", CHAT),
        (Tier.B, "2026-10-31 sms", GREET, "2026-12-31", SMS),
        (Tier.C, "2026-10-31 sms", GREET, "2026-11-30", SMS),
        (Tier.A, "2025-12-01 visit, 2026-11-20 sms", HOME, "2026-12-01", VISIT),
        (Tier.B, "2026-02-28 visit", HOME, "2027-02-28", VISIT),
        (Tier.C, "2026-01-05 call", PHONE, "2027-01-05", CALL),
        (Tier.C, "2026-03-01 visit", PHONE, "2027-03-01", VISIT),
        (Tier.C, "2026-03-01 call, 2026-11-01 sms", PHONE, "2027-03-01", CALL),
    ],
    ids=[
        "A: SMS every quarter from the last SMS",
        "a call does not move the SMS item",
        "a chat message counts as the greeting",
        "B: SMS every two months",
        "C: SMS every month (31 Oct + 1 month = 30 Nov)",
        "A: a home visit a year from the last visit, not from the SMS",
        "B: a home visit a year",
        "C: a phone callback a year from the last call",
        "C: a visit counts as the callback",
        "C: an SMS does not move the callback",
    ],
)
def test_cadence_runs_from_the_last_matching_contact(
    tier: Tier, logged: str, action: Action, due: str, matched: ContactType
) -> None:
    entries = [entry.split() for entry in logged.split(", ")]
    result = run(
        [customer()], [contact(day, ContactType(kind)) for day, kind in entries], tiers={"C1": tier}
    )
    item = due_of(result, action)
    assert (item.date, item.basis, item.matched, item.tier) == (
        d(due),
        Basis.LAST_MATCH,
        matched,
        tier,
    )


@pytest.mark.parametrize(
    ("tier", "since", "action", "due", "basis"),
    [
        (Tier.A, "2026-09-10", Action.SMS_GREETING, "2026-12-10", Basis.SINCE),
        (Tier.C, "2026-08-31", Action.SMS_GREETING, "2026-09-30", Basis.SINCE),
        (Tier.A, "2026-01-15", Action.HOME_VISIT, "2027-01-15", Basis.SINCE),
        (Tier.A, None, Action.SMS_GREETING, "2026-11-23", Basis.NO_HISTORY),
        (Tier.C, None, Action.PHONE_CALLBACK, "2026-11-23", Basis.NO_HISTORY),
    ],
    ids=[
        "one cadence after since",
        "month end after since",
        "a year after since",
        "no since: due today",
        "no since: the callback is due today too",
    ],
)
def test_without_a_matching_contact_the_item_runs_from_since_else_today(
    tier: Tier, since: str | None, action: Action, due: str, basis: Basis
) -> None:
    result = run([customer(since=since)], [contact("2026-11-20", COMPLAINT)], tiers={"C1": tier})
    item = due_of(result, action)
    assert (item.date, item.basis, item.matched) == (d(due), basis, None)


@pytest.mark.parametrize(
    ("status", "logged", "since", "due", "overdue"),
    [
        (Status.PROSPECT, [("2026-11-20", SMS)], None, "2026-11-27", 0),
        (Status.PROSPECT, [("2026-11-10", COMPLAINT)], None, "2026-11-17", 6),
        (Status.PROSPECT, [], "2026-11-02", "2026-11-09", 14),
        (Status.CUSTOMER, [("2026-10-23", CALL)], None, "2026-11-23", 0),
        (Status.CUSTOMER, [("2026-09-30", VISIT), ("2026-08-01", SMS)], None, "2026-10-30", 24),
        (Status.CUSTOMER, [], "2026-10-01", "2026-11-01", 22),
        (Status.CUSTOMER, [], None, "2026-11-23", 0),
    ],
    ids=[
        "prospect: a week after any contact",
        "prospect: even a complaint is a contact",
        "prospect never contacted: a week after since",
        "completed: a month after the last contact, due today",
        "completed: from the latest contact of any type",
        "completed, never contacted: a month after since",
        "completed, never contacted, no since: today",
    ],
)
def test_lifecycle_prospects_weekly_completed_customers_monthly(
    status: Status, logged: list[tuple[str, ContactType]], since: str | None, due: str, overdue: int
) -> None:
    contacts = [contact(day, kind, resolved=True) for day, kind in logged]
    result = run([customer(status=status, since=since)], contacts)
    row = result.rows["C1"]
    assert actions(result) == [(Action.ANY_CONTACT, d(due))]
    assert (row.next_contact, row.days_overdue, row.tier) == (d(due), overdue, None)
    assert row.next_action is not None and row.next_action.status is status


def test_a_row_by_hand() -> None:
    # A completed tier-A customer: SMS 1 Jul, visit 10 Feb, an order on 10 Nov never called.
    result = run(
        [customer(status=Status.CUSTOMER, since="2024-01-01")],
        [contact("2026-07-01", SMS), contact("2026-02-10", VISIT)],
        [order("2026-11-10"), order("2026-03-01")],
        {"C1": Tier.A},
    )
    row = result.rows["C1"]
    assert actions(result) == [
        (Action.ANY_CONTACT, d("2026-08-01")),  # a month after the last contact (1 Jul)
        (Action.SMS_GREETING, d("2026-10-01")),  # a quarter after the last SMS
        (Action.ORDER_CALLBACK, d("2026-11-17")),  # 7 days after the last order
        (Action.HOME_VISIT, d("2027-02-10")),  # a year after the last visit
    ]
    assert row.last_contact == d("2026-07-01")
    assert row.next_contact == d("2026-08-01")
    assert row.days_overdue == 31 + 30 + 31 + 22  # 1 Aug → 23 Nov
    assert (row.owner, row.owner_status) == ("Li", OwnerStatus.ACTIVE)
    assert row.plan == PARAMS.tiers[Tier.A] + PARAMS.lifecycle[Status.CUSTOMER]
    assert row.next_action is not None
    assert describe(row.next_action, "en") == "contact (every month, customer; last SMS 2026-07-01)"
    assert describe_plan(row.plan, "zh-Hans") == (
        "每季度短信问候；每年上门拜访；每月联系客户；生日短信；节日贺卡；乔迁礼品；每年抽奖 2 次"
    )
    assert [task.due.action for task in result.tasks["Li"]] == [
        Action.ANY_CONTACT,
        Action.SMS_GREETING,
        Action.ORDER_CALLBACK,
    ]
    assert [task.days_overdue for task in result.tasks["Li"]] == [114, 53, 6]


@pytest.mark.parametrize(
    ("orders", "logged", "days", "due"),
    [
        (["2026-11-10"], [], 7, "2026-11-17"),
        (["2026-11-10"], [("2026-11-12", CALL)], 7, None),
        (["2026-11-10"], [("2026-11-14", VISIT)], 7, None),
        (["2026-11-10"], [("2026-11-10", CALL)], 7, "2026-11-17"),
        (["2026-11-10"], [("2026-11-12", SMS)], 7, "2026-11-17"),
        (["2026-10-01", "2026-11-20"], [("2026-10-05", CALL)], 7, "2026-11-27"),
        (["2026-11-10"], [], 3, "2026-11-13"),
        (["2026-11-10"], [], None, None),
        (["2026-11-30"], [], 7, None),
    ],
    ids=[
        "7 days after the order",
        "a call after the order closes it",
        "so does a visit",
        "a call on the order day does not",
        "an SMS does not",
        "from the last order",
        "configured: 3 days",
        "configured: none",
        "an order dated after today is skipped",
    ],
)
def test_callback_after_an_order(
    orders: list[str], logged: list[tuple[str, ContactType]], days: int | None, due: str | None
) -> None:
    params = dataclasses.replace(NO_TIER_PLANS, order_callback_days=days)
    contacts, bought = [contact(a, k) for a, k in logged], [order(o) for o in orders]
    result = run([customer()], contacts, bought, params=params)
    assert actions(result) == ([(Action.ORDER_CALLBACK, d(due))] if due else [])
    if due:
        assert due_of(result, Action.ORDER_CALLBACK).ref == d(orders[-1])
    # A sync hands the plans the last purchase its ranking found: the same plans.
    values = customer_values(["C1"], bought, today=TODAY)
    known = {c: v.last_purchase for c, v in values.items() if v.last_purchase is not None}
    log = contact_log(contacts, TODAY)
    assert plan_logged([customer()], log, known, STAFF, {}, TODAY, params) == result


@pytest.mark.parametrize(
    ("logged", "who", "due", "overdue"),
    [
        (
            [contact("2026-11-10", CALL, staff="Zhao", callback="2026-11-23")],
            "Zhao",
            "2026-11-23",
            0,
        ),
        ([contact("2026-11-10", CALL, callback="2026-11-23")], "Li", "2026-11-23", 0),
        ([contact("2026-11-10", CALL, staff="Wang", callback="2026-11-23")], "Li", "2026-11-23", 0),
        (
            [
                contact("2026-11-10", CALL, staff="Zhao", callback="2026-11-20"),
                contact("2026-11-15", SMS),
            ],
            "Zhao",
            "2026-11-20",
            3,
        ),
        (
            [
                contact("2026-11-10", CALL, staff="Zhao", callback="2026-11-20"),
                contact("2026-11-20", CALL),
            ],
            None,
            None,
            0,
        ),
        (
            [
                contact("2026-11-01", CALL, staff="Zhao", callback="2026-11-20"),
                contact("2026-11-05", CALL, staff="Zhao", callback="2026-11-30"),
            ],
            None,
            "2026-11-30",
            0,
        ),
    ],
    ids=[
        "due on its day for the staff member who set it",
        "no staff on the entry: the owner",
        "the staff member left: the owner",
        "a contact before the day does not close it: overdue",
        "a contact on the day closes it",
        "a later entry's callback replaces the earlier one (not a task yet)",
    ],
)
def test_callback_dates_typed_in_the_log(
    logged: list[Contact], who: str | None, due: str | None, overdue: int
) -> None:
    result = run([customer()], logged, params=NO_TIER_PLANS)
    assert actions(result) == ([(Action.CALLBACK, d(due))] if due else [])
    tasks = {
        name: [(t.due.action, t.days_overdue) for t in ts] for name, ts in result.tasks.items()
    }
    expected: dict[str, list[tuple[Action, int]]] = {"Li": [], "Zhao": []}
    if who:
        expected[who] = [(Action.CALLBACK, overdue)]
    assert tasks == expected


@pytest.mark.parametrize(
    ("owner", "reassign", "effective", "status", "reassigned"),
    [
        ("Li", False, "Li", OwnerStatus.ACTIVE, None),
        ("Wang", False, "Wang", OwnerStatus.INACTIVE, None),
        ("Wang", True, "Zhao", OwnerStatus.INACTIVE, "Zhao"),
        ("Sun", True, "Zhao", OwnerStatus.INACTIVE, "Zhao"),
        ("Nobody", True, "Nobody", OwnerStatus.UNKNOWN, None),
        (None, True, None, OwnerStatus.MISSING, None),
    ],
    ids=[
        "active owner",
        "left: flagged, kept",
        "left: reassigned to the manager",
        "left, manager left too: the next active manager up",
        "not on the staff list: flagged differently, never reassigned",
        "no owner",
    ],
)
def test_owners_who_left_are_flagged_and_optionally_reassigned(
    owner: str | None,
    reassign: bool,
    effective: str | None,
    status: OwnerStatus,
    reassigned: str | None,
) -> None:
    params = dataclasses.replace(PARAMS, reassign_inactive=reassign)
    result = run([customer(owner=owner, status=Status.CUSTOMER)], params=params)
    row = result.rows["C1"]
    assert (row.owner, row.owner_status) == (effective, status)
    flagged = () if status is OwnerStatus.ACTIVE else (Unowned("C1", owner, status, reassigned),)
    assert result.unowned == flagged
    listed = [t.customer_id for t in result.tasks.get(effective or "", ())]
    assert listed == (["C1"] if effective else [])
    assert [t.customer_id for t in result.unassigned] == ([] if effective else ["C1"])


def test_without_a_staff_list_every_owner_counts_as_active() -> None:
    result = run([customer(owner="Wang", status=Status.CUSTOMER)], staff=())
    assert (result.rows["C1"].owner_status, result.unowned) == (OwnerStatus.ACTIVE, ())
    assert [t.customer_id for t in result.tasks["Wang"]] == ["C1"]


def test_task_order_complaints_of_a_and_b_first_then_most_overdue_then_today_by_tier() -> None:
    tiers: dict[str, Tier | None] = {f"C{i}": Tier(t) for i, t in enumerate("CBADABAB", start=1)}
    tiers["C9"] = None
    contacts = [
        contact("2026-11-01", COMPLAINT, "C1"),  # tier C: 22 days overdue, no precedence
        contact("2026-11-20", COMPLAINT, "C2"),  # B: 3 days
        contact("2026-10-20", CALL, "C3", callback="2026-10-24"),  # A callback: 30 days
        contact("2026-11-20", CALL, "C4", callback="2026-11-23"),  # D: today
        contact("2026-11-20", CALL, "C5", callback="2026-11-23"),  # A: today
        contact("2026-11-10", COMPLAINT, "C6"),  # B: 13 days
        contact("2026-11-20", CALL, "C7", callback="2026-11-23"),  # A: today
        contact("2026-11-01", COMPLAINT, "C8", resolved=True),  # resolved: no task
        contact("2026-11-20", CALL, "C9", callback="2026-11-23"),  # no tier: today, last
    ]
    people = [customer(f"C{i}") for i in range(1, 10)]
    result = run(people, contacts, tiers=tiers, params=NO_TIER_PLANS)
    assert [(t.customer_id, t.due.action, t.days_overdue) for t in result.tasks["Li"]] == [
        ("C6", Action.COMPLAINT, 13),
        ("C2", Action.COMPLAINT, 3),
        ("C3", Action.CALLBACK, 30),
        ("C1", Action.COMPLAINT, 22),
        ("C5", Action.CALLBACK, 0),
        ("C7", Action.CALLBACK, 0),
        ("C4", Action.CALLBACK, 0),
        ("C9", Action.CALLBACK, 0),
    ]


def test_an_open_complaint_is_the_next_action_and_a_resolved_one_is_not() -> None:
    result = run(
        [customer("C1"), customer("C2")],
        [
            contact("2026-11-01", COMPLAINT, "C1"),
            contact("2026-11-01", COMPLAINT, "C2", resolved=True),
        ],
        params=NO_TIER_PLANS,
    )
    first = result.rows["C1"].next_action
    assert first is not None and (first.action, first.ref, result.rows["C1"].days_overdue) == (
        Action.COMPLAINT,
        d("2026-11-01"),
        22,
    )
    assert result.rows["C2"].dues == ()


@pytest.mark.parametrize(
    ("tier", "status", "params", "plan"),
    [
        (None, Status.CUSTOMER, PARAMS, Plan((Cadenced(Action.ANY_CONTACT, Every(months=1)),))),
        (
            None,
            Status.PROSPECT,
            PARAMS,
            Plan((Cadenced(Action.ANY_CONTACT, Every(days=7)),), (Event.HOLIDAY_SMS,)),
        ),
        (None, Status.VISITOR, PARAMS, Plan()),
        (None, None, PARAMS, Plan()),
        (
            Tier.D,
            Status.CUSTOMER,
            PARAMS,
            Plan((Cadenced(Action.ANY_CONTACT, Every(months=1)),), (Event.HOLIDAY_GREETING,)),
        ),
        (
            Tier.B,
            Status.CUSTOMER,
            dataclasses.replace(PARAMS, tiers={Tier.A: PARAMS.tiers[Tier.A]}),
            Plan((Cadenced(Action.ANY_CONTACT, Every(months=1)),)),
        ),
        (Tier.D, Status.LOST, PARAMS, Plan()),
    ],
    ids=[
        "no tier: the completed customers' plan only",
        "no tier: the prospects' plan only",
        "visitor without tier: no plan",
        "neither tier nor status: no plan",
        "tier D and completed: holiday greetings and the monthly contact",
        "a tier with no plan configured: the lifecycle plan alone",
        "lost: no plan",
    ],
)
def test_which_plan_a_customer_gets(
    tier: Tier | None, status: Status | None, params: PlanParams, plan: Plan
) -> None:
    result = run([customer(status=status)], tiers={"C1": tier}, params=params)
    assert result.rows["C1"].plan == plan
    assert [due.action for due in result.rows["C1"].dues] == [c.action for c in plan.cadenced]


def test_lost_customers_keep_only_what_staff_typed_in_the_log() -> None:
    logged = [
        contact("2026-11-01", SMS, callback="2026-11-23"),
        contact("2026-11-02", COMPLAINT),
    ]
    result = run([customer(status=Status.LOST)], logged, [order("2026-11-20")], {"C1": Tier.A})
    assert actions(result) == [(Action.COMPLAINT, d("2026-11-02")), (Action.CALLBACK, TODAY)]
    assert describe_plan(result.rows["C1"].plan, "en") == ""


SMS_DUE = Due(
    Action.SMS_GREETING,
    d("2026-10-01"),
    Basis.LAST_MATCH,
    d("2026-07-01"),
    Every(months=3),
    tier=Tier.A,
    matched=SMS,
)
PROSPECT_DUE = Due(
    Action.ANY_CONTACT, TODAY, Basis.NO_HISTORY, every=Every(days=7), status=Status.PROSPECT
)
SINCE_DUE = Due(
    Action.ANY_CONTACT,
    d("2026-11-01"),
    Basis.SINCE,
    d("2026-10-01"),
    Every(months=1),
    status=Status.CUSTOMER,
)
ORDER_DUE = Due(Action.ORDER_CALLBACK, d("2026-11-17"), Basis.ORDER, d("2026-11-10"), days=7)
CALLBACK_DUE = Due(Action.CALLBACK, TODAY, Basis.LOG_CALLBACK, d("2026-11-10"), staff="Zhao")
COMPLAINT_DUE = Due(Action.COMPLAINT, d("2026-11-01"), Basis.COMPLAINT, d("2026-11-01"))


@pytest.mark.parametrize(
    ("due", "language", "text"),
    [
        (SMS_DUE, "en", "SMS greeting (every quarter, tier A; last SMS 2026-07-01)"),
        (SMS_DUE, "zh-Hans", "短信问候（每季度，A类；上次短信 2026-07-01）"),
        (SMS_DUE, "zh-Hant", "簡訊問候（每季，A類；上次簡訊 2026-07-01）"),
        (
            SMS_DUE,
            "es",
            "SMS de saludo (cada trimestre, clase A; último contacto: SMS, 2026-07-01)",
        ),
        (PROSPECT_DUE, "en", "contact (every week, prospect; nothing logged yet)"),
        (PROSPECT_DUE, "zh-Hans", "联系客户（每周，潜在客户；尚无联系记录）"),
        (PROSPECT_DUE, "zh-Hant", "聯繫客戶（每週，潛在客戶；尚無聯繫記錄）"),
        (PROSPECT_DUE, "es", "contacto (cada semana, prospecto; aún sin contactos registrados)"),
        (
            SINCE_DUE,
            "en",
            "contact (every month, customer; nothing logged, customer since 2026-10-01)",
        ),
        (SINCE_DUE, "zh-Hans", "联系客户（每月，成交客户；尚无记录，2026-10-01 起成为客户）"),
        (SINCE_DUE, "zh-Hant", "聯繫客戶（每月，成交客戶；尚無記錄，2026-10-01 起成為客戶）"),
        (
            SINCE_DUE,
            "es",
            "contacto (cada mes, cliente; sin registros, cliente desde el 2026-10-01)",
        ),
        (ORDER_DUE, "en", "after-sale callback (7 days after the order of 2026-11-10)"),
        (ORDER_DUE, "zh-Hans", "售后回访（2026-11-10 下单后 7 天）"),
        (ORDER_DUE, "zh-Hant", "售後回訪（2026-11-10 下單後 7 天）"),
        (ORDER_DUE, "es", "llamada posventa (7 días después del pedido del 2026-11-10)"),
        (CALLBACK_DUE, "en", "agreed callback (set on 2026-11-10)"),
        (CALLBACK_DUE, "zh-Hans", "约定回访（2026-11-10 约定）"),
        (CALLBACK_DUE, "zh-Hant", "約定回訪（2026-11-10 約定）"),
        (CALLBACK_DUE, "es", "llamada acordada (acordada el 2026-11-10)"),
        (COMPLAINT_DUE, "en", "complaint follow-up (complaint of 2026-11-01 not resolved)"),
        (COMPLAINT_DUE, "zh-Hans", "处理投诉（2026-11-01 的投诉尚未解决）"),
        (COMPLAINT_DUE, "zh-Hant", "處理投訴（2026-11-01 的投訴尚未解決）"),
        (COMPLAINT_DUE, "es", "atender la queja (queja del 2026-11-01 sin resolver)"),
    ],
)
def test_describe_in_four_languages(due: Due, language: str, text: str) -> None:
    assert describe(due, language) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "SMS greeting every quarter; home visit every year; birthday SMS; holiday card; "
            "house-moving gift; lucky draw 2× a year",
        ),
        ("zh-Hans", "每季度短信问候；每年上门拜访；生日短信；节日贺卡；乔迁礼品；每年抽奖 2 次"),
        ("zh-Hant", "每季簡訊問候；每年上門拜訪；生日簡訊；節日賀卡；喬遷禮品；每年抽獎 2 次"),
        (
            "es",
            "SMS de saludo cada trimestre; visita a domicilio cada año; SMS de cumpleaños; "
            "tarjeta navideña; regalo por mudanza; sorteo 2 veces al año",
        ),
    ],
)
def test_the_tier_a_plan_in_four_languages(language: str, text: str) -> None:
    assert describe_plan(PARAMS.tiers[Tier.A], language) == text


@pytest.mark.parametrize(
    ("every", "en", "zh"),
    [
        (Every(days=7), "every week", "每周"),
        (Every(days=14), "every 2 weeks", "每 2 周"),
        (Every(days=10), "every 10 days", "每 10 天"),
        (Every(months=1), "every month", "每月"),
        (Every(months=2), "every 2 months", "每 2 个月"),
        (Every(months=3), "every quarter", "每季度"),
        (Every(months=6), "every six months", "每半年"),
        (Every(months=12), "every year", "每年"),
        (Every(months=24), "every 2 years", "每 2 年"),
    ],
)
def test_cadence_words(every: Every, en: str, zh: str) -> None:
    assert (describe_every(every, "en"), describe_every(every, "zh-Hans")) == (en, zh)


def test_describe_task_adds_the_days_overdue() -> None:
    task = Task("C1", "name of C1", None, ORDER_DUE, 6)
    assert (
        describe_task(task, "en")
        == "after-sale callback (7 days after the order of 2026-11-10), 6 days overdue"
    )
    assert describe_task(task, "zh-Hans") == "售后回访（2026-11-10 下单后 7 天），逾期 6 天"
    assert describe_task(dataclasses.replace(task, days_overdue=0), "es").endswith("2026-11-10)")
    with pytest.raises(ValueError, match="use one of en, zh-Hans, zh-Hant, es"):
        describe(ORDER_DUE, "fr")


def test_every_text_exists_in_every_language() -> None:
    for table in (*ACTIONS.values(), *EVENTS.values()):
        assert set(table) == set(LANGUAGES)
    assert set(ACTIONS) == set(Action) and set(EVENTS) == set(Event)
    assert set(PATTERNS) == set(EVERY) == set(LANGUAGES)
    assert len({frozenset(p) for p in PATTERNS.values()}) == 1
    assert len({frozenset(p) for p in EVERY.values()}) == 1


# The `plans:` section for settings.yaml: the integrator copies this; the test below proves
# it says exactly what the defaults are.
DEFAULT_YAML = """
plans:
  # Plan per tier [003]. every: cadenced items, from the last matching contact in the log
  # (months or days). events: listed in the plan text (birthdays and holidays are sent by
  # the messages module). per_year: events staff run, e.g. lucky draws.
  # A tier left out has no plan of its own; its customers get the lifecycle plan alone.
  tiers:
    A:
      every: [{action: sms_greeting, months: 3}, {action: home_visit, months: 12}]
      events: [birthday_sms, holiday_card, moving_gift]
      per_year: {lucky_draw: 2}
    B:
      every: [{action: sms_greeting, months: 2}, {action: home_visit, months: 12}]
      events: [birthday_sms, holiday_card]
      per_year: {lucky_draw: 2}
    C:
      every: [{action: sms_greeting, months: 1}, {action: phone_callback, months: 12}]
      events: [birthday_sms, holiday_sms]
      per_year: {lucky_draw: 3}
    D:
      events: [holiday_greeting]
  # Plan per lifecycle stage [000], on top of the tier's: visitor | prospect | customer | lost.
  lifecycle:
    prospect:
      every: [{action: any_contact, days: 7}]
      events: [holiday_sms]
    customer:
      every: [{action: any_contact, months: 1}]
  # A callback this many days after a customer's last order [003]; null: none.
  order_callback_days: 7
  # Customers of staff who left go to the first active manager up their line [002].
  reassign_inactive: false
  # Complaints of these tiers head every task list [002].
  complaints_first: [A, B]
  # Contact types in the log that satisfy each cadenced item.
  matches:
    sms_greeting: [sms, chat, email, greeting]
    home_visit: [visit]
    phone_callback: [call, visit]
    any_contact: [visit, call, sms, email, chat, complaint, survey, greeting, quote, after_sales,
      delivery, follow_up, other]
"""


def test_the_documented_yaml_is_the_default() -> None:
    assert PlanSettings.model_validate(yaml.safe_load(DEFAULT_YAML)["plans"]) == PlanSettings()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"tiers": {"A": {"every": [{"action": "callback", "months": 1}]}}},
            "cannot be a plan item",
        ),
        (
            {"tiers": {"A": {"every": [{"action": "home_visit", "months": 1, "days": 2}]}}},
            "either months or days",
        ),
        ({"tiers": {"A": {"every": [{"action": "home_visit"}]}}}, "either months or days"),
        ({"tiers": {"E": {}}}, "Input should be 'A', 'B', 'C' or 'D'"),
        ({"lifecycle": {"prospect": {"events": ["fireworks"]}}}, "Input should be"),
        ({"order_callback_days": 0}, "greater than or equal to 1"),
        ({"reminders": True}, "Extra inputs are not permitted"),
    ],
    ids=[
        "not a cadenced action",
        "both",
        "neither",
        "no such tier",
        "no such event",
        "zero days",
        "unknown key",
    ],
)
def test_settings_refuse_what_the_rules_cannot_use(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PlanSettings.model_validate(data)


def test_a_tier_list_replaces_the_defaults() -> None:
    params = plan_params(
        PlanSettings.model_validate({"tiers": {"A": {"events": ["birthday_sms"]}}})
    )
    assert params.tiers == {Tier.A: Plan(events=(Event.BIRTHDAY_SMS,))}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2027-12-31", 2, "2028-02-29"),
        ("2026-11-23", 12, "2027-11-23"),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(day: str, months: int, expected: str) -> None:
    assert add_months(d(day), months) == d(expected)


days = st.integers(min_value=0, max_value=700).map(lambda n: TODAY - dt.timedelta(days=n))
kinds = st.sampled_from(list(ContactType))


@given(
    st.lists(st.tuples(days, kinds), max_size=6),
    st.sampled_from([None, *Tier]),
    st.sampled_from([None, *Status]),
    st.tuples(days, kinds),
)
def test_logging_a_contact_never_brings_the_plan_forward(
    logged: list[tuple[dt.date, ContactType]],
    tier: Tier | None,
    status: Status | None,
    extra: tuple[dt.date, ContactType],
) -> None:
    """Rows agree with their dues, and one more (resolved) contact never makes an item due
    sooner once it has a matching contact: staff's logging only moves dates later."""

    def row(entries: list[tuple[dt.date, ContactType]]) -> list[Due]:
        contacts = [
            Contact(row=i, date=day, type=kind, customer_id="C1", resolved=True)
            for i, (day, kind) in enumerate(entries)
        ]
        result = plan_customers(
            [customer(status=status)], contacts, [], STAFF, {"C1": tier}, TODAY, PARAMS
        )
        plan = result.rows["C1"]
        assert plan.next_contact == (plan.dues[0].date if plan.dues else None)
        overdue = max((TODAY - plan.next_contact).days, 0) if plan.next_contact else 0
        assert plan.days_overdue == overdue
        return list(plan.dues)

    before = row(logged)
    after = {due.action: due.date for due in row([*logged, extra])}
    assert {due.action for due in before} == set(after)
    # (an item never matched was due today or after `since`: a first contact may bring it in)
    assert all(after[due.action] >= due.date for due in before if due.basis is Basis.LAST_MATCH)
