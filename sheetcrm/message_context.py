"""What each message template can use: one frozen dataclass per message kind.

A template sees the fields of its kind's context as top-level names, e.g. a birthday template
uses `{{ customer.addressed }}`, `{{ staff.name }}`, `{{ company }}` and `{{ birthday|date }}`.
Build the context with its dataclass and pass `as_context(...)` to `TemplateLibrary.render`,
so that a misspelt field fails in mypy, not in a half-sent batch.

Items are tuples, not lists: templates cannot change what they are given, and the contexts
stay hashable. Text fields are already in the recipient's language (holiday names, actions,
reasons): the rules and the register produce them, the templates only arrange them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal

from sheetcrm.outbound import MessageKind


@dataclass(frozen=True, slots=True)
class CustomerContext:
    name: str  # as in the register, e.g. "王秀英", "María García"
    salutation: str = ""  # how to address them, e.g. "王女士", "Sra. García"; "" = name
    product: str = ""  # the product the periodic greeting asks about, e.g. "空气净化器"
    company: bool = False  # a business: no "you and your family"
    familiar: bool = False  # Spanish tú rather than usted (settings' messages.address)

    @property
    def addressed(self) -> str:
        """What the message calls the customer: the salutation if there is one."""
        return self.salutation or self.name


@dataclass(frozen=True, slots=True)
class StaffContext:
    name: str
    phone: str = ""  # shown to customers so they can call their own contact person


@dataclass(frozen=True, slots=True)
class Holiday:
    name: str  # in the customer's language, e.g. "中秋节", "Navidad"
    date: dt.date
    wish: str = ""  # what a card says, for the subject: "中秋快乐", "¡Feliz Navidad!"
    phrase: str = ""  # the name as a sentence uses it: "la Navidad"; "" = the name


@dataclass(frozen=True, slots=True)
class TaskItem:
    """A callback or visit due today or overdue, in a staff digest."""

    customer: str
    phone: str  # in full: staff need it to call
    action: str  # what to do, e.g. "回访电话", "home maintenance visit"
    reason: str  # why, e.g. "30 days after purchase", "quarterly greeting"
    due: dt.date
    days_overdue: int = 0
    tier: str = ""  # "A".."D" or "" when not tiered


@dataclass(frozen=True, slots=True)
class BirthdayItem:
    customer: str
    phone: str
    birthday: dt.date  # this year's date of the birthday
    in_days: int  # 0 = today
    tier: str = ""
    gift: bool = False  # the customer's plan includes a card or gift: remind staff to prepare it


@dataclass(frozen=True, slots=True)
class ComplaintItem:
    customer: str
    phone: str
    summary: str
    opened: dt.date
    days_open: int
    tier: str = ""  # templates list A and B first: key accounts' complaints are handled first [002]


@dataclass(frozen=True, slots=True)
class ByHandItem:
    """A message for staff to send from their own WeChat or WhatsApp, then tick as done in
    the Outbox: the whole text, ready to copy."""

    customer: str
    phone: str  # for WhatsApp, or to find them in WeChat
    wechat: str  # the WeChat id, when the register has one
    kind: str  # in the staff member's language, e.g. "生日祝福", "birthday"
    text: str  # the whole message
    until: dt.date  # the last day it may still go out (its grace)


@dataclass(frozen=True, slots=True)
class TierChange:
    customer: str
    old_tier: str  # "" for a customer tiered for the first time
    new_tier: str
    staff: str


@dataclass(frozen=True, slots=True)
class QuietCustomer:
    """An A or B customer with no purchase or contact for long."""

    customer: str
    tier: str
    staff: str
    days_quiet: int  # days since the later of the last purchase and the last contact
    last_purchase: dt.date | None = None
    last_contact: dt.date | None = None


@dataclass(frozen=True, slots=True)
class InactiveStaff:
    """A staff member marked inactive who still owns customers: they need a new owner [002]."""

    staff: str
    customers: int
    key_customers: int  # of which A or B


@dataclass(frozen=True, slots=True)
class UnknownSend:
    """A message whose request reached the provider but whose answer never came (a dropped
    line, a timeout): it may have arrived, so it is never resent; someone checks [issue 18]."""

    recipient: str
    kind: str  # in the manager's language, e.g. "生日祝福", "birthday greeting"
    channel: str  # the channel's name in settings.yaml, e.g. "sms", "mail"
    day: dt.date  # when it was sent


@dataclass(frozen=True, slots=True)
class BirthdayContext:
    customer: CustomerContext
    staff: StaffContext
    company: str
    birthday: dt.date


@dataclass(frozen=True, slots=True)
class HolidayContext:
    customer: CustomerContext
    staff: StaffContext
    company: str
    holiday: Holiday


@dataclass(frozen=True, slots=True)
class TouchContext:
    customer: CustomerContext
    staff: StaffContext
    company: str


@dataclass(frozen=True, slots=True)
class StaffDigestContext:
    staff: StaffContext
    company: str
    today: dt.date
    tasks: tuple[TaskItem, ...] = ()
    overdue: tuple[TaskItem, ...] = ()
    birthdays: tuple[BirthdayItem, ...] = ()
    complaints: tuple[ComplaintItem, ...] = ()
    by_hand: tuple[ByHandItem, ...] = ()  # messages to send by hand today, then tick
    # How many there are in all: the lists above stop at LIST_LIMIT items.
    tasks_total: int = 0
    overdue_total: int = 0
    by_hand_total: int = 0


@dataclass(frozen=True, slots=True)
class ManagerSummaryContext:
    manager: StaffContext
    company: str
    period_start: dt.date
    period_end: dt.date
    tier_changes: tuple[TierChange, ...] = ()
    quiet: tuple[QuietCustomer, ...] = ()
    inactive_staff: tuple[InactiveStaff, ...] = ()
    problem_count: int = 0
    total_spent: Decimal = Decimal(0)  # spend of all customers in the period, for `money`
    unknown_sends: tuple[UnknownSend, ...] = ()  # in the period: ask whether they arrived


KindContext = (
    BirthdayContext | HolidayContext | TouchContext | StaffDigestContext | ManagerSummaryContext
)

CONTEXT_TYPES: Mapping[MessageKind, type[KindContext]] = {
    MessageKind.BIRTHDAY: BirthdayContext,
    MessageKind.HOLIDAY: HolidayContext,
    MessageKind.TOUCH: TouchContext,
    MessageKind.STAFF_DIGEST: StaffDigestContext,
    MessageKind.MANAGER_SUMMARY: ManagerSummaryContext,
}


def as_context(context: KindContext) -> dict[str, object]:
    """The template's top-level names. Shallow on purpose: nested items keep their attributes."""
    return {f.name: getattr(context, f.name) for f in fields(context)}


SAMPLE_TODAY = dt.date(2026, 11, 23)
_CUSTOMER = CustomerContext(name="王秀英", salutation="王女士", product="空气净化器 AP-300")
_STAFF = StaffContext(name="李明", phone="+86 138 0013 8000")
_COMPANY = "明华家电"


def sample_context(kind: MessageKind) -> KindContext:
    """A filled-in context for every kind: `check_all`, the tests and previews render with it."""
    today = SAMPLE_TODAY
    days = dt.timedelta
    if kind is MessageKind.BIRTHDAY:
        return BirthdayContext(_CUSTOMER, _STAFF, _COMPANY, birthday=today)
    if kind is MessageKind.HOLIDAY:
        return HolidayContext(_CUSTOMER, _STAFF, _COMPANY, Holiday("中秋节", today))
    if kind is MessageKind.TOUCH:
        return TouchContext(_CUSTOMER, _STAFF, _COMPANY)
    if kind is MessageKind.STAFF_DIGEST:
        return StaffDigestContext(
            staff=_STAFF,
            company=_COMPANY,
            today=today,
            tasks=(
                TaskItem("王秀英", "13800138001", "电话回访", "购买后30天", today, tier="A"),
                TaskItem("Carlos Pérez", "+34 612 345 678", "上门保养", "年度保养", today),
            ),
            overdue=(TaskItem("陈志强", "13900139002", "回访", "季度问候", today - days(3), 3),),
            birthdays=(
                BirthdayItem("赵丽", "13700137003", today + days(3), 3, "B", gift=True),
                BirthdayItem("刘洋", "13600136004", today + days(1), 1, "C"),
            ),
            complaints=(
                ComplaintItem("周杰", "13500135005", "安装延误", today - days(2), 2, "C"),
                ComplaintItem("孙芳", "13400134006", "噪音大", today - days(5), 5, "A"),
            ),
            by_hand=(
                ByHandItem(
                    "王秀英",
                    "13800138001",
                    "wxid_wangxy",
                    "生日祝福",
                    "王女士您好！今天是您的生日，祝您生日快乐、身体健康、万事顺意！"
                    "\n明华家电 李明 敬上",
                    today + days(1),
                ),
            ),
        )
    return ManagerSummaryContext(
        manager=StaffContext(name="张经理"),
        company=_COMPANY,
        period_start=today - days(6),
        period_end=today,
        tier_changes=(TierChange("王秀英", "B", "A", "李明"), TierChange("吴刚", "", "C", "李明")),
        quiet=(QuietCustomer("郑华", "B", "李明", 210, today - days(400), today - days(210)),),
        inactive_staff=(InactiveStaff("何静", customers=34, key_customers=5),),
        problem_count=12,
        total_spent=Decimal("123456.50"),
        unknown_sends=(UnknownSend("王秀英", "生日祝福", "sms", today - days(2)),),
    )
