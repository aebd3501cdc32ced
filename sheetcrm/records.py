"""Plain, frozen records of what staff entered, after validation. Rules take these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sheetcrm.pickled import pickled_by_values
from sheetcrm.vocabulary import Calendar, ContactType, Gender, Status, Tier


@dataclass(frozen=True, slots=True)
class Customer:
    row: int  # 0-based sheet row, for reports only: never used to write
    id: str
    name: str
    phone: str | None = None
    email: str | None = None
    gender: Gender | None = None
    birthday: dt.date | None = None
    birthday_calendar: Calendar | None = None
    address: str | None = None
    organisation: str | None = None
    status: Status | None = None
    owner: str | None = None
    language: str | None = None
    accepts_promotions: bool | None = None
    since: dt.date | None = None
    notes: str | None = None
    tier_override: Tier | None = None  # a manager's choice; counts only with an approver [000]
    tier_approver: str | None = None
    vip_approver: str | None = None  # a manager who made this customer VIP [000]
    given_name: str | None = None  # as an export splits it; `name` holds both
    family_name: str | None = None
    wechat: str | None = None  # a WeChat id: a handle to message by hand, not a phone
    salutation: str | None = None  # how staff address them: 王姐, 张总, Doña Carmen, Sra.


@pickled_by_values  # the copy folding the log sends its callbacks and complaints back
@dataclass(frozen=True, slots=True)
class Contact:
    """One entry of the contact log: a visit, call, message, complaint or survey."""

    row: int
    date: dt.date
    type: ContactType
    customer_id: str | None = None
    customer_name: str | None = None
    phone: str | None = None
    staff: str | None = None
    summary: str | None = None
    intention: str | None = None
    callback: dt.date | None = None
    resolved: bool | None = None
    satisfaction: int | None = None
    # A log with a "how" and a "what" column: `type` is what the contact was about (a
    # complaint), `channel` how it happened (a phone call), when the two differ.
    channel: ContactType | None = None


@dataclass(frozen=True, slots=True)
class Order:
    row: int
    date: dt.date
    customer_id: str
    amount: Decimal
    order_id: str | None = None
    product: str | None = None
    quantity: int | None = None
    profit: Decimal | None = None
    cost: Decimal | None = None
    staff: str | None = None
    margin_rate: Decimal | None = None  # profit as a share of the amount (Margen %)


@dataclass(frozen=True, slots=True)
class StaffMember:
    row: int
    name: str
    email: str | None = None
    phone: str | None = None
    chat_id: str | None = None
    active: bool = True
    manager: str | None = None
    role: str | None = None


R = TypeVar("R", Customer, Contact, Order, StaffMember)
