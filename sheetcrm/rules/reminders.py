"""Which messages are due on a day [issue 4]: greetings to customers, a digest per staff
member, a weekly summary per manager. Pure: records, plans, holidays and `today` in; message
intents (recipient, occasion, the template's context) out. Words come later, from templates.

Customer messages follow the customer's plan: a birthday SMS where the plan lists one, a
holiday greeting where it lists a card or SMS, the periodic SMS greeting when it is due. A
customer who does not accept promotions gets none of them [003]; lost customers neither.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sheetcrm.message_context import (
    BirthdayContext,
    BirthdayItem,
    ByHandItem,
    ComplaintItem,
    CustomerContext,
    Holiday,
    HolidayContext,
    InactiveStaff,
    KindContext,
    ManagerSummaryContext,
    QuietCustomer,
    StaffContext,
    StaffDigestContext,
    TaskItem,
    TierChange,
    TouchContext,
    UnknownSend,
)
from sheetcrm.messages import text
from sheetcrm.outbound import MessageKind, Recipient, RecipientKind
from sheetcrm.records import Customer, Order, StaffMember
from sheetcrm.rules.addressing import is_company, salutation
from sheetcrm.rules.calendar import Occasion, next_birthday
from sheetcrm.rules.plan_settings import Action, Event
from sheetcrm.rules.plan_texts import ACTIONS, describe_reason
from sheetcrm.rules.plans import (
    CustomerPlan,
    OwnerStatus,
    PlanResult,
    Task,
    last_orders,
    latest_orders,
)
from sheetcrm.vocabulary import Calendar, Status, Tier

T = TypeVar("T")
BIRTHDAY_EVENTS = frozenset({Event.BIRTHDAY_SMS})
HOLIDAY_EVENTS = frozenset({Event.HOLIDAY_CARD, Event.HOLIDAY_SMS, Event.HOLIDAY_GREETING})
GIFT_TIERS = frozenset({Tier.A, Tier.B})  # their plans send cards and gifts [003]
# A message lists at most this many items per section, most urgent first: a digest of 1,500
# overdue items helps nobody, and templates cap a message's length.
LIST_LIMIT = 30
MANAGER_WORDS = frozenset({"manager", "经理", "經理", "主管", "gerente", "jefe", "director"})


@dataclass(frozen=True, slots=True)
class Intent:
    """A message that is due: to whom, for which day, and what its template is given."""

    kind: MessageKind
    recipient: Recipient
    occasion: dt.date
    context: KindContext
    reason: str  # why, in the staff's language (shown in preview and the Outbox)
    template: str | None = None  # a custom occasion's own template, where it has one


@dataclass(frozen=True)
class ReminderParams:
    company: str
    language: str  # the workbook's: staff messages, and customers without a language
    birthday_reminder_days: int = 3
    greet_customers: bool = True
    greet_when_consent_unknown: bool = True
    grace_days: Mapping[str, int] | None = None  # per kind; late messages only within these
    summary_weekday: int = 0  # Monday
    quiet_days: int = 90
    familiar: bool = False  # address customers with tú / by first name


@dataclass(frozen=True, slots=True)
class LoggedChange:
    """A row of the Tier history, for the weekly summary."""

    date: dt.date
    customer_id: str
    name: str
    old: str
    new: str


def customer_intents(
    customers: Sequence[Customer],
    staff: Sequence[StaffMember],
    plans: PlanResult,
    holidays: Mapping[str, Sequence[Occasion]],
    today: dt.date,
    params: ReminderParams,
) -> list[Intent]:
    """Birthday, holiday and periodic greetings due on `today` (or missed within their grace),
    most important first: one message a day per customer is the usual limit."""
    if not params.greet_customers:
        return []
    people = {s.name: s for s in staff}
    intents: list[Intent] = []
    for c in customers:
        if not _greets(c, params):
            continue
        row = plans.rows.get(c.id)
        if row is None:
            continue
        language = c.language or params.language
        occasions = holidays.get(language, holidays.get(params.language, ()))
        due = _greetings_due(c, row, occasions, today, params)
        if not due:
            continue  # most customers, most days: no need to address them
        recipient = _customer(c, language)
        sender = _sender(people.get(row.owner or ""), row.owner)
        who = CustomerContext(
            c.name,
            salutation(c, language, familiar=params.familiar),
            company=is_company(c.name),
            familiar=params.familiar,
        )
        for kind, day, holiday, reason, template in due:
            context: KindContext
            if kind is MessageKind.BIRTHDAY:
                context = BirthdayContext(who, sender, params.company, day)
            elif holiday is not None:
                context = HolidayContext(who, sender, params.company, holiday)
            else:
                context = TouchContext(who, sender, params.company)
            intents.append(Intent(kind, recipient, day, context, reason, template))
    return intents


# A greeting due: its kind, its day, the holiday (for a holiday's), why, its template.
_Due = tuple[MessageKind, dt.date, Holiday | None, str, str | None]


def _greetings_due(
    c: Customer, row: CustomerPlan, occasions: Sequence[Occasion], today: dt.date, p: ReminderParams
) -> list[_Due]:
    """The customer's birthday, holiday and periodic greetings due on `today` (or missed
    within their grace), in that order."""
    due: list[_Due] = []
    events = set(row.plan.events)
    if c.birthday and events & BIRTHDAY_EVENTS:
        calendar = c.birthday_calendar or Calendar.SOLAR
        # Each birthday within the grace, oldest first: from the window's first day on, the
        # next one, then the one after it (a day at a time cost 10,000 customers 0.03 s).
        grace = dt.timedelta(days=_grace(p, MessageKind.BIRTHDAY))
        day = next_birthday(c.birthday, calendar, today - grace)
        while day <= today:
            due.append((MessageKind.BIRTHDAY, day, None, text("why.birthday", p.language), None))
            day = next_birthday(c.birthday, calendar, day + dt.timedelta(days=1))
    if events & HOLIDAY_EVENTS:
        for o in occasions:
            if _within(o.date, today, _grace(p, MessageKind.HOLIDAY)):
                holiday = Holiday(o.name, o.date, o.wish, o.phrase)
                template = o.template if o.template != "holiday" else None
                due.append((MessageKind.HOLIDAY, o.date, holiday, o.name, template))
    # An open complaint first: a cheerful "how are you?" that week reads as not listening.
    complaint_open = any(d.action is Action.COMPLAINT for d in row.dues)
    for d in () if complaint_open else row.dues:
        # A greeting overdue for longer than its grace is not sent on the first day the
        # job runs (3,000 at once for a 10,000-customer shop): it stays a staff task, in
        # the digest, until a contact is logged; from then on the job keeps the rhythm.
        if d.action is Action.SMS_GREETING and _within(d.date, today, _grace(p, MessageKind.TOUCH)):
            due.append((MessageKind.TOUCH, d.date, None, describe_reason(d, p.language), None))
            break
    return due


def staff_intents(
    customers: Sequence[Customer],
    staff: Sequence[StaffMember],
    plans: PlanResult,
    today: dt.date,
    params: ReminderParams,
    by_hand: Mapping[str, Sequence[ByHandItem]] | None = None,
) -> list[Intent]:
    """A digest for each active staff member who has something to do or prepare; `by_hand`:
    per staff name, the messages they are to send from their own phone today."""
    language = params.language
    by_id = {c.id: c for c in customers}
    birthdays = _birthdays_coming(customers, plans, today, params.birthday_reminder_days)
    intents = []
    for member in staff:
        if not member.active:
            continue
        tasks = plans.tasks.get(member.name, ())
        work = [t for t in tasks if t.due.action is not Action.COMPLAINT]
        due_today = _first(_task(t, by_id, language) for t in work if t.days_overdue == 0)
        overdue = _first(_task(t, by_id, language) for t in work if t.days_overdue > 0)
        complaints = _first(
            _complaint(t, by_id, today) for t in tasks if t.due.action is Action.COMPLAINT
        )
        coming = _first(birthdays.get(member.name, ()))
        to_send = (by_hand or {}).get(member.name, ())
        if not (due_today or overdue or complaints or coming or to_send):
            continue
        context = StaffDigestContext(
            StaffContext(member.name, member.phone or ""),
            params.company,
            today,
            tasks=due_today,
            overdue=overdue,
            birthdays=coming,
            complaints=complaints,
            by_hand=_first(to_send),
            tasks_total=sum(1 for t in work if t.days_overdue == 0),
            overdue_total=sum(1 for t in work if t.days_overdue > 0),
            by_hand_total=len(to_send),
        )
        reason = text("why.digest", language, tasks=len(work), birthdays=len(coming))
        recipient = _staff(member, language)
        intents.append(Intent(MessageKind.STAFF_DIGEST, recipient, today, context, reason))
    return intents


SUMMARY_WEEK = dt.timedelta(days=7)  # what the managers' summary looks back on


def orders_still_needed(orders: Sequence[Order], today: dt.date) -> tuple[Order, ...]:
    """The orders a run reads once its customers are ranked: each customer's latest up to
    `today` (all the managers' quiet customers take of them; the plans take the same day
    from the ranking) and those of the past week (the managers' spend), in their order. A
    tenth of them, or less: at 100,000 customers the rest is 150 MB the write's peak does
    better without."""
    kept = {id(o) for o in latest_orders(orders, today).values()}
    start = today - SUMMARY_WEEK
    return tuple(o for o in orders if id(o) in kept or start <= o.date <= today)


def week_spend(orders: Sequence[Order], today: dt.date) -> Decimal:
    """What customers spent in the week the managers' summary looks back on (to yesterday)."""
    start = today - SUMMARY_WEEK
    return sum((o.amount for o in orders if start <= o.date < today), Decimal(0))


def manager_intents(
    customers: Sequence[Customer],
    staff: Sequence[StaffMember],
    orders: Sequence[Order],
    plans: PlanResult,
    tiers: Mapping[str, Tier | None],
    changes: Sequence[LoggedChange],
    problem_count: int,
    today: dt.date,
    params: ReminderParams,
    unknown_sends: Sequence[UnknownSend] = (),
) -> list[Intent]:
    """On the summary weekday, a summary of the past week for every manager: also the
    messages of the week that may or may not have arrived, for someone to check."""
    if today.weekday() != params.summary_weekday:
        return []
    start = today - SUMMARY_WEEK
    owners = {cid: row.owner or "" for cid, row in plans.rows.items()}
    week = _first(
        TierChange(ch.name, ch.old, ch.new, owners.get(ch.customer_id, ""))
        for ch in changes
        if start <= ch.date <= today
    )
    spent = week_spend(orders, today)
    context_quiet = _quiet(customers, orders, plans, tiers, today, params.quiet_days)
    inactive = _inactive(plans, tiers)
    intents = []
    for member in _managers(staff):
        context = ManagerSummaryContext(
            StaffContext(member.name, member.phone or ""),
            params.company,
            start,
            today - dt.timedelta(days=1),
            tier_changes=week,
            quiet=context_quiet,
            inactive_staff=inactive,
            problem_count=problem_count,
            total_spent=spent,
            unknown_sends=_first(u for u in unknown_sends if start <= u.day <= today),
        )
        recipient = _staff(member, params.language)
        reason = text(
            "why.summary", params.language, start=start.isoformat(), end=today.isoformat()
        )
        intents.append(Intent(MessageKind.MANAGER_SUMMARY, recipient, today, context, reason))
    return intents


def _first(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(itertools.islice(items, LIST_LIMIT))


def _greets(c: Customer, params: ReminderParams) -> bool:
    if c.status is Status.LOST:
        return False
    if c.accepts_promotions is None:
        return params.greet_when_consent_unknown
    return c.accepts_promotions


def _grace(params: ReminderParams, kind: MessageKind) -> int:
    return (params.grace_days or {}).get(kind.value, 0)


def _within(day: dt.date, today: dt.date, grace: int) -> bool:
    return today - dt.timedelta(days=grace) <= day <= today


def _customer(c: Customer, language: str) -> Recipient:
    # The WeChat id is the chat handle staff message the customer on, by hand.
    return Recipient(RecipientKind.CUSTOMER, c.id, c.name, language, c.email, c.phone, c.wechat)


def _staff(member: StaffMember, language: str) -> Recipient:
    return Recipient(
        RecipientKind.STAFF,
        member.name,
        member.name,
        language,
        member.email,
        member.phone,
        member.chat_id,
    )


def _sender(member: StaffMember | None, owner: str | None) -> StaffContext:
    """Who signs a customer's greeting: the acting owner (the manager, when the owner left
    and customers are reassigned), never someone who has left; nobody: the shop signs."""
    if member is not None:
        return StaffContext(member.name, member.phone or "") if member.active else StaffContext("")
    return StaffContext(owner or "")  # a name not on the staff list: as typed


def _task(task: Task, customers: Mapping[str, Customer], language: str) -> TaskItem:
    c = customers.get(task.customer_id)
    return TaskItem(
        customer=task.customer_name,
        phone=(c.phone or "") if c else "",
        action=ACTIONS[task.due.action][language],
        reason=describe_reason(task.due, language),
        due=task.due.date,
        days_overdue=task.days_overdue,
        tier=task.tier.value if task.tier else "",
    )


def _complaint(task: Task, customers: Mapping[str, Customer], today: dt.date) -> ComplaintItem:
    c = customers.get(task.customer_id)
    opened = task.due.ref or task.due.date
    return ComplaintItem(
        customer=task.customer_name,
        phone=(c.phone or "") if c else "",
        summary=task.due.summary or "",
        opened=opened,
        days_open=(today - opened).days,
        tier=task.tier.value if task.tier else "",
    )


def _birthdays_coming(
    customers: Sequence[Customer], plans: PlanResult, today: dt.date, days: int
) -> dict[str, list[BirthdayItem]]:
    """Birthdays in the next `days` days (today included), by owner: gifts take time [000]."""
    coming: dict[str, list[BirthdayItem]] = defaultdict(list)
    for c in customers:
        row = plans.rows.get(c.id)
        if c.birthday is None or row is None or not row.owner or c.status is Status.LOST:
            continue
        day = next_birthday(c.birthday, c.birthday_calendar or Calendar.SOLAR, today)
        if (day - today).days <= days:
            tier = row.tier
            coming[row.owner].append(
                BirthdayItem(
                    c.name,
                    c.phone or "",
                    day,
                    (day - today).days,
                    tier.value if tier else "",
                    gift=tier in GIFT_TIERS,
                )
            )
    for items in coming.values():
        items.sort(key=lambda b: (b.in_days, b.customer))
    return coming


def _quiet(
    customers: Sequence[Customer],
    orders: Sequence[Order],
    plans: PlanResult,
    tiers: Mapping[str, Tier | None],
    today: dt.date,
    quiet_days: int,
) -> tuple[QuietCustomer, ...]:
    """A and B customers with no purchase and no contact for `quiet_days` [003]: churn risk."""
    last_order = last_orders(orders, today)
    quiet = []
    for c in customers:
        tier = tiers.get(c.id)
        row = plans.rows.get(c.id)
        if tier not in GIFT_TIERS or row is None or tier is None:
            continue
        bought, contact = last_order.get(c.id), row.last_contact
        latest = max((d for d in (bought, contact) if d), default=None)
        days = (today - latest).days if latest else quiet_days
        if days >= quiet_days:
            quiet.append(QuietCustomer(c.name, tier.value, row.owner or "", days, bought, contact))
    quiet.sort(key=lambda q: (q.tier, -q.days_quiet, q.customer))
    return _first(quiet)


def _inactive(plans: PlanResult, tiers: Mapping[str, Tier | None]) -> tuple[InactiveStaff, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for u in plans.unowned:
        if u.status is OwnerStatus.INACTIVE and u.owner:
            counts[u.owner][0] += 1
            counts[u.owner][1] += tiers.get(u.customer_id) in GIFT_TIERS
    return tuple(InactiveStaff(name, n, key) for name, (n, key) in sorted(counts.items()))


def _managers(staff: Sequence[StaffMember]) -> list[StaffMember]:
    """Active staff who manage someone, or whose role says manager."""
    named = {s.manager for s in staff if s.manager}
    return [
        s
        for s in staff
        if s.active and (s.name in named or (s.role or "").strip().casefold() in MANAGER_WORDS)
    ]
