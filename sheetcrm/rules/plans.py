"""Maintenance plans [000][002][003]: what is due for each customer, and each staff member's tasks.

Pure: records, tiers, frozen parameters and `today` in; frozen rows and tasks out. Texts are
rendered apart, in `sheetcrm.rules.plan_texts`; the defaults live in `plan_settings`.

What is due, and when
- A cadenced item ("SMS greeting every 3 months") is due one cadence after the last contact
  of a type that matches it (`PlanParams.matches`), so staff's own logging moves the date.
  With no matching contact ever it is due one cadence after the customer's `since` date;
  without `since`, today.
- A callback date typed in the contact log [000] is due on that day, for the staff member of
  that entry (else the customer's owner). Only the latest entry with a callback of each staff
  member and customer counts (a new date replaces the old one), and it is done once any
  contact with the customer is logged on or after the callback date.
- After the last order, a callback `order_callback_days` later [003], unless a contact that
  matches `phone_callback` (a call or a visit, by default) was logged after the order day.
- Each complaint whose `resolved` is not yes is an open task from its own date [001];
  complaints of the `complaints_first` tiers (A and B) head the task lists [002].
- Entries and orders dated after today are skipped (validation reports them).

Whose task: the customer's effective owner: the owner, or, when `reassign_inactive` is on and
the owner has left, the first active manager up the owner's line [002]. A log callback goes to
the staff member of its entry while they are active. With an empty staff list every owner is
taken as active. Lost customers get no tier plan and no after-order callback, only their
lifecycle plan (none by default); callbacks typed in the log and open complaints still count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sheetcrm.records import Contact, Customer, Order, StaffMember
from sheetcrm.rules.plan_settings import Action, Cadenced, Every, Plan, PlanParams
from sheetcrm.vocabulary import ContactType, Status, Tier


class Basis(StrEnum):
    """Why an item is due on its date."""

    LAST_MATCH = "last_match"  # one cadence after the last matching contact
    SINCE = "since"  # no matching contact: one cadence after the customer's `since`
    NO_HISTORY = "no_history"  # neither: today
    LOG_CALLBACK = "log_callback"
    ORDER = "order"
    COMPLAINT = "complaint"


class OwnerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # on the staff list, not active
    UNKNOWN = "unknown"  # not on the staff list
    MISSING = "missing"  # no owner typed


@dataclass(frozen=True, slots=True)
class Due:
    """One item due for a customer: what, when, and what the reason names."""

    action: Action
    date: dt.date
    basis: Basis
    ref: dt.date | None = None  # last matching contact, since, order, entry or complaint date
    every: Every | None = None
    tier: Tier | None = None  # the plan the item comes from: a tier's…
    status: Status | None = None  # …or the lifecycle's
    matched: ContactType | None = None  # the type of the last matching contact
    staff: str | None = None  # who logged the entry (callbacks, complaints)
    days: int | None = None  # days after the order (order callbacks)


@dataclass(frozen=True, slots=True)
class CustomerPlan:
    """The register's plan columns of one customer."""

    customer_id: str
    tier: Tier | None
    plan: Plan
    dues: tuple[Due, ...]  # every item due, by date; same day: complaints, callbacks, order
    last_contact: dt.date | None  # of any kind
    days_overdue: int  # today − next contact, or 0
    owner: str | None  # the effective owner
    owner_status: OwnerStatus  # of the owner typed in the register

    @property
    def next_action(self) -> Due | None:
        return self.dues[0] if self.dues else None

    @property
    def next_contact(self) -> dt.date | None:
        return self.dues[0].date if self.dues else None


@dataclass(frozen=True, slots=True)
class Task:
    customer_id: str
    customer_name: str
    tier: Tier | None
    due: Due
    days_overdue: int  # 0: due today


@dataclass(frozen=True, slots=True)
class Unowned:
    """A customer whose owner is missing, unknown or has left [002]."""

    customer_id: str
    owner: str | None
    status: OwnerStatus
    reassigned_to: str | None


@dataclass(frozen=True)
class PlanResult:
    rows: Mapping[str, CustomerPlan]
    tasks: Mapping[str, tuple[Task, ...]]  # per staff name, sorted; every active staff member
    unassigned: tuple[Task, ...]  # tasks of customers with nobody to do them
    unowned: tuple[Unowned, ...]


class _Log:
    """What the rules need of one customer's contact log, gathered in one pass."""

    __slots__ = ("by_type", "callbacks", "complaints", "last")

    def __init__(self) -> None:
        self.last: dt.date | None = None
        self.by_type: dict[ContactType, dt.date] = {}
        self.callbacks: dict[str | None, Contact] = {}  # latest entry with a callback per staff
        self.complaints: list[Contact] = []

    def last_of(self, types: frozenset[ContactType]) -> tuple[dt.date, ContactType] | None:
        found = [(d, t) for t, d in self.by_type.items() if t in types]
        return max(found) if found else None


_NO_LOG = _Log()


def _logs(contacts: Sequence[Contact], today: dt.date) -> dict[str, _Log]:
    logs: dict[str, _Log] = {}
    for c in contacts:
        if c.customer_id is None or c.date > today:
            continue
        log = logs.get(c.customer_id)
        if log is None:
            log = logs[c.customer_id] = _Log()
        day = c.date
        if log.last is None or day > log.last:
            log.last = day
        seen = log.by_type.get(c.type)
        if seen is None or day > seen:
            log.by_type[c.type] = day
        if c.callback is not None:
            before = log.callbacks.get(c.staff)
            if before is None or (day, c.row) > (before.date, before.row):
                log.callbacks[c.staff] = c
        if c.type is ContactType.COMPLAINT and c.resolved is not True:
            log.complaints.append(c)
    return logs


def _last_orders(orders: Sequence[Order], today: dt.date) -> dict[str, dt.date]:
    last: dict[str, dt.date] = {}
    for o in orders:
        if o.date <= today and (o.customer_id not in last or o.date > last[o.customer_id]):
            last[o.customer_id] = o.date
    return last


class _Owners:
    """Owner names → effective owner, status and reassignment, cached per name."""

    def __init__(self, staff: Sequence[StaffMember], reassign: bool) -> None:
        self.staff = {s.name: s for s in staff}
        self.reassign = reassign
        self.cache: dict[str | None, tuple[str | None, OwnerStatus, str | None]] = {}

    def is_active(self, name: str | None) -> bool:
        if not name:
            return False
        member = self.staff.get(name)
        return member.active if member is not None else not self.staff

    def resolve(self, owner: str | None) -> tuple[str | None, OwnerStatus, str | None]:
        """(effective owner, status of the typed owner, manager reassigned to)."""
        if owner in self.cache:
            return self.cache[owner]
        result: tuple[str | None, OwnerStatus, str | None]
        if not owner:
            result = (None, OwnerStatus.MISSING, None)
        elif self.is_active(owner):
            result = (owner, OwnerStatus.ACTIVE, None)
        elif owner not in self.staff:
            result = (owner, OwnerStatus.UNKNOWN, None)
        else:
            manager = self._active_manager(owner) if self.reassign else None
            result = (manager or owner, OwnerStatus.INACTIVE, manager)
        self.cache[owner] = result
        return result

    def _active_manager(self, name: str) -> str | None:
        seen = {name}
        manager = self.staff[name].manager
        while manager and manager not in seen and manager in self.staff:
            if self.staff[manager].active:
                return manager
            seen.add(manager)
            manager = self.staff[manager].manager
        return None


def _cadenced(
    item: Cadenced,
    tier: Tier | None,
    status: Status | None,
    customer: Customer,
    log: _Log,
    today: dt.date,
    params: PlanParams,
) -> Due:
    every = item.every
    last = log.last_of(params.matches.get(item.action, frozenset()))
    if last is not None:
        return Due(
            item.action,
            every.after(last[0]),
            Basis.LAST_MATCH,
            last[0],
            every,
            tier,
            status,
            last[1],
        )
    if customer.since is not None:
        since = customer.since
        return Due(item.action, every.after(since), Basis.SINCE, since, every, tier, status)
    return Due(item.action, today, Basis.NO_HISTORY, None, every, tier, status)


_Items = tuple[tuple[Cadenced, Tier | None, Status | None], ...]


def _plan_of(tier: Tier | None, status: Status | None, params: PlanParams) -> tuple[Plan, _Items]:
    """The customer's plan: the tier's (none when lost) and the lifecycle's, with origins."""
    tier_plan = params.tiers.get(tier) if tier is not None and status is not Status.LOST else None
    life_plan = params.lifecycle.get(status) if status is not None else None
    plan: Plan = Plan()
    items: _Items = ()
    if tier_plan is not None:
        plan = tier_plan
        items = tuple((c, tier, None) for c in tier_plan.cadenced)
    if life_plan is not None:
        plan = plan + life_plan
        items += tuple((c, None, status) for c in life_plan.cadenced)
    return plan, items


def _dues(
    customer: Customer,
    items: _Items,
    log: _Log,
    last_order: dt.date | None,
    today: dt.date,
    params: PlanParams,
) -> list[Due]:
    """Every item due for one customer, most urgent kind first (ties keep this order)."""
    dues = [
        Due(Action.COMPLAINT, c.date, Basis.COMPLAINT, c.date, staff=c.staff)
        for c in log.complaints
    ]
    for entry in log.callbacks.values():
        when = entry.callback
        if when is not None and (log.last is None or log.last < when):
            dues.append(
                Due(Action.CALLBACK, when, Basis.LOG_CALLBACK, entry.date, staff=entry.staff)
            )
    days = params.order_callback_days
    if last_order is not None and days and customer.status is not Status.LOST:
        called = log.last_of(params.matches.get(Action.PHONE_CALLBACK, frozenset()))
        if called is None or called[0] <= last_order:
            when = last_order + dt.timedelta(days=days)
            dues.append(Due(Action.ORDER_CALLBACK, when, Basis.ORDER, last_order, days=days))
    dues += [_cadenced(c, tier, status, customer, log, today, params) for c, tier, status in items]
    return dues


_TIER_RANK = {Tier.A: 0, Tier.B: 1, Tier.C: 2, Tier.D: 3, None: 4}


def plan_customers(
    customers: Sequence[Customer],
    contacts: Sequence[Contact],
    orders: Sequence[Order],
    staff: Sequence[StaffMember],
    tiers: Mapping[str, Tier | None],
    today: dt.date,
    params: PlanParams,
) -> PlanResult:
    """Plan columns per customer and the task list of each staff member for `today`."""
    logs = _logs(contacts, today)
    last_orders = _last_orders(orders, today)
    owners = _Owners(staff, params.reassign_inactive)
    plans: dict[tuple[Tier | None, Status | None], tuple[Plan, _Items]] = {}
    rows: dict[str, CustomerPlan] = {}
    tasks: dict[str | None, list[tuple[tuple[int, int, int, str], Task]]] = defaultdict(list)
    unowned: list[Unowned] = []
    for customer in customers:
        tier = tiers.get(customer.id)
        owner, owner_status, manager = owners.resolve(customer.owner)
        if owner_status is not OwnerStatus.ACTIVE:
            unowned.append(Unowned(customer.id, customer.owner, owner_status, manager))
        key = (tier, customer.status)
        if key not in plans:
            plans[key] = _plan_of(tier, customer.status, params)
        plan, items = plans[key]
        log = logs.get(customer.id, _NO_LOG)
        dues = sorted(
            _dues(customer, items, log, last_orders.get(customer.id), today, params),
            key=lambda d: d.date,
        )
        overdue = max((today - dues[0].date).days, 0) if dues else 0
        rows[customer.id] = CustomerPlan(
            customer.id, tier, plan, tuple(dues), log.last, overdue, owner, owner_status
        )
        for due in dues:
            if due.date > today:
                continue
            late = (today - due.date).days
            who = owner
            if due.action is Action.CALLBACK and owners.is_active(due.staff):
                who = due.staff
            head = due.action is Action.COMPLAINT and tier in params.complaints_first
            sort = (0 if head else 1, -late, _TIER_RANK[tier], customer.id)
            tasks[who].append((sort, Task(customer.id, customer.name, tier, due, late)))
    by_staff: dict[str, tuple[Task, ...]] = {s.name: () for s in staff if s.active}
    for who, listed in tasks.items():
        if who is not None:
            by_staff[who] = _sorted(listed)
    return PlanResult(rows, by_staff, _sorted(tasks.get(None, [])), tuple(unowned))


def _sorted(listed: list[tuple[tuple[int, int, int, str], Task]]) -> tuple[Task, ...]:
    """Complaints of key tiers first, then most overdue first, then tier, then customer id;
    ties keep the customer's own order (complaints, callbacks, order callback, plan items)."""
    return tuple(task for _, task in sorted(listed, key=lambda pair: pair[0]))
