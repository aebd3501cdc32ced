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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter

from sheetcrm.frozen_builder import builder
from sheetcrm.records import Contact, Customer, Order, StaffMember
from sheetcrm.rules.contact_log import NEVER, TYPES, ContactLog, contact_log
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
    summary: str | None = None  # what the log entry says (complaints: what went wrong)


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
    """Something due today or overdue, on one staff member's list."""

    customer_id: str
    customer_name: str
    tier: Tier | None
    due: Due
    days_overdue: int  # 0: due today


# Built with every field in order, 10,000 to 20,000 at a time (see frozen_builder).
_due = builder(Due)
_plan = builder(CustomerPlan)


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
    # Per staff name, sorted: every active staff member (maybe with none), and any other owner
    # name that has tasks (one who left, when not reassigned, or not on the list: `unowned`).
    tasks: Mapping[str, tuple[Task, ...]]
    unassigned: tuple[Task, ...]  # of customers with no owner typed, sorted the same way
    unowned: tuple[Unowned, ...]  # in register order


_NONE: Mapping[str | None, Contact] = {}


def _indices(types: frozenset[ContactType]) -> tuple[int, ...]:
    return tuple(i for i, kind in enumerate(TYPES) if kind in types)


def _last_of(
    dates: Sequence[dt.date], indices: tuple[int, ...]
) -> tuple[dt.date, ContactType] | None:
    """The date and type of the last contact of one of the types at `indices`."""
    found, day = -1, NEVER
    for i in indices:
        if dates[i] > day:
            found, day = i, dates[i]
    return (day, TYPES[found]) if found >= 0 else None


def latest_orders(orders: Sequence[Order], today: dt.date) -> dict[str, Order]:
    """Each customer's latest order up to `today` (the first of a day's, if several)."""
    latest: dict[str, Order] = {}
    for o in orders:
        if o.date <= today:
            seen = latest.get(o.customer_id)
            if seen is None or o.date > seen.date:
                latest[o.customer_id] = o
    return latest


def last_orders(orders: Sequence[Order], today: dt.date) -> dict[str, dt.date]:
    """The day of each customer's last purchase up to `today`."""
    return {cid: o.date for cid, o in latest_orders(orders, today).items()}


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


# A cadenced item of a customer's plan: what, how often, where from, and the contact types
# that satisfy it. Built once per (tier, status).
_Item = tuple[Action, Every, Tier | None, Status | None, tuple[int, ...]]


def _plan_of(
    tier: Tier | None, status: Status | None, params: PlanParams
) -> tuple[Plan, tuple[_Item, ...]]:
    """The customer's plan: the tier's (none when lost) and the lifecycle's, with origins."""
    tier_plan = params.tiers.get(tier) if tier is not None and status is not Status.LOST else None
    life_plan = params.lifecycle.get(status) if status is not None else None
    plan = Plan()
    origins: list[tuple[Cadenced, Tier | None, Status | None]] = []
    if tier_plan is not None:
        plan = tier_plan
        origins += [(c, tier, None) for c in tier_plan.cadenced]
    if life_plan is not None:
        plan = plan + life_plan
        origins += [(c, None, status) for c in life_plan.cadenced]
    none: frozenset[ContactType] = frozenset()
    items = tuple(
        (c.action, c.every, t, s, _indices(params.matches.get(c.action, none)))
        for c, t, s in origins
    )
    return plan, items


def _dues(
    customer: Customer,
    items: tuple[_Item, ...],
    log: ContactLog,
    dates: Sequence[dt.date],
    last: dt.date | None,
    last_order: dt.date | None,
    called_by: tuple[int, ...],
    today: dt.date,
    params: PlanParams,
) -> list[Due]:
    """Every item due for one customer, most urgent kind first (ties keep this order)."""
    cid = customer.id
    dues = [
        Due(Action.COMPLAINT, c.date, Basis.COMPLAINT, c.date, staff=c.staff, summary=c.summary)
        for c in log.complaints.get(cid, ())
    ]
    for entry in log.callbacks.get(cid, _NONE).values():
        when = entry.callback
        if when is not None and (last is None or last < when):
            dues.append(
                Due(Action.CALLBACK, when, Basis.LOG_CALLBACK, entry.date, staff=entry.staff)
            )
    days = params.order_callback_days
    if last_order is not None and days and customer.status is not Status.LOST:
        called = _last_of(dates, called_by) if dates else None
        if called is None or called[0] <= last_order:
            when = last_order + dt.timedelta(days=days)
            dues.append(Due(Action.ORDER_CALLBACK, when, Basis.ORDER, last_order, days=days))
    since = customer.since
    for action, every, tier, status, types in items:
        match = _last_of(dates, types) if dates else None
        ref: dt.date | None
        kind: ContactType | None
        if match is not None:
            ref, kind = match
            when, basis = every.after(ref), Basis.LAST_MATCH
        elif since is not None:
            ref, kind, when, basis = since, None, every.after(since), Basis.SINCE
        else:
            ref, kind, when, basis = None, None, today, Basis.NO_HISTORY
        # Due's fields in order: a plan item has no log entry's staff, days or summary.
        dues.append(_due(action, when, basis, ref, every, tier, status, kind, None, None, None))
    return dues


_TIER_RANK = {Tier.A: 0, Tier.B: 1, Tier.C: 2, Tier.D: 3, None: 4}


def unowned_customers(
    customers: Sequence[Customer], staff: Sequence[StaffMember], params: PlanParams
) -> tuple[Unowned, ...]:
    """The customers whose owner is missing, unknown or inactive, in register order, as
    plan_customers finds them: what `check` reports without planning every contact."""
    owners = _Owners(staff, params.reassign_inactive)
    return tuple(
        found
        for customer in customers
        if (found := _unowned(customer, *owners.resolve(customer.owner))) is not None
    )


def _unowned(
    customer: Customer, owner: str | None, status: OwnerStatus, manager: str | None
) -> Unowned | None:
    if status is OwnerStatus.ACTIVE:
        return None
    return Unowned(customer.id, customer.owner, status, manager)


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
    log = contact_log(contacts, today)
    return plan_logged(customers, log, last_orders(orders, today), staff, tiers, today, params)


def plan_logged(
    customers: Sequence[Customer],
    log: ContactLog,
    bought: Mapping[str, dt.date],
    staff: Sequence[StaffMember],
    tiers: Mapping[str, Tier | None],
    today: dt.date,
    params: PlanParams,
) -> PlanResult:
    """plan_customers, with the contact log already folded (`contact_log`) and each
    customer's last purchase up to `today` known (`last_orders`; a sync has it from the
    ranking's values, CustomerValue.last_purchase, and walks its orders once less)."""
    owners = _Owners(staff, params.reassign_inactive)
    called_by = _indices(params.matches.get(Action.PHONE_CALLBACK, frozenset()))
    plans: dict[tuple[Tier | None, Status | None], tuple[Plan, tuple[_Item, ...]]] = {}
    rows: dict[str, CustomerPlan] = {}
    tasks: dict[str | None, list[Task]] = defaultdict(list)
    unowned: list[Unowned] = []
    by_date = attrgetter("date")
    for customer in customers:
        cid = customer.id
        tier = tiers.get(cid)
        owner, owner_status, manager = owners.resolve(customer.owner)
        if (found := _unowned(customer, owner, owner_status, manager)) is not None:
            unowned.append(found)
        key = (tier, customer.status)
        if key not in plans:
            plans[key] = _plan_of(tier, customer.status, params)
        plan, items = plans[key]
        dates = log.by_type.get(cid, ())
        last = max(dates) if dates else None
        dues = _dues(customer, items, log, dates, last, bought.get(cid), called_by, today, params)
        dues.sort(key=by_date)
        overdue = max((today - dues[0].date).days, 0) if dues else 0
        rows[cid] = _plan(cid, tier, plan, tuple(dues), last, overdue, owner, owner_status)
        for due in dues:
            if due.date > today:
                break
            who = owner
            if due.action is Action.CALLBACK and owners.is_active(due.staff):
                who = due.staff
            tasks[who].append(Task(cid, customer.name, tier, due, (today - due.date).days))
    order = _task_order(params.complaints_first)
    by_staff: dict[str, tuple[Task, ...]] = {s.name: () for s in staff if s.active}
    for who, listed in tasks.items():
        if who is not None:
            by_staff[who] = tuple(sorted(listed, key=order))
    unassigned = tuple(sorted(tasks.get(None, ()), key=order))
    return PlanResult(rows, by_staff, unassigned, tuple(unowned))


def _task_order(first: frozenset[Tier]) -> Callable[[Task], tuple[int, int, int, str]]:
    """Complaints of key tiers first, then most overdue first, then tier, then customer id;
    ties keep the customer's own order (complaints, callbacks, order callback, plan items)."""

    def key(task: Task) -> tuple[int, int, int, str]:
        head = task.due.action is Action.COMPLAINT and task.tier in first
        return (0 if head else 1, -task.days_overdue, _TIER_RANK[task.tier], task.customer_id)

    return key
