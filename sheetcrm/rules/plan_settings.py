"""Maintenance plans as configured: the `plans:` section of settings.yaml, with the documents'
defaults, and the frozen parameters the rules in `sheetcrm.rules.plans` take.

Defaults [003]: A: SMS every quarter, a home visit a year, birthday SMS, holiday card, two
lucky draws a year, house-moving gift; B: SMS every two months, a home visit a year, birthday
SMS, holiday card, two lucky draws; C: SMS every month, a phone callback a year, birthday and
holiday SMS, three lucky draws; D: holiday greetings only. Lifecycle [000]: prospects at least
weekly, completed customers monthly; visitors and lost customers: nothing. A callback 7 days
after an order [003]; complaints of A and B customers first [002].

A customer's plan is the tier's plus the lifecycle stage's (a completed tier-A customer gets
the A items and the monthly contact); a customer without a tier, or of a tier with no plan
configured, gets the stage's alone; a lost customer gets the `lost` stage's alone (none by
default). The house-moving gift is listed, not detected from the log.

Which logged contacts satisfy an item (`matches`, configurable): an SMS greeting is satisfied
by any written message or greeting (SMS, chat, e-mail, greeting card or gift); a home visit by
a visit; a phone callback by a call or a visit (a visit asks more than a call does); the
lifecycle's "any contact" by every type, complaints and surveys included.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sheetcrm.vocabulary import ContactType, Status, Tier


class Action(StrEnum):
    """What staff do for a customer. The first four are the cadenced items of a plan."""

    SMS_GREETING = "sms_greeting"
    HOME_VISIT = "home_visit"
    PHONE_CALLBACK = "phone_callback"
    ANY_CONTACT = "any_contact"
    CALLBACK = "callback"  # a callback date typed in the contact log [000]
    ORDER_CALLBACK = "order_callback"  # some days after an order [003]
    COMPLAINT = "complaint"  # an open complaint [001][002]


CADENCED = (Action.SMS_GREETING, Action.HOME_VISIT, Action.PHONE_CALLBACK, Action.ANY_CONTACT)


class Event(StrEnum):
    """Plan items listed in the plan text only: birthdays and holidays are the messages
    module's; lucky draws and gifts are events staff run."""

    BIRTHDAY_SMS = "birthday_sms"
    HOLIDAY_CARD = "holiday_card"
    HOLIDAY_SMS = "holiday_sms"
    HOLIDAY_GREETING = "holiday_greeting"
    MOVING_GIFT = "moving_gift"  # when an address change is logged [003]
    LUCKY_DRAW = "lucky_draw"


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# Plans add the same cadences to the same few hundred days of last contact: 24,000 calls
# for 10,000 customers, nearly nine in ten of them met before.
@lru_cache(maxsize=16_384)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = 29 if month0 == 1 and calendar.isleap(year) else _MONTH_DAYS[month0]
    return day.replace(year=year, month=month0 + 1, day=min(day.day, last))


@dataclass(frozen=True, slots=True)
class Every:
    """A cadence: a number of months or of days."""

    months: int = 0
    days: int = 0

    def after(self, day: dt.date) -> dt.date:
        if self.months:
            day = add_months(day, self.months)
        return day + dt.timedelta(days=self.days) if self.days else day


@dataclass(frozen=True, slots=True)
class Cadenced:
    action: Action
    every: Every


@dataclass(frozen=True, slots=True)
class Plan:
    cadenced: tuple[Cadenced, ...] = ()
    events: tuple[Event, ...] = ()
    per_year: tuple[tuple[Event, int], ...] = ()  # e.g. ((LUCKY_DRAW, 2),)

    def __add__(self, other: Plan) -> Plan:
        events = self.events + tuple(e for e in other.events if e not in self.events)
        return Plan(self.cadenced + other.cadenced, events, self.per_year + other.per_year)


@dataclass(frozen=True)
class PlanParams:
    """The plan settings as the rules take them; `plan_params(PlanSettings())` gives the
    defaults (they live in the settings model only)."""

    tiers: Mapping[Tier, Plan]
    lifecycle: Mapping[Status, Plan]
    matches: Mapping[Action, frozenset[ContactType]]  # per cadenced action
    order_callback_days: int | None  # None: no callback after orders
    reassign_inactive: bool
    complaints_first: frozenset[Tier]


class _Model(BaseModel):
    # As in sheetcrm.settings, which will import this module (so it cannot import that one).
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemSettings(_Model):
    """A cadenced item: `{action: sms_greeting, months: 3}`, `{action: any_contact, days: 7}`."""

    action: Action
    months: int = Field(default=0, ge=0, le=120)
    days: int = Field(default=0, ge=0, le=3660)

    @model_validator(mode="after")
    def _one_cadence(self) -> ItemSettings:
        if self.action not in CADENCED:
            names = ", ".join(CADENCED)
            raise ValueError(f"{self.action} cannot be a plan item; use one of {names}")
        if (self.months > 0) == (self.days > 0):
            raise ValueError("give either months or days (a whole number from 1 up), not both")
        return self


class PlanItems(_Model):
    """The items of one tier's or one lifecycle stage's plan."""

    every: tuple[ItemSettings, ...] = ()
    events: tuple[Event, ...] = ()
    per_year: dict[Event, Annotated[int, Field(ge=1, le=365)]] = Field(default_factory=dict)


def _item(action: Action, months: int = 0, days: int = 0) -> ItemSettings:
    return ItemSettings(action=action, months=months, days=days)


def _default_tiers() -> dict[Tier, PlanItems]:
    yearly_visit = _item(Action.HOME_VISIT, months=12)
    return {
        Tier.A: PlanItems(
            every=(_item(Action.SMS_GREETING, months=3), yearly_visit),
            events=(Event.BIRTHDAY_SMS, Event.HOLIDAY_CARD, Event.MOVING_GIFT),
            per_year={Event.LUCKY_DRAW: 2},
        ),
        Tier.B: PlanItems(
            every=(_item(Action.SMS_GREETING, months=2), yearly_visit),
            events=(Event.BIRTHDAY_SMS, Event.HOLIDAY_CARD),
            per_year={Event.LUCKY_DRAW: 2},
        ),
        Tier.C: PlanItems(
            every=(_item(Action.SMS_GREETING, months=1), _item(Action.PHONE_CALLBACK, months=12)),
            events=(Event.BIRTHDAY_SMS, Event.HOLIDAY_SMS),
            per_year={Event.LUCKY_DRAW: 3},
        ),
        Tier.D: PlanItems(events=(Event.HOLIDAY_GREETING,)),
    }


def _default_lifecycle() -> dict[Status, PlanItems]:
    return {
        # [000]: prospects are contacted at least weekly, with holiday SMS.
        Status.PROSPECT: PlanItems(
            every=(_item(Action.ANY_CONTACT, days=7),), events=(Event.HOLIDAY_SMS,)
        ),
        Status.CUSTOMER: PlanItems(every=(_item(Action.ANY_CONTACT, months=1),)),
    }


class MatchSettings(_Model):
    """Contact types that satisfy each cadenced item."""

    sms_greeting: tuple[ContactType, ...] = (
        ContactType.SMS,
        ContactType.CHAT,
        ContactType.EMAIL,
        ContactType.GREETING,
    )
    home_visit: tuple[ContactType, ...] = (ContactType.VISIT,)
    phone_callback: tuple[ContactType, ...] = (ContactType.CALL, ContactType.VISIT)
    any_contact: tuple[ContactType, ...] = tuple(ContactType)


class PlanSettings(_Model):
    """`plans:` in settings.yaml. A tier or stage left out has no plan of its own: giving
    `tiers:` replaces all four defaults, so list every tier that should keep one."""

    tiers: dict[Tier, PlanItems] = Field(default_factory=_default_tiers)
    lifecycle: dict[Status, PlanItems] = Field(default_factory=_default_lifecycle)
    order_callback_days: int | None = Field(default=7, ge=1, le=365)  # null: no callback
    reassign_inactive: bool = False  # customers of staff who left go to their manager [002]
    complaints_first: tuple[Tier, ...] = (Tier.A, Tier.B)
    matches: MatchSettings = MatchSettings()


def _plan(items: PlanItems) -> Plan:
    return Plan(
        tuple(Cadenced(i.action, Every(i.months, i.days)) for i in items.every),
        items.events,
        tuple(items.per_year.items()),
    )


def plan_params(settings: PlanSettings) -> PlanParams:
    """The plan settings as the rules take them."""
    return PlanParams(
        tiers={tier: _plan(items) for tier, items in settings.tiers.items()},
        lifecycle={status: _plan(items) for status, items in settings.lifecycle.items()},
        matches={action: frozenset(getattr(settings.matches, action.value)) for action in CADENCED},
        order_callback_days=settings.order_callback_days,
        reassign_inactive=settings.reassign_inactive,
        complaints_first=frozenset(settings.complaints_first),
    )
